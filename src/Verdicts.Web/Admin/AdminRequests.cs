namespace Verdicts.Web.Admin;

public static class AdminRequests
{
    /// <summary>A request from a script rather than a person at a browser: it wants JSON, not a login page.</summary>
    public static bool IsApiStyle(HttpRequest request) =>
        request.Headers.Accept.Any(a => a?.Contains("application/json", StringComparison.OrdinalIgnoreCase) == true)
        || request.Headers.XRequestedWith == "XMLHttpRequest";

    /// <summary>
    /// Refuses admin requests whose raw address has dot segments. The server removes them before routing, so
    /// without this a traversal attempt would quietly land on another page instead of being refused.
    /// </summary>
    public static IApplicationBuilder UseAdminPathGuard(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        var raw = context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()?.RawTarget ?? "";
        if (!raw.StartsWith("/admin", StringComparison.OrdinalIgnoreCase))
            return next(context);
        var path = raw.Split('?')[0];
        if (!Uri.UnescapeDataString(path).Replace('\\', '/').Split('/').Any(segment => segment is "." or ".."))
            return next(context);
        return Slices.Notice.Refuse(context, StatusCodes.Status400BadRequest, "Paths may not contain '.' or '..' parts.");
    });

    /// <summary>
    /// Where sign-in sends the admin next: the path asked for when it is /admin or lies under /admin/, else /admin.
    /// The path is judged as the server will read it, decoded once, so encoded dot segments, slashes and backslashes
    /// fall back too; it is then escaped again, since a Location header carries ASCII only (Kestrel answers 500 otherwise).
    /// </summary>
    public static string ReturnPath(string? returnUrl)
    {
        const string Home = "/admin";
        if (Security.FormPost.SafeReturnPath(returnUrl) is not { } value)
            return Home;
        var end = value.IndexOfAny(['?', '#']);
        var path = Uri.UnescapeDataString(end < 0 ? value : value[..end]);
        var query = end < 0 || value[end] == '#' ? "" : value[end..].Split('#')[0];
        if (path != Home && !path.StartsWith(Home + "/", StringComparison.Ordinal)
            || path.Contains('\\') || path.Contains("//", StringComparison.Ordinal) || path.Any(char.IsControl)
            || path.Split('/').Any(segment => segment is "." or ".."))
            return Home;
        var escapedQuery = new System.Text.StringBuilder(query.Length);
        foreach (var rune in query.EnumerateRunes())
            escapedQuery.Append(rune.Value is > ' ' and < 0x7F ? rune.ToString() : Uri.EscapeDataString(rune.ToString()));
        return string.Join('/', path.Split('/').Select(Uri.EscapeDataString)) + escapedQuery;
    }

    public static string ClientKey(HttpContext context) => Security.VisitorRateLimits.ClientKey(context.Connection.RemoteIpAddress);
}
