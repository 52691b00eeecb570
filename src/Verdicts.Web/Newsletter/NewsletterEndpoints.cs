using System.Data.Common;
using Verdicts.Web.Pages;
using Verdicts.Web.Security;
using Verdicts.Web.Slices;

namespace Verdicts.Web.Newsletter;

public static class NewsletterEndpoints
{
    /// <summary>Where the sign-up form posts; the visitors' rate limit (Security/VisitorRateLimits.cs) matches it too.</summary>
    public const string SubscribePath = "/subscribe";

    /// <summary>What a visitor is told to wait when the database is busy: the same as for a vote.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    public static void MapNewsletter(this IEndpointRouteBuilder app) =>
        // Rate limited ahead of routing, with the votes (Security/VisitorRateLimits.cs).
        app.MapPost(SubscribePath, SubscribeAsync).DisableAntiforgery();

    private static async Task<IResult> SubscribeAsync(HttpContext context, Subscriptions subscriptions, MailOutbox outbox, ILogger<Subscriptions> logger)
    {
        var form = await FormPost.ReadAsync(context.Request, "email", "website");
        if (form.Problem is not null)
            return form.Problem;
        // The hidden field is left empty by people and filled in by bots: they get the same answer, and nothing is stored.
        if (form.Fields.GetValueOrDefault("website") is { Length: > 0 })
            return SeeOther("/subscribe/thanks");
        if (Subscriptions.NormaliseAddress(form.Fields.GetValueOrDefault("email")) is not { } email)
            return Slices.Notice.Refusal(StatusCodes.Status400BadRequest, "That is not a single plain email address (like name@example.com, at most 254 characters).");
        // Links in mail come from the configured address only, never from the request's Host header.
        if (subscriptions.SiteUrl.Length == 0)
            return Notice(context, "Sign-ups are closed for now",
                "This site is not taking sign-ups yet: its public address is not configured, so no confirmation link can be sent. Nothing was saved.")
                .Answer(context, StatusCodes.Status503ServiceUnavailable);
        try
        {
            // Only recorded here, message and all; the outbox sends it, so every sign-up is answered alike.
            if (await subscriptions.SubscribeAsync(email))
                outbox.Wake();
        }
        catch (DbException ex)
        {
            logger.LogWarning("Could not record a sign-up: {Reason}", ex.Message);
            return Notice(context, "Please try again in a few seconds",
                "The sign-up could not be recorded just now. Nothing was saved; send the form again in a few seconds.")
                .Answer(context, StatusCodes.Status503ServiceUnavailable, RetryAfter);
        }
        return SeeOther("/subscribe/thanks");
    }

    private static Notice Notice(HttpContext context, string heading, string message) =>
        new(PageHead.For(new PageMeta($"{heading} · Verdicts", "Sign up for the weekly Verdicts email.", SubscribePath) { NoIndex = true }, context),
            "Weekly AI Tool Verdicts", heading, message);

    private static IResult SeeOther(string location) => Results.Extensions.SeeOther(location);
}
