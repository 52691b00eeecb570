using Microsoft.Extensions.Options;
using Verdicts.Web.Security;
using Verdicts.Web.Syndication;

namespace Verdicts.Web.Newsletter;

public static class NewsletterEndpoints
{
    /// <summary>Where the sign-up form posts; the visitors' rate limit (Security/VisitorRateLimits.cs) matches it too.</summary>
    public const string SubscribePath = "/subscribe";

    public static void MapNewsletter(this IEndpointRouteBuilder app) =>
        // Rate limited ahead of routing, with the votes (Security/VisitorRateLimits.cs).
        app.MapPost(SubscribePath, SubscribeAsync).DisableAntiforgery();

    private static async Task<IResult> SubscribeAsync(HttpContext context, Subscriptions subscriptions, IOptions<VerdictsOptions> options)
    {
        var form = await FormPost.ReadAsync(context.Request, "email", "website");
        if (form.Problem is not null)
            return form.Problem;
        // The hidden field is left empty by people and filled in by bots: they get the same answer, and nothing is stored.
        if (form.Fields.GetValueOrDefault("website") is { Length: > 0 })
            return SeeOther("/subscribe/thanks");
        if (Subscriptions.NormaliseAddress(form.Fields.GetValueOrDefault("email")) is not { } email)
            return Results.Text("That is not a single plain email address (like name@example.com, at most 254 characters).\n",
                "text/plain; charset=utf-8", statusCode: StatusCodes.Status400BadRequest);
        // Links in mail come from the configured address only, never from the request's Host header.
        if (SyndicationEndpoints.SiteUrl(options.Value) is not { Length: > 0 } siteUrl)
            return Results.Text("This site is not taking sign-ups yet: its public address is not configured, so no confirmation link can be sent. Nothing was saved.\n",
                "text/plain; charset=utf-8", statusCode: StatusCodes.Status503ServiceUnavailable);
        await subscriptions.SubscribeAsync(email, siteUrl, context.RequestAborted);
        return SeeOther("/subscribe/thanks");
    }

    private static IResult SeeOther(string location) => Results.Extensions.SeeOther(location);
}
