using Microsoft.Extensions.Options;

namespace Verdicts.Web.Pages;

/// <summary>What the feed is and the address to give a feed reader; the feed itself stays at <c>/feed.xml</c>.</summary>
public sealed class FeedModel(IOptions<VerdictsOptions> options) : SitePageModel
{
    public const string FeedPath = "/feed.xml";

    /// <summary>Absolute on the configured site address, never built from the request's Host header; the path without one.</summary>
    public string Address { get; private set; } = FeedPath;

    public bool Absolute => !Address.StartsWith('/');

    public void OnGet()
    {
        Address = options.Value.SiteUrl + FeedPath;
        Meta = new PageMeta("The feed: new comparisons in your reader · Verdicts",
            "Follow new Verdicts comparisons in any feed reader: what the feed holds and the address to paste.", "/feed");
    }
}
