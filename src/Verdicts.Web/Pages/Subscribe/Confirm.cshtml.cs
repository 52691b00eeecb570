using Verdicts.Web.Newsletter;

namespace Verdicts.Web.Pages.Subscribe;

public sealed class ConfirmModel(Subscriptions subscriptions) : SitePageModel
{
    public bool Confirmed { get; private set; }

    public async Task OnGetAsync(string? token)
    {
        DoNotCache();
        Confirmed = await subscriptions.ConfirmAsync(token);
        if (!Confirmed)
            Response.StatusCode = StatusCodes.Status400BadRequest;
        Meta = new PageMeta("Subscription · Verdicts", "Confirm your subscription to the weekly Verdicts email.", "/subscribe/confirm") { NoIndex = true };
    }
}
