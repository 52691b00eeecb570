namespace Verdicts.Web.Pages;

public static class PagesFeature
{
    public static IServiceCollection AddPages(this IServiceCollection services)
    {
        services.AddRazorPages();
        // Every page form (the admin's, the unsubscribe button) carries a token checked against this cookie.
        return services.AddAntiforgery(antiforgery =>
        {
            antiforgery.Cookie.Name = "verdicts-antiforgery";
            antiforgery.Cookie.SameSite = SameSiteMode.Strict;
            antiforgery.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
    }
}
