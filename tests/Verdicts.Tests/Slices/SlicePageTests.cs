using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Verdicts.Web.Slices;

namespace Verdicts.Tests.Slices;

public sealed class SlicePageTests
{
    [Fact]
    public async Task A_page_whose_visitor_has_gone_is_finished_without_an_error()
    {
        using var gone = new CancellationTokenSource();
        await gone.CancelAsync();
        var context = new DefaultHttpContext
        {
            RequestAborted = gone.Token,
            RequestServices = new ServiceCollection().BuildServiceProvider(),
        };
        context.Request.Method = "GET";
        using var body = new MemoryStream();
        context.Response.Body = body;

        await SlicePage.Html(NewsletterBox.Create()).ExecuteAsync(context);

        Assert.Equal("text/html; charset=utf-8", context.Response.ContentType);
        Assert.Equal(body.Length, context.Response.ContentLength);
        Assert.Contains("newsletter", System.Text.Encoding.UTF8.GetString(body.ToArray()), StringComparison.Ordinal);
    }
}
