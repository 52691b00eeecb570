using System.IO.Compression;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Verdicts.Web.Pages;

/// <summary>
/// Brotli and gzip through the framework's response compression, placed inside the output cache so that a cached page
/// is stored compressed, once per encoding, and a hit only copies bytes.
/// </summary>
public static class PageCompression
{
    public static IServiceCollection AddPageCompression(this IServiceCollection services)
    {
        services.AddSingleton<IResponseCompressionProvider, PublicAnswerCompression>();
        services.AddResponseCompression(options =>
        {
            // Over HTTPS as well: what is compressed never holds a secret (see PublicAnswerCompression), so BREACH has nothing to guess.
            options.EnableForHttps = true;
            options.Providers.Add<BrotliCompressionProvider>();
            options.Providers.Add<GzipCompressionProvider>();
            options.MimeTypes = ResponseCompressionDefaults.MimeTypes.Concat(["image/svg+xml", "application/atom+xml"]);
        });
        // Optimal is Brotli quality 4 and zlib level 6, not the top levels: a miss (after every vote on a page's tools)
        // compresses while the visitor waits. On the 30 KB comparison page gzip 6 is within 1% of gzip 9; Brotli 11 is
        // 18% smaller than 4 (4.3 against 5.3 KB) but some 70 times slower, a level meant for files compressed ahead.
        services.Configure<BrotliCompressionProviderOptions>(brotli => brotli.Level = CompressionLevel.Optimal);
        services.Configure<GzipCompressionProviderOptions>(gzip => gzip.Level = CompressionLevel.Optimal);
        return services;
    }

    /// <summary>
    /// Rewrites Accept-Encoding to the one coding the site will answer with (br, gzip or none), so the output cache keeps
    /// three copies of a page at most, whatever header variants browsers send, and compression picks the same coding.
    /// </summary>
    public static IApplicationBuilder UseNormalisedAcceptEncoding(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        var headers = context.Request.Headers;
        var coding = ChosenCoding(headers.AcceptEncoding);
        if (coding is null)
            headers.Remove(HeaderNames.AcceptEncoding);
        else
            headers.AcceptEncoding = coding;
        return next(context);
    });

    internal static string? ChosenCoding(StringValues acceptEncoding)
    {
        if (StringValues.IsNullOrEmpty(acceptEncoding)
            || !StringWithQualityHeaderValue.TryParseList(acceptEncoding, out var codings))
            return null;
        return Accepts(codings, "br") ? "br" : Accepts(codings, "gzip") ? "gzip" : null;
    }

    // RFC 9110 12.5.3: a coding named with q=0 is refused even where "*" would allow it.
    private static bool Accepts(IList<StringWithQualityHeaderValue> codings, string coding)
    {
        double? named = null, any = null;
        foreach (var candidate in codings)
        {
            if (StringSegment.Equals(candidate.Value, coding, StringComparison.OrdinalIgnoreCase))
                named = candidate.Quality ?? 1;
            else if (candidate.Value == "*")
                any = candidate.Quality ?? 1;
        }
        return (named ?? any ?? 0) > 0;
    }

    /// <summary>
    /// Compresses only answers that could be shared: never the admin pages nor any answer marked per person
    /// (no-store or private: antiforgery tokens, a visitor's own votes), the only ones that hold a secret beside text a
    /// visitor chose, which is what BREACH needs.
    /// </summary>
    private sealed class PublicAnswerCompression(IServiceProvider services, IOptions<ResponseCompressionOptions> options)
        : ResponseCompressionProvider(services, options)
    {
        public override bool ShouldCompressResponse(HttpContext context)
        {
            var cacheControl = context.Response.Headers.CacheControl;
            return !context.Request.Path.StartsWithSegments("/admin")
                && !HeaderUtilities.ContainsCacheDirective(cacheControl, CacheControlHeaderValue.NoStoreString)
                && !HeaderUtilities.ContainsCacheDirective(cacheControl, CacheControlHeaderValue.PrivateString)
                && base.ShouldCompressResponse(context);
        }
    }
}
