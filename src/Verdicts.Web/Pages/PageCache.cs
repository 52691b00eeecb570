using System.Collections.Frozen;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.AspNetCore.StaticAssets;
using Microsoft.Extensions.Options;
using Verdicts.Web.Content;

namespace Verdicts.Web.Pages;

public static class PageCache
{
    // Anonymous GETs are cached whole and evicted by tag when content reloads or a vote lands.
    public static IServiceCollection AddPageCache(this IServiceCollection services)
    {
        services.AddSingleton<CacheEviction>();
        services.AddHostedService(sp => sp.GetRequiredService<CacheEviction>());
        services.AddOutputCache();
        services.AddPageCompression();
        services.AddOptions<OutputCacheOptions>().Configure<IOptions<VerdictsOptions>>((o, verdicts) =>
        {
            var disabled = verdicts.Value.DisableOutputCache;
            o.AddBasePolicy(p => p
                // Admin pages and a visitor's own votes are per person and never cached, nor is the health check, which must ask
                // the database each time; the switch exists to measure cache misses.
                // The cache answers before routing, so this base policy decides for every endpoint; endpoint metadata is never seen.
                .With(context => !disabled && context.HttpContext.Request.Path is var path
                    && !path.StartsWithSegments("/admin") && !path.StartsWithSegments("/votes") && !path.StartsWithSegments("/healthz"))
                .Tag(CacheTags.Content)
                // Keyed by content generation as well: a page rendered from the old rows while an import commits is never served after it.
                .VaryByValue(context => new KeyValuePair<string, string>("content",
                    context.RequestServices.GetRequiredService<ContentReloader>().Generation.ToString(System.Globalization.CultureInfo.InvariantCulture)))
                // Only the query keys some page reads; any other query string shares the page's cached copy.
                .SetVaryByQuery("q", "a", "b", "c", "d", "voted", "page", "limit", "category")
                // Stored compressed, a copy per coding; the header is already reduced to br, gzip or nothing (PageCompression).
                .SetVaryByHeader(Microsoft.Net.Http.Headers.HeaderNames.AcceptEncoding)
                .Expire(TimeSpan.FromMinutes(10)));
        });
        return services;
    }

    // Cached pages answer only GETs and HEADs; a vote or a form goes past them without asking. Files in wwwroot go past
    // too: MapStaticAssets answers them after routing, from the Brotli and gzip copies made at build time and with their
    // own validators, so storing them here as well would only keep a second copy under another ETag.
    public static IApplicationBuilder UsePageCache(this IApplicationBuilder app)
    {
        var files = new Lazy<FrozenSet<string>>(() => app.ApplicationServices.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(endpoint => endpoint.Metadata.GetMetadata<StaticAssetDescriptor>() is not null)
            .Select(endpoint => "/" + endpoint.RoutePattern.RawText)
            .ToFrozenSet(StringComparer.OrdinalIgnoreCase));
        return app.UseWhen(context => (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
            && !files.Value.Contains(context.Request.Path.Value ?? ""), reading =>
        {
            reading.UseNormalisedAcceptEncoding();
            // A cached page is answered here, without routing, authentication or rate limiting: public pages depend on none of them.
            reading.UseOutputCache();
            reading.UseHttpCaching();
            // Inside the cache, so what it stores is compressed, once per coding, and a hit does no compression work.
            reading.UseResponseCompression();
        });
    }
}
