using Microsoft.Extensions.Options;
using Serilog;
using Verdicts.Web;
using Verdicts.Web.Content;
using Verdicts.Web.Data;

var repositoryRoot = VerdictsOptions.FindRepositoryRoot(Directory.GetCurrentDirectory()) is var fromCwd && File.Exists(Path.Combine(fromCwd, "Verdicts.sln"))
    ? fromCwd
    : VerdictsOptions.FindRepositoryRoot(AppContext.BaseDirectory);

// `check [DIR]` validates content without starting the web server; admins run it in their own CI.
if (args is ["check", .. var checkArgs])
{
    var checkBuilder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [.. checkArgs.Where(a => a.StartsWith("--", StringComparison.Ordinal))] });
    var options = checkBuilder.Configuration.GetSection(VerdictsOptions.Section).Get<VerdictsOptions>() ?? new VerdictsOptions();
    options.ResolvePaths(repositoryRoot);
    var folder = checkArgs.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) is { } dir
        ? Path.GetFullPath(dir)
        : options.ContentPath;
    return ContentChecker.Run(folder, Console.Out);
}

var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = args,
    WebRootPath = Path.Combine(repositoryRoot, "wwwroot"),
});

builder.Services.AddSerilog((services, logger) => logger.ReadFrom.Configuration(builder.Configuration));
builder.Services.AddOptions<VerdictsOptions>()
    .BindConfiguration(VerdictsOptions.Section)
    .ValidateDataAnnotations()
    .ValidateOnStart()
    .PostConfigure(o => o.ResolvePaths(repositoryRoot));
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton(sp => new Database(sp.GetRequiredService<IOptions<VerdictsOptions>>().Value.DatabasePath));
builder.Services.AddSingleton<ContentImporter>();
builder.Services.AddSingleton<ContentReloader>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<ContentReloader>());
builder.Services.AddRazorPages();

var app = builder.Build();

Migrations.Apply(app.Services.GetRequiredService<Database>());

app.UseSerilogRequestLogging();
app.UseStaticFiles();
app.UseRouting();
app.MapRazorPages();

app.Run();
return 0;
