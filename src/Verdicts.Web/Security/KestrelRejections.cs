using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Verdicts.Web.Security;

/// <summary>
/// Kestrel refuses some requests itself, before any middleware runs: a malformed request line or header (400), an
/// address or headers over its limits (414, 431), a request too slow to arrive (408). It offers no hook for those
/// answers (dotnet/aspnetcore#4726: "this category of errors is not customisable"), so this connection middleware,
/// between Kestrel and the socket, adds the security headers to them.
/// </summary>
/// <remarks>
/// While the site answers a request (from its response starting until Kestrel next reads the connection) every byte
/// passes straight through. At any other time Kestrel can only be writing an answer of its own, which it writes whole
/// and then flushes: those writes are held until the flush, and a 4xx or 5xx head without the headers gets them after
/// its status line. Anything else held is passed on unchanged, so holding too much costs a copy, never a wrong answer.
/// Behind TLS that Kestrel terminates, this sees only encrypted bytes and passes them on.
/// </remarks>
public static class KestrelRejections
{
    private static readonly byte[] HeaderLines = Lines();

    public static void UseSecurityHeadersOnRejections(this ListenOptions listen) => listen.Use(next => async connection =>
    {
        var state = new ConnectionState();
        connection.Features.Set(state);
        var transport = connection.Transport;
        connection.Transport = new Pipe(new Reader(transport.Input, state), new Writer(transport.Output, state));
        try
        {
            await next(connection);
        }
        finally
        {
            connection.Transport = transport;
        }
    });

    /// <summary>Called as the site's response starts: what Kestrel writes next is the site's answer, headers included.</summary>
    public static void AppIsAnswering(HttpContext context)
    {
        if (context.Features.Get<ConnectionState>() is { } state)
            state.AppAnswering = true;
    }

    private static byte[] Lines()
    {
        var headers = new HeaderDictionary();
        SecurityHeaders.Set(headers);
        return Encoding.ASCII.GetBytes(string.Concat(headers.Select(h => $"{h.Key}: {h.Value}\r\n")));
    }

    private sealed class ConnectionState
    {
        private volatile bool appAnswering;

        public bool AppAnswering { get => appAnswering; set => appAnswering = value; }
    }

    private sealed class Pipe(PipeReader input, PipeWriter output) : System.IO.Pipelines.IDuplexPipe
    {
        public PipeReader Input { get; } = input;
        public PipeWriter Output { get; } = output;
    }

    // Kestrel reads the connection again once an answer is written: to parse the next request (the one it may refuse).
    private sealed class Reader(PipeReader inner, ConnectionState state) : PipeReader
    {
        public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
        {
            state.AppAnswering = false;
            return inner.ReadAsync(cancellationToken);
        }

        public override bool TryRead(out ReadResult result)
        {
            state.AppAnswering = false;
            return inner.TryRead(out result);
        }

        public override void AdvanceTo(SequencePosition consumed) => inner.AdvanceTo(consumed);
        public override void AdvanceTo(SequencePosition consumed, SequencePosition examined) => inner.AdvanceTo(consumed, examined);
        public override void CancelPendingRead() => inner.CancelPendingRead();
        public override void Complete(Exception? exception = null) => inner.Complete(exception);
        public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);
    }

    private sealed class Writer(PipeWriter inner, ConnectionState state) : PipeWriter
    {
        // Decided by the first write after each flush: null while undecided.
        private bool? holding;
        private readonly ArrayBufferWriter<byte> held = new(256);

        private bool Holding => holding ??= !state.AppAnswering;

        public override Memory<byte> GetMemory(int sizeHint = 0) => Holding ? held.GetMemory(sizeHint) : inner.GetMemory(sizeHint);
        public override Span<byte> GetSpan(int sizeHint = 0) => Holding ? held.GetSpan(sizeHint) : inner.GetSpan(sizeHint);

        public override void Advance(int bytes)
        {
            if (Holding)
                held.Advance(bytes);
            else
                inner.Advance(bytes);
        }

        public override bool CanGetUnflushedBytes => inner.CanGetUnflushedBytes;
        public override long UnflushedBytes => inner.UnflushedBytes + held.WrittenCount;

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
        {
            PassOnHeld();
            return inner.FlushAsync(cancellationToken);
        }

        public override void CancelPendingFlush() => inner.CancelPendingFlush();

        public override void Complete(Exception? exception = null)
        {
            PassOnHeld();
            inner.Complete(exception);
        }

        public override ValueTask CompleteAsync(Exception? exception = null)
        {
            PassOnHeld();
            return inner.CompleteAsync(exception);
        }

        private void PassOnHeld()
        {
            holding = null;
            if (held.WrittenCount == 0)
                return;
            var bytes = held.WrittenSpan;
            if (IsRefusalWithoutHeaders(bytes))
            {
                var statusLine = bytes.IndexOf("\r\n"u8) + 2;
                inner.Write(bytes[..statusLine]);
                inner.Write(HeaderLines);
                inner.Write(bytes[statusLine..]);
            }
            else
            {
                inner.Write(bytes);
            }
            held.ResetWrittenCount();
        }

        private static bool IsRefusalWithoutHeaders(ReadOnlySpan<byte> bytes)
        {
            if (bytes.Length < 13 || !bytes.StartsWith("HTTP/1."u8) || bytes[9] is not ((byte)'4' or (byte)'5'))
                return false;
            var end = bytes.IndexOf("\r\n\r\n"u8);
            return end > 0 && !Encoding.Latin1.GetString(bytes[..end]).Contains("\r\nContent-Security-Policy:", StringComparison.OrdinalIgnoreCase);
        }
    }
}
