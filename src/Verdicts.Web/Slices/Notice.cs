using Verdicts.Web.Pages;

namespace Verdicts.Web.Slices;

/// <summary>A short message in the site's own page, for an endpoint that is not a Razor Page (drawn by NoticePage.cshtml).</summary>
public sealed record Notice(PageHead Head, string Eyebrow, string Heading, string Message)
{
    /// <summary>The notice as a whole HTML answer with this status; never cached, as it describes this one request.</summary>
    public IResult Answer(HttpContext context, int status, TimeSpan? retryAfter = null)
    {
        context.Response.StatusCode = status;
        context.Response.Headers.CacheControl = "no-store";
        if (retryAfter is { } wait)
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return SlicePage.Html(NoticePage.Create(this));
    }

    /// <summary>
    /// A refused request, answered in the site's own page with the message that says what was wrong. A script that asks
    /// for JSON (the vote form's fetch, API clients) gets the message as plain text instead, which it can show as it is.
    /// </summary>
    public static IResult Refusal(int status, string message, TimeSpan? retryAfter = null) => new RefusalResult(status, message, retryAfter);

    /// <summary>The same refusal written from a middleware.</summary>
    public static Task Refuse(HttpContext context, int status, string message, TimeSpan? retryAfter = null) =>
        Refusal(status, message, retryAfter).ExecuteAsync(context);

    private static string HeadingFor(int status) => status switch
    {
        StatusCodes.Status403Forbidden => "That request was refused",
        StatusCodes.Status404NotFound => "We could not find that",
        StatusCodes.Status405MethodNotAllowed => "That is not how this address is used",
        StatusCodes.Status413PayloadTooLarge => "That form is too large",
        StatusCodes.Status415UnsupportedMediaType => "That form could not be read",
        StatusCodes.Status422UnprocessableEntity => "That could not be saved",
        StatusCodes.Status429TooManyRequests => "Too many requests",
        StatusCodes.Status503ServiceUnavailable => "Please try again shortly",
        _ => "That request could not be used",
    };

    private sealed class RefusalResult(int status, string message, TimeSpan? retryAfter) : IResult
    {
        public Task ExecuteAsync(HttpContext context)
        {
            if (WantsPlainText(context.Request))
            {
                context.Response.Headers.CacheControl = "no-store";
                if (retryAfter is { } wait)
                    context.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                return Results.Text(message + "\n", "text/plain; charset=utf-8", statusCode: status).ExecuteAsync(context);
            }
            var heading = HeadingFor(status);
            var meta = new PageMeta($"{heading} · Verdicts", message, context.Request.Path.ToUriComponent()) { NoIndex = true };
            return new Notice(PageHead.For(meta, context), $"Error {status}", heading, message).Answer(context, status, retryAfter).ExecuteAsync(context);
        }

        private static bool WantsPlainText(HttpRequest request) =>
            request.Headers.Accept.Any(a => a?.Contains("application/json", StringComparison.OrdinalIgnoreCase) == true)
            || request.Headers.XRequestedWith == "XMLHttpRequest";
    }
}
