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
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync("Paths may not contain '.' or '..' parts.\n");
    });

    public static string ClientKey(HttpContext context) => Security.VisitorRateLimits.ClientKey(context.Connection.RemoteIpAddress);
}
