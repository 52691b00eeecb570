using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Verdicts.Web.Admin;

public static class AdminFeature
{
    public static IServiceCollection AddAdmin(this IServiceCollection services)
    {
        services.AddSingleton<AdminAccounts>();
        services.AddSingleton<LoginThrottle>();
        services.AddSingleton<AdminSessions>();
        services.AddHostedService(sp => sp.GetRequiredService<AdminSessions>());
        services.AddSingleton<AuditLog>();
        services.AddSingleton<ContentFiles>();
        // Only the admin area has signed-in users, and its cookie is sent to /admin alone. So no scheme authenticates by default
        // (with one scheme registered, ASP.NET Core would otherwise make it the default, and every vote and page would run the
        // cookie handler to find no cookie); the admin pages' policy names the scheme instead, and authenticates only there.
        AppContext.SetSwitch("Microsoft.AspNetCore.Authentication.SuppressAutoDefaultScheme", true);
        services.AddAuthentication(authentication =>
        {
            authentication.DefaultChallengeScheme = CookieAuthenticationDefaults.AuthenticationScheme;
            authentication.DefaultForbidScheme = CookieAuthenticationDefaults.AuthenticationScheme;
            authentication.DefaultSignInScheme = CookieAuthenticationDefaults.AuthenticationScheme;
            authentication.DefaultSignOutScheme = CookieAuthenticationDefaults.AuthenticationScheme;
        }).AddCookie(cookie =>
        {
            cookie.Cookie.Name = "verdicts-admin";
            cookie.Cookie.Path = "/admin";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.LoginPath = "/admin/login";
            cookie.AccessDeniedPath = "/admin/login";
            cookie.ExpireTimeSpan = TimeSpan.FromHours(8);
            cookie.SlidingExpiration = true;
            // Every admin request asks the server too: signed out, account removed, password changed, or lifetime over.
            cookie.Events.OnValidatePrincipal = context => context.HttpContext.RequestServices.GetRequiredService<AdminSessions>().ValidateAsync(context);
            // Scripts and API clients get a plain 401 rather than a redirect to a login form.
            cookie.Events.OnRedirectToLogin = context =>
            {
                if (AdminRequests.IsApiStyle(context.Request))
                    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                else
                    context.Response.Redirect(context.RedirectUri);
                return Task.CompletedTask;
            };
        });
        services.AddAuthorization(authorization => authorization.DefaultPolicy =
            new AuthorizationPolicyBuilder(CookieAuthenticationDefaults.AuthenticationScheme).RequireAuthenticatedUser().Build());
        return services.Configure<RazorPagesOptions>(pages =>
        {
            // The whole admin folder needs a signed-in admin; only the login page is open.
            pages.Conventions.AuthorizeFolder("/Admin");
            pages.Conventions.AllowAnonymousToPage("/Admin/Login");
        });
    }
}
