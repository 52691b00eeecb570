using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.OutputCaching;

namespace Verdicts.Web.Pages;

/// <summary>What the layout needs to describe a page to browsers, search engines and link previews.</summary>
public sealed record PageMeta(string Title, string Description, string Path, string OpenGraphType = "website")
{
    /// <summary>JSON-LD, already serialised as UTF-8 (see <see cref="Shared.JsonLd"/>); the layout writes it as a data block, as it is.</summary>
    public byte[]? JsonLd { get; init; }

    public bool NoIndex { get; init; }

    /// <summary>The page's share card (Sharing/ShareCards.cs), with its alternative text; null for pages without one.</summary>
    public (string Path, string Alt)? Image { get; init; }
}

/// <summary>What the top of every public page needs: the page's metadata and its canonical address.</summary>
public sealed record PageHead(PageMeta Meta, string Canonical)
{
    private ResourceAssetCollection? assets;

    /// <summary>A file in wwwroot by its fingerprinted address (<c>MapStaticAssets</c>), which browsers keep a year.</summary>
    public string Asset(string path) => "/" + (assets?[path] ?? path);

    /// <summary>Absolute on the configured site address; relative without one, never built from the request's Host header.</summary>
    public static PageHead For(PageMeta meta, HttpContext context) =>
        new(meta, context.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<VerdictsOptions>>().Value.SiteUrl + meta.Path)
        {
            assets = context.RequestServices.GetRequiredService<ResourceAssetCollection>(),
        };

    /// <summary>og:url must be absolute, so there is none without a configured site address.</summary>
    public string? OpenGraphUrl => Canonical.StartsWith('/') ? null : Canonical;

    /// <summary>og:image must be absolute as well: the card on the configured site address, or none.</summary>
    public string? OpenGraphImage => OpenGraphUrl is null || Meta.Image is not { } image ? null
        : Canonical[..^Meta.Path.Length] + image.Path;
}

/// <summary>Base for public pages: typed page metadata for the layout, and cache tags for eviction.</summary>
public abstract class SitePageModel : PageModel
{
    public PageMeta Meta { get; protected set; } = new("Verdicts", "Side-by-side verdicts on AI tools for developers.", "/");

    /// <summary>The vote form for a tool on this page.</summary>
    public Microsoft.AspNetCore.Html.IHtmlContent VoteForm(string slug, string name) => Shared.Fragments.VoteForm(Request, slug, name);

    /// <summary>A 400 in the site's own notice page, for a request the page cannot be drawn for at all.</summary>
    protected static Microsoft.AspNetCore.Mvc.IActionResult PlainBadRequest(string message) => new Refusal(message);

    private sealed class Refusal(string message) : Microsoft.AspNetCore.Mvc.IActionResult
    {
        public Task ExecuteResultAsync(Microsoft.AspNetCore.Mvc.ActionContext context) =>
            Slices.Notice.Refuse(context.HttpContext, StatusCodes.Status400BadRequest, message);
    }

    // Razor Pages run a page even when it has no handler for the request's method (TRACE, OPTIONS, a POST to a page
    // without one), drawing it from a model nothing filled in. Such a request is refused instead, naming what the page takes.
    // [NonHandler]: declared here, Razor Pages would read this method as the handler of a method "PAGE", name it in Allow,
    // and build model binders for its context's every property on each page's first request.
    [NonHandler]
    public override Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        if (context.HandlerMethod is not null)
            return base.OnPageHandlerExecutionAsync(context, next);
        var methods = context.ActionDescriptor.HandlerMethods.Select(h => h.HttpMethod.ToUpperInvariant()).ToHashSet();
        if (methods.Contains(HttpMethods.Get))
            methods.Add(HttpMethods.Head);
        Response.Headers.Allow = string.Join(", ", methods.Order(StringComparer.Ordinal));
        context.Result = new Microsoft.AspNetCore.Mvc.StatusCodeResult(StatusCodes.Status405MethodNotAllowed);
        return Task.CompletedTask;
    }

    /// <summary>For pages drawn for another request's status (the error and status pages): their GET handler answers every method.</summary>
    protected static void AnswerEveryMethodWithGet(PageHandlerSelectedContext context) =>
        context.HandlerMethod ??= context.ActionDescriptor.HandlerMethods.First(h => h.HttpMethod == "Get");

    /// <summary>For pages whose answer depends on who asks or changes state: never stored in the output cache.</summary>
    protected void DoNotCache()
    {
        if (HttpContext.Features.Get<IOutputCacheFeature>() is { } cache)
            cache.Context.AllowCacheStorage = false;
        // The same value antiforgery sets on pages with a token, so it need not override (and warn about) ours.
        Response.Headers.CacheControl = "no-cache, no-store";
    }

    /// <summary>Tags this page's cached copy, so a vote on one tool evicts only the pages that show it.</summary>
    protected void TagCache(IEnumerable<string> toolSlugs) => CacheTags.TagTools(HttpContext, toolSlugs);
}

public static class CacheTags
{
    public const string Content = "content";

    public static string Tool(string slug) => "tool:" + slug;

    /// <summary>Tags the response's cached copy with the tools it shows, so a vote on one evicts only the pages that show it.</summary>
    public static void TagTools(HttpContext context, IEnumerable<string> toolSlugs)
    {
        if (context.Features.Get<IOutputCacheFeature>() is { } cache)
        {
            foreach (var slug in toolSlugs)
                cache.Context.Tags.Add(Tool(slug));
        }
    }
}
