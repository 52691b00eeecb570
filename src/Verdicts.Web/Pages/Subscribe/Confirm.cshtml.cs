using System.Globalization;
using System.Data.Common;
using Verdicts.Web.Newsletter;
using static Verdicts.Web.Newsletter.Subscriptions;

namespace Verdicts.Web.Pages.Subscribe;

/// <summary>The link in the confirmation message: GET shows one button, and only its POST (with the form token) confirms.</summary>
public sealed class ConfirmModel(Subscriptions subscriptions, ILogger<ConfirmModel> logger) : SitePageModel
{
    public Confirmation Outcome { get; private set; }

    public string? Token { get; private set; }

    public bool Busy { get; private set; }

    public string Heading => Busy ? "Please try again in a few seconds" : Outcome switch
    {
        Confirmation.Pending => "Confirm your subscription",
        Confirmation.Confirmed => "You are subscribed",
        Confirmation.AlreadyConfirmed => "Already confirmed",
        _ => "That link does not work",
    };

    public string Lede => Busy ? "Your subscription could not be confirmed just now. Nothing was saved; press the button again in a few seconds." : Outcome switch
    {
        Confirmation.Pending => "Press the button to get the weekly Verdicts comparison at this address.",
        Confirmation.Confirmed => "The next comparison arrives with the weekly email. Every message has a one-step unsubscribe link.",
        Confirmation.AlreadyConfirmed => "This address is already subscribed; there is nothing more to do. Every message has a one-step unsubscribe link.",
        _ => "It may have expired (links last 48 hours). Sign up again from any comparison page for a fresh one.",
    };

    public async Task OnGetAsync(string? token)
    {
        SetUp(token);
        Outcome = await subscriptions.CheckConfirmationAsync(token);
        if (Outcome == Confirmation.Invalid)
            Response.StatusCode = StatusCodes.Status400BadRequest;
    }

    public async Task OnPostAsync(string? token)
    {
        SetUp(token);
        try
        {
            Outcome = await subscriptions.ConfirmAsync(token);
        }
        catch (DbException ex)
        {
            logger.LogWarning("Could not confirm a subscription: {Reason}", ex.Message);
            Busy = true;
            Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            Response.Headers.RetryAfter = NewsletterEndpoints.RetryAfter.TotalSeconds.ToString(CultureInfo.InvariantCulture);
            // The button stays, so the visitor can press it again.
            Outcome = Confirmation.Pending;
            return;
        }
        if (Outcome == Confirmation.Invalid)
            Response.StatusCode = StatusCodes.Status400BadRequest;
    }

    private void SetUp(string? token)
    {
        DoNotCache();
        Token = token;
        Meta = new PageMeta("Subscription · Verdicts", "Confirm your subscription to the weekly Verdicts email.", "/subscribe/confirm") { NoIndex = true };
    }
}
