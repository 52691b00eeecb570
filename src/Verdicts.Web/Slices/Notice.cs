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
}
