using System.Globalization;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Mvc;
using System.Data.Common;
using Verdicts.Web.Newsletter;

namespace Verdicts.Web.Pages;

/// <summary>
/// The link in every message: GET shows one button, whose POST (with the form token) unsubscribes. Mail clients
/// unsubscribe in one click with the POST of RFC 8058 instead, which carries no form token and no cookie: for that
/// POST alone the token in the address is the authority, as the mail was sent to that subscriber.
/// </summary>
[IgnoreAntiforgeryToken]
public sealed class UnsubscribeModel(Subscriptions subscriptions, IAntiforgery antiforgery, ILogger<UnsubscribeModel> logger) : SitePageModel
{
    public enum State { Invalid, Asking, Done, Busy, Refused }

    public State Outcome { get; private set; }

    public string? Token { get; private set; }

    public string Heading => Outcome switch
    {
        State.Asking => "Unsubscribe from the weekly email",
        State.Done => "You are unsubscribed",
        State.Busy => "Please try again in a few seconds",
        State.Refused => "That form did not come from this page",
        _ => "That unsubscribe link does not work",
    };

    public string Lede => Outcome switch
    {
        State.Asking => "Press the button and no more weekly email will be sent to this address.",
        State.Done => "No more weekly email will be sent to that address.",
        State.Busy => "The address could not be unsubscribed just now. Nothing was saved; press the button again in a few seconds.",
        State.Refused => "It may have expired, or been sent from another site. Nothing was changed; open the unsubscribe link from the email again.",
        _ => "Copy the whole link from the email, or reply to any of our messages and we will remove the address by hand.",
    };

    public async Task OnGetAsync(string? token)
    {
        SetUp(token);
        Outcome = await subscriptions.IsUnsubscribeTokenValidAsync(token) ? State.Asking : State.Invalid;
        if (Outcome == State.Invalid)
            Response.StatusCode = StatusCodes.Status400BadRequest;
    }

    public async Task<IActionResult> OnPostAsync(string? token)
    {
        SetUp(token);
        if (await ReadFormAsync() is not { } form || !IsOneClick(form) && !await antiforgery.IsRequestValidAsync(HttpContext))
        {
            Outcome = State.Refused;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        try
        {
            Outcome = await subscriptions.UnsubscribeAsync(token) ? State.Done : State.Invalid;
        }
        catch (DbException ex)
        {
            logger.LogWarning("Could not unsubscribe: {Reason}", ex.Message);
            Outcome = State.Busy;
            Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            Response.Headers.RetryAfter = NewsletterEndpoints.RetryAfter.TotalSeconds.ToString(CultureInfo.InvariantCulture);
            return Page();
        }
        if (Outcome == State.Invalid)
            Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    /// <summary>The body RFC 8058 prescribes for a mail client's one-click unsubscribe.</summary>
    private static bool IsOneClick(IFormCollection form) => form["List-Unsubscribe"] == "One-Click";

    /// <summary>The posted form, or null when it cannot be read (then nothing is done).</summary>
    private async Task<IFormCollection?> ReadFormAsync()
    {
        if (!Request.HasFormContentType)
            return null;
        try
        {
            return await Request.ReadFormAsync(HttpContext.RequestAborted);
        }
        catch (Exception ex) when (ex is InvalidDataException or BadHttpRequestException or IOException)
        {
            return null;
        }
    }

    private void SetUp(string? token)
    {
        DoNotCache();
        Token = token;
        Meta = new PageMeta("Unsubscribe · Verdicts", "Stop the weekly Verdicts email.", "/unsubscribe") { NoIndex = true };
    }
}
