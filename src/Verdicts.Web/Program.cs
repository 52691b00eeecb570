using Verdicts.Web;
using Verdicts.Web.Admin;
using Verdicts.Web.Api;
using Verdicts.Web.Content;
using Verdicts.Web.Data;
using Verdicts.Web.Newsletter;
using Verdicts.Web.Pages;
using Verdicts.Web.Pages.Compare;
using Verdicts.Web.Security;
using Verdicts.Web.Sharing;
using Verdicts.Web.Syndication;
using Verdicts.Web.Voting;

var repositoryRoot = VerdictsOptions.FindRepositoryRoot();
if (Commands.RunWithoutServices(args, repositoryRoot) is { } exitCode)
    return exitCode;

var builder = WebApplication.CreateBuilder(Commands.BuilderOptions(args));
// Run from the build output (dotnet run, the tests) in any environment, MapStaticAssets finds its precompressed files
// through the build's manifest, which the framework reads on its own only in Development; a published site has none.
builder.WebHost.UseStaticWebAssets();
builder.AddSiteLogging();
builder.Services.AddVerdictsOptions(repositoryRoot);
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddDatabase();
builder.Services.AddContent();
builder.Services.AddVoting();
builder.Services.AddNewsletter();

// `import` and `send-newsletter` use none of the web services below; registering and building them was about a
// twentieth of an empty import.
if (Commands.NeedsOnlyData(args))
    return await Commands.RunWithDataAsync(builder.Build(), args);

builder.Services.AddPageCache();
builder.Services.AddVisitorRateLimits();
builder.Services.AddPages();
builder.Services.AddAdmin();
builder.Services.AddApi();
builder.Services.AddSharing();
// JSON answers escape <, > and & as well: inert even if some client ever treats them as HTML.
builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Default);
// Requests Kestrel refuses itself (400, 408, 414, 431) never reach the middleware that sets the security headers.
builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(listen => listen.UseSecurityHeadersOnRejections()));

var app = builder.Build();
if (!await app.TryPrepareDatabaseAsync(args))
    return 1;

app.UseSecurityHeaders();
app.UseForwardedHeaders();
// Outside the error pages' re-execution, so a request is one line with the address asked for and its final status.
app.UseRequestLogging();
app.UseExceptionHandler("/error");
app.UseStatusCodePagesWithReExecute("/not-found");
app.UsePageCache();
app.UseCrossOriginProtection();
app.UseVisitorRateLimits();
app.UseVoting();
app.UseAdminPathGuard();
app.UseRouting();
// Called here, not in a branch for /admin: WebApplication adds both to the front of the pipeline for every request
// unless the app's own builder has them.
app.UseAuthentication();
app.UseAuthorization();

app.MapStaticAssets();
app.MapRazorPages().WithStaticAssets();
app.MapComparisons();
app.MapSearchSuggestions();
app.MapSyndication();
app.MapSharing();
app.MapApi();
app.MapVoting();
app.MapNewsletter();
app.MapHealthCheck();

app.Run();
return 0;
