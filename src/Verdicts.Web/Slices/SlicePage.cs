using System.IO.Pipelines;
using Microsoft.AspNetCore.Html;
using RazorSlices;

namespace Verdicts.Web.Slices;

/// <summary>
/// Renders a Razor Slice into memory first, then hands it over whole: one write to the response rather than hundreds
/// of small ones, and the answer carries a Content-Length rather than being chunked.
/// </summary>
public static class SlicePage
{
    /// <summary>The slice as a complete HTML answer.</summary>
    public static IResult Html(RazorSlice slice) => new HtmlResult(slice);

    /// <summary>The slice's HTML, for a Razor Pages view to write as it is.</summary>
    public static async Task<HtmlString> RenderAsync(RazorSlice slice)
    {
        await using var html = new StringWriter();
        await slice.RenderAsync(html);
        return new HtmlString(html.ToString());
    }

    private sealed class HtmlResult(RazorSlice slice) : IResult
    {
        public async Task ExecuteAsync(HttpContext context)
        {
            // Not cancelled when the visitor goes away: rendering into memory takes a fraction of a millisecond, and the
            // server drops what is written to a closed connection. Cancelled, it threw, and each visitor who left
            // mid-page was logged as a server error.
            using var page = new MemoryStream(32 * 1024);
            var writer = PipeWriter.Create(page, new StreamPipeWriterOptions(leaveOpen: true));
            await slice.RenderAsync(writer);
            await writer.CompleteAsync();
            context.Response.ContentType = "text/html; charset=utf-8";
            context.Response.ContentLength = page.Length;
            if (!HttpMethods.IsHead(context.Request.Method))
                await context.Response.Body.WriteAsync(page.GetBuffer().AsMemory(0, (int)page.Length));
        }
    }
}
