using System.Globalization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Verdicts.Web.Admin;

namespace Verdicts.Web.Pages.Admin;

public sealed class LoginModel(AdminAccounts accounts, LoginThrottle throttle, AdminSessions sessions, ILogger<LoginModel> logger) : SitePageModel
{
    public bool Configured => accounts.AnyConfigured;

    public string? Problem { get; private set; }

    [BindProperty]
    public string Name { get; set; } = "";

    [BindProperty]
    public string Password { get; set; } = "";

    public void OnGet() => Describe();

    public async Task<IActionResult> OnPostAsync(string? returnUrl)
    {
        Describe();
        if (!Configured)
        {
            Response.StatusCode = StatusCodes.Status403Forbidden;
            return Page();
        }
        // Refused before any work: an unbounded name would otherwise be hashed, counted and kept by the throttle.
        if (string.IsNullOrEmpty(Name) || string.IsNullOrEmpty(Password))
            return Refuse("Give a name and a password.");
        if (Name.Length > LoginThrottle.MaxNameLength || Password.Length > LoginThrottle.MaxPasswordLength)
            return Refuse($"Names are at most {LoginThrottle.MaxNameLength} characters and passwords at most {LoginThrottle.MaxPasswordLength}.");
        var address = AdminRequests.ClientKey(HttpContext);
        var wait = await throttle.RetryAfterAsync(Name, address);
        if (wait > TimeSpan.Zero)
        {
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            Response.Headers.RetryAfter = Math.Ceiling(wait.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            Problem = $"Too many failed attempts. Try again in {Math.Ceiling(wait.TotalSeconds)} seconds.";
            return Page();
        }
        if (accounts.Verify(Name, Password) is not { } admin)
        {
            await throttle.FailedAsync(Name, address);
            logger.LogWarning("Failed admin sign-in from {Address}", address);
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            Problem = "That name and password do not match an admin account.";
            return Page();
        }
        await throttle.SucceededAsync(Name, address);
        var principal = await sessions.StartAsync(admin);
        var next = AdminRequests.ReturnPath(returnUrl);
        // Named here, since on the login page the cookie handler would otherwise redirect to the raw ReturnUrl itself.
        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, principal,
            new AuthenticationProperties { RedirectUri = next });
        logger.LogInformation("Admin {Admin} signed in", admin);
        // A redirect, so the next page is rendered with antiforgery tokens issued for the signed-in admin.
        return LocalRedirect(next);
    }

    private PageResult Refuse(string problem)
    {
        // Nothing typed is sent back: the form is drawn empty.
        Name = "";
        ModelState.Remove(nameof(Name));
        Response.StatusCode = StatusCodes.Status400BadRequest;
        Problem = problem;
        return Page();
    }

    private void Describe() => Meta = new PageMeta("Sign in · Verdicts admin", "Admin sign-in.", "/admin/login") { NoIndex = true };
}
