using System.Security.Cryptography;

namespace Verdicts.Web.Security;

/// <summary>Headers every response carries, set before anything else runs so that errors, 404s and static files get them too.</summary>
public static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; font-src 'self'; " +
        "form-action 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

    private const string StyleNonceKey = "Verdicts.StyleNonce";

    /// <summary>
    /// For the one page whose script writes a style element (the admin editor: CodeMirror puts its own styles in one),
    /// this answer's style-src also allows style elements carrying the nonce returned; style attributes stay refused.
    /// </summary>
    public static string AllowStyleNonce(HttpContext context)
    {
        var nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        context.Items[StyleNonceKey] = nonce;
        return nonce;
    }

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        // The overload taking the context as state: no closure per request.
        context.Response.OnStarting(static state =>
        {
            var context = (HttpContext)state;
            var headers = context.Response.Headers;
            Set(headers);
            if (context.Items[StyleNonceKey] is string nonce)
                headers.ContentSecurityPolicy = ContentSecurityPolicy.Replace("style-src 'self'", $"style-src 'self' 'nonce-{nonce}'", StringComparison.Ordinal);
            if (context.Request.IsHttps)
                headers.StrictTransportSecurity = "max-age=31536000; includeSubDomains";
            KestrelRejections.AppIsAnswering(context);
            return Task.CompletedTask;
        }, context);
        return next(context);
    });

    /// <summary>The headers every answer carries, over HTTP and HTTPS alike (also those Kestrel writes itself: <see cref="KestrelRejections"/>).</summary>
    public static void Set(IHeaderDictionary headers)
    {
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), interest-cohort=()";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
    }
}
