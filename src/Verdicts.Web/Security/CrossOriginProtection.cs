namespace Verdicts.Web.Security;

/// <summary>
/// Refuses state-changing requests that a browser sent from another origin, the way Go's
/// net/http CrossOriginProtection does: trust Sec-Fetch-Site when present, else compare Origin with
/// the Host. A request with neither header did not come from a browser and is let through (rate limits
/// cover it). This needs no per-page token, so public pages stay cacheable.
/// </summary>
public static class CrossOriginProtection
{
    public static bool IsCrossOrigin(HttpRequest request)
    {
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method))
            return false;
        var fetchSite = request.Headers["Sec-Fetch-Site"].ToString();
        if (fetchSite.Length > 0)
            return fetchSite is not ("same-origin" or "none");
        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0)
            return false;
        return !Uri.TryCreate(origin, UriKind.Absolute, out var uri)
            || !string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
    }

    public static IApplicationBuilder UseCrossOriginProtection(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        // RFC 8058's one-click unsubscribe may come from a mail provider on another origin. The token in its address
        // authorizes it, and the page's own button carries a form token (Pages/Unsubscribe.cshtml.cs), so it is let through.
        if (!IsCrossOrigin(context.Request) || context.Request.Path.Equals("/unsubscribe", StringComparison.OrdinalIgnoreCase))
            return next(context);
        return Slices.Notice.Refuse(context, StatusCodes.Status403Forbidden, "Refused: this request came from another site. Use the form on this site.");
    });
}
