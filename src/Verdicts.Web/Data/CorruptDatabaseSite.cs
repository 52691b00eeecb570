using Verdicts.Web.Security;

namespace Verdicts.Web.Data;

/// <summary>
/// What runs in place of the site when its database cannot be read at all. Exiting would only have a service manager
/// start it into the same failure, again and again; this answers every request with 503, the health check saying why.
/// </summary>
public static class CorruptDatabaseSite
{
    public static async Task RunAsync(string[] args, string reason)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(listen => listen.UseSecurityHeadersOnRejections()));
        await using var app = builder.Build();
        app.UseSecurityHeaders();
        app.Run(context =>
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers.RetryAfter = "300";
            context.Response.ContentType = "text/plain; charset=utf-8";
            return context.Response.WriteAsync(context.Request.Path.StartsWithSegments("/healthz")
                ? $"unavailable: {reason}\n"
                : "Verdicts is unavailable for a while. Please try again later.\n");
        });
        await app.RunAsync();
    }
}
