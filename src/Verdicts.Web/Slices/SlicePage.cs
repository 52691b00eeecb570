using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Html;
using RazorSlices;

namespace Verdicts.Web.Slices;

/// <summary>
/// Renders a Razor Slice into memory first, then hands it over whole. Written straight to the response, each of a
/// page's hundreds of small writes went through Kestrel's output lock; one write also lets the answer carry a
/// Content-Length rather than being chunked.
/// </summary>
public static class SlicePage
{
    /// <summary>The slice as a complete HTML answer.</summary>
    public static IResult Html(RazorSlice slice) => new HtmlResult(slice);

    /// <summary>The slice's HTML, for a Razor Pages view to write as it is.</summary>
    public static async Task<HtmlString> RenderAsync(RazorSlice slice)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        await slice.RenderAsync(new BufferPipeWriter(buffer));
        return new HtmlString(System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    private sealed class HtmlResult(RazorSlice slice) : IResult
    {
        public async Task ExecuteAsync(HttpContext context)
        {
            // Not cancelled when the visitor goes away: rendering into memory takes a fraction of a millisecond, and the
            // server drops what is written to a closed connection. Cancelled, it threw, and each visitor who left
            // mid-page was logged as a server error.
            var buffer = new PooledPipeWriter(32 * 1024);
            try
            {
                await slice.RenderAsync(buffer);
                context.Response.ContentType = "text/html; charset=utf-8";
                context.Response.ContentLength = buffer.Written.Length;
                if (!HttpMethods.IsHead(context.Request.Method))
                    await context.Response.Body.WriteAsync(buffer.Written);
            }
            finally
            {
                buffer.Return();
            }
        }
    }

    private sealed class BufferPipeWriter(ArrayBufferWriter<byte> buffer) : PipeWriter
    {
        public override void Advance(int bytes) => buffer.Advance(bytes);

        public override Memory<byte> GetMemory(int sizeHint = 0) => buffer.GetMemory(sizeHint);

        public override Span<byte> GetSpan(int sizeHint = 0) => buffer.GetSpan(sizeHint);

        public override void CancelPendingFlush()
        {
        }

        public override void Complete(Exception? exception = null)
        {
        }

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(new FlushResult(isCanceled: false, isCompleted: false));
    }

    /// <summary>
    /// A page's bytes in an array rented from the shared pool: a new array for every render was much of what an uncached
    /// comparison page allocated, and the collections it brought paused the site under load (bench/README.md).
    /// </summary>
    private sealed class PooledPipeWriter(int size) : PipeWriter
    {
        private byte[] array = ArrayPool<byte>.Shared.Rent(size);
        private int written;

        public ReadOnlyMemory<byte> Written => array.AsMemory(0, written);

        public override void Advance(int bytes) => written += bytes;

        public override Memory<byte> GetMemory(int sizeHint = 0) => Ensure(sizeHint).AsMemory(written);

        public override Span<byte> GetSpan(int sizeHint = 0) => Ensure(sizeHint).AsSpan(written);

        private byte[] Ensure(int sizeHint)
        {
            if (array.Length - written >= Math.Max(sizeHint, 1))
                return array;
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(array.Length * 2, written + sizeHint));
            array.AsSpan(0, written).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(array);
            return array = larger;
        }

        public void Return() => ArrayPool<byte>.Shared.Return(array);

        public override void CancelPendingFlush()
        {
        }

        public override void Complete(Exception? exception = null)
        {
        }

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(new FlushResult(isCanceled: false, isCompleted: false));
    }
}
