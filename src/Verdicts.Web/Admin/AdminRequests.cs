namespace Verdicts.Web.Admin;

public static class AdminRequests
{
    /// <summary>A request from a script rather than a person at a browser: it wants JSON, not a login page.</summary>
    public static bool IsApiStyle(HttpRequest request) =>
        request.Headers.Accept.Any(a => a?.Contains("application/json", StringComparison.OrdinalIgnoreCase) == true)
        || request.Headers.XRequestedWith == "XMLHttpRequest";

    public static string ClientKey(HttpContext context) => Security.VisitorRateLimits.ClientKey(context.Connection.RemoteIpAddress);
}
