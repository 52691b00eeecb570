using System.Security.Cryptography;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Net.Http.Headers;

namespace Verdicts.Web.Pages;

/// <summary>
/// Gives a page about to be stored in the output cache what browsers and shared caches need to keep and revalidate
/// it: a short public lifetime, Vary and a strong ETag over the bytes stored (compressed, for that encoding). It runs
/// only on a miss: a hit is answered by the output cache, which also answers a matching If-None-Match with a 304.
/// </summary>
public static class HttpCaching
{
    public const string PublicPage = "public, max-age=60";

    public static IApplicationBuilder UseHttpCaching(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (!HttpMethods.IsGet(context.Request.Method) || context.Features.Get<IOutputCacheFeature>() is not { Context.AllowCacheStorage: true } cache)
        {
            await next(context);
            return;
        }
        // The ETag must be sent before the body, so the (compressed) page is held until it is complete; pages are tens of KB.
        var body = context.Response.Body;
        using var page = new MemoryStream();
        context.Response.Body = page;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = body;
        }
        var response = context.Response;
        if (response.StatusCode == StatusCodes.Status200OK && cache.Context.AllowCacheStorage && !response.Headers.ContainsKey(HeaderNames.SetCookie))
        {
            var headers = response.Headers;
            // Replaces the static files' own ETag, which is the same for every coding of a file.
            headers.ETag = ETagOf(page.GetBuffer().AsSpan(0, (int)page.Length));
            if (string.IsNullOrEmpty(headers.CacheControl))
                headers.CacheControl = PublicPage;
            // Every copy says it varies, the identity one too, so a shared cache never hands one encoding to a client asking another.
            if (!headers.Vary.Any(v => v is not null && v.Contains(HeaderNames.AcceptEncoding, StringComparison.OrdinalIgnoreCase)))
                headers.Append(HeaderNames.Vary, HeaderNames.AcceptEncoding);
            response.ContentLength = page.Length;
        }
        if (page.Length > 0)
            await body.WriteAsync(page.GetBuffer().AsMemory(0, (int)page.Length), context.RequestAborted);
    });

    internal static string ETagOf(ReadOnlySpan<byte> bytes) =>
        "\"" + System.Buffers.Text.Base64Url.EncodeToString(SHA256.HashData(bytes).AsSpan(0, 16)) + "\"";
}
