namespace Verdicts.Web.Pages;

public static class PagesFeature
{
    public static IServiceCollection AddPages(this IServiceCollection services)
    {
        services.AddRazorPages();
        // The fingerprinted addresses MapStaticAssets serves, as MapRazorPages().WithStaticAssets() hands them to the
        // Razor Pages: the comparison page and the notices are not Razor Pages, so their slices read the same collection here.
        services.AddSingleton(sp => sp.GetRequiredService<Microsoft.AspNetCore.Routing.EndpointDataSource>().Endpoints
            .Select(endpoint => endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Components.ResourceAssetCollection>())
            .First(assets => assets is not null)!);
        // Every page form (the admin's, the unsubscribe button) carries a token checked against this cookie.
        return services.AddAntiforgery(antiforgery =>
        {
            antiforgery.Cookie.Name = "verdicts-antiforgery";
            antiforgery.Cookie.SameSite = SameSiteMode.Strict;
            antiforgery.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
    }
}
