using Microsoft.AspNetCore.Mvc;
using Verdicts.Web.Newsletter;

namespace Verdicts.Web.Pages;

/// <summary>One step, by GET from the link in a message or by the one-click POST mail clients send (RFC 8058).</summary>
[IgnoreAntiforgeryToken]
public sealed class UnsubscribeModel(Subscriptions subscriptions) : SitePageModel
{
    public bool Done { get; private set; }

    public Task OnGetAsync(string? token) => UnsubscribeAsync(token);

    public Task OnPostAsync(string? token) => UnsubscribeAsync(token);

    private async Task UnsubscribeAsync(string? token)
    {
        DoNotCache();
        Done = await subscriptions.UnsubscribeAsync(token);
        if (!Done)
            Response.StatusCode = StatusCodes.Status400BadRequest;
        Meta = new PageMeta("Unsubscribe · Verdicts", "Stop the weekly Verdicts email.", "/unsubscribe") { NoIndex = true };
    }
}
