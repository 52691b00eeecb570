using Microsoft.Extensions.Options;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Serilog;
using Verdicts.Web;
using Verdicts.Web.Admin;
using Verdicts.Web.Api;
using Verdicts.Web.Content;
using Verdicts.Web.Data;
using Verdicts.Web.Newsletter;
using Verdicts.Web.Pages;
using Verdicts.Web.Pages.Compare;
using Verdicts.Web.Security;
using Verdicts.Web.Syndication;
using Verdicts.Web.Voting;

var repositoryRoot = VerdictsOptions.FindRepositoryRoot(Directory.GetCurrentDirectory()) is var fromCwd && File.Exists(Path.Combine(fromCwd, "Verdicts.sln"))
    ? fromCwd
    : VerdictsOptions.FindRepositoryRoot(AppContext.BaseDirectory);

if (Commands.RunWithoutServices(args, repositoryRoot) is { } exitCode)
    return exitCode;

var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = Commands.BuilderArguments(args),
    WebRootPath = Path.Combine(repositoryRoot, "wwwroot"),
});

// The sinks and formatters that settings can name are those shipped with Serilog.AspNetCore. Naming their assemblies
// spares every start a scan of the dependency manifest for anything called Serilog.
builder.Services.AddSerilog((services, logger) => logger.ReadFrom.Configuration(builder.Configuration,
    new Serilog.Settings.Configuration.ConfigurationReaderOptions(
        typeof(ConsoleLoggerConfigurationExtensions).Assembly, typeof(FileLoggerConfigurationExtensions).Assembly,
        typeof(LoggerSinkConfigurationDebugExtensions).Assembly, typeof(Serilog.Formatting.Compact.CompactJsonFormatter).Assembly)));
builder.Services.AddOptions<VerdictsOptions>()
    .BindConfiguration(VerdictsOptions.Section)
    .ValidateDataAnnotations()
    .ValidateOnStart()
    .PostConfigure(o => o.ResolvePaths(repositoryRoot));
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton(sp => new Database(sp.GetRequiredService<IOptions<VerdictsOptions>>().Value.DatabasePath));
// Counted from the votes once, when the database is prepared (below); the vote writer keeps it from then on.
builder.Services.AddSingleton(sp => VoteTallies.Load(sp.GetRequiredService<Database>(),
    DateOnly.FromDateTime(sp.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime)));
builder.Services.AddSingleton<ContentImporter>();
builder.Services.AddSingleton<ContentReloader>();
builder.Services.AddSingleton<Visitors>();
builder.Services.AddSingleton<Mailer>();
builder.Services.AddSingleton<Subscriptions>();
builder.Services.AddSingleton<WeeklyNewsletter>();

// `import` and `send-newsletter` use none of the web services below; registering and building them was about a
// twentieth of an empty import.
if (Commands.NeedsOnlyData(args))
    return await Commands.RunWithDataAsync(builder.Build(), args);

// JSON answers escape <, > and & as well: inert even if some client ever treats them as HTML.
builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Default);
// The vote writer starts first: the content's first import may move votes, which it counts again (VoteWriter.RecountMoved).
builder.Services.AddSingleton<VoteWriter>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<VoteWriter>());
builder.Services.AddHostedService(sp => sp.GetRequiredService<ContentReloader>());
builder.Services.AddSingleton<MailOutbox>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<MailOutbox>());
builder.Services.AddSingleton<CacheEviction>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<CacheEviction>());
builder.Services.AddVisitorRateLimits(builder.Configuration);
// Anonymous GETs are cached whole and evicted by tag when content reloads or a vote lands.
var outputCacheDisabled = builder.Configuration.GetValue<bool>("Verdicts:DisableOutputCache");
builder.Services.AddOutputCache(o => o.AddBasePolicy(p => p
    // Admin pages and a visitor's own votes are per person and never cached, nor is the health check, which must ask
    // the database each time; the switch exists to measure cache misses.
    // The cache answers before routing, so this base policy decides for every endpoint; endpoint metadata is never seen.
    .With(context => !outputCacheDisabled && context.HttpContext.Request.Path is var path
        && !path.StartsWithSegments("/admin") && !path.StartsWithSegments("/votes") && !path.StartsWithSegments("/healthz"))
    .Tag(CacheTags.Content)
    // Keyed by content generation as well: a page rendered from the old rows while an import commits is never served after it.
    .VaryByValue(context => new KeyValuePair<string, string>("content",
        context.RequestServices.GetRequiredService<ContentReloader>().Generation.ToString(System.Globalization.CultureInfo.InvariantCulture)))
    // Only the query keys some page reads; any other query string shares the page's cached copy.
    .SetVaryByQuery("q", "a", "b", "c", "d", "voted", "page")
    .Expire(TimeSpan.FromMinutes(10))));
builder.Services.AddSingleton<AdminAccounts>();
builder.Services.AddSingleton<LoginThrottle>();
builder.Services.AddSingleton<AdminSessions>();
builder.Services.AddSingleton<AuditLog>();
builder.Services.AddSingleton<ContentFiles>();
// Only the admin area has signed-in users, and its cookie is sent to /admin alone. So no scheme authenticates by default
// (with one scheme registered, ASP.NET Core would otherwise make it the default, and every vote and page would run the
// cookie handler to find no cookie); the admin pages' policy names the scheme instead, and authenticates only there.
AppContext.SetSwitch("Microsoft.AspNetCore.Authentication.SuppressAutoDefaultScheme", true);
builder.Services.AddAuthentication(authentication =>
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
builder.Services.AddAuthorization(authorization => authorization.DefaultPolicy =
    new AuthorizationPolicyBuilder(CookieAuthenticationDefaults.AuthenticationScheme).RequireAuthenticatedUser().Build());
builder.Services.AddAntiforgery(antiforgery =>
{
    antiforgery.Cookie.Name = "verdicts-antiforgery";
    antiforgery.Cookie.SameSite = SameSiteMode.Strict;
    antiforgery.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
});
builder.Services.AddRazorPages(pages =>
{
    // The whole admin folder needs a signed-in admin; only the login page is open.
    pages.Conventions.AuthorizeFolder("/Admin");
    pages.Conventions.AllowAnonymousToPage("/Admin/Login");
});
// Requests Kestrel refuses itself (400, 408, 414, 431) never reach the middleware that sets the security headers.
builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(listen => listen.UseSecurityHeadersOnRejections()));

var app = builder.Build();
if (!await app.TryPrepareDatabaseAsync(args))
    return 1;

app.UseSecurityHeaders();
app.UseForwardedHeaders();
app.UseExceptionHandler("/error");
app.UseStatusCodePagesWithReExecute("/not-found");
app.UseSerilogRequestLogging(logging =>
    // The path comes from the visitor: escape control characters so a CR/LF cannot forge a log line.
    logging.GetMessageTemplateProperties = (context, _, elapsed, status) =>
    [
        new("RequestMethod", new Serilog.Events.ScalarValue(context.Request.Method)),
        new("RequestPath", new Serilog.Events.ScalarValue(LogText.Escape(context.Request.Path.ToString()))),
        new("StatusCode", new Serilog.Events.ScalarValue(status)),
        new("Elapsed", new Serilog.Events.ScalarValue(elapsed)),
    ]);
// Files and cached pages answer only GETs and HEADs; a vote or a form goes past them without asking.
app.UseWhen(context => HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method), reading =>
{
    reading.UseStaticFiles();
    // A cached page is answered here, without routing, authentication or rate limiting: public pages depend on none of them.
    reading.UseOutputCache();
});
app.UseCrossOriginProtection();
app.UseVisitorRateLimits(builder.Configuration);
app.UseVoting();
app.UseAdminPathGuard();
app.UseRouting();
// Called here, not in a branch for /admin: WebApplication adds both to the front of the pipeline for every request
// unless the app's own builder has them.
app.UseAuthentication();
app.UseAuthorization();
app.MapRazorPages();
ComparisonPage.Map(app);
app.MapSyndication();
app.MapApi();
app.MapVoting();
app.MapNewsletter();
app.MapGet("/healthz", (Database database) =>
{
    if ((database.FileProblem() ?? database.ReadOnlyReason) is { } problem)
        return Results.Text($"unavailable: {problem}\n", statusCode: StatusCodes.Status503ServiceUnavailable);
    using var connection = database.Open();
    using var command = connection.CreateCommand();
    command.CommandText = "SELECT count(*) FROM tools";
    return Results.Text($"ok: {command.ExecuteScalar()} tools\n");
});

app.Run();
return 0;
