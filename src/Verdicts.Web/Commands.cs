using Microsoft.Extensions.Options;
using Verdicts.Web.Admin;
using Verdicts.Web.Content;
using Verdicts.Web.Data;
using Verdicts.Web.Newsletter;

namespace Verdicts.Web;

// The one-shot commands, run in place of the site: each does its work and exits.
public static class Commands
{
    // `check` and `hash-password` need no services, so they run before the site's builder is made.
    public static int? RunWithoutServices(string[] args, string repositoryRoot) => args switch
    {
        ["check", .. var checkArgs] => Check(checkArgs, repositoryRoot),
        ["hash-password", ..] => AdminAccounts.RunHashCommand(Console.In, Console.Out, Console.Error),
        _ => null,
    };

    // `import` and `send-newsletter` need only the data services, not the web's.
    public static bool NeedsOnlyData(string[] args) => args is ["import", ..] or ["send-newsletter", ..];

    public static WebApplicationOptions BuilderOptions(string[] args) => BuilderOptions(args, readSettingsOnce: NeedsOnlyData(args));

    // A published copy reads its appsettings.json and serves its wwwroot from its own folder, wherever it is started
    // from. A one-shot command reads its settings once: reloading them on change would watch the content root with all
    // its subfolders (from a checkout with the benchmark's content, some 10 800 inotify watches set up before any work).
    private static WebApplicationOptions BuilderOptions(IEnumerable<string> args, bool readSettingsOnce) => new()
    {
        Args = readSettingsOnce ? [.. args, "--hostBuilder:reloadConfigOnChange=false"] : [.. args],
        ContentRootPath = VerdictsOptions.PublishedCopyFolder(),
    };

    // The log's console sink writes on a background thread (appsettings.json wraps it in Async): disposing the services
    // drains its queue, which a process that simply exits would drop. Each command disposes them before its summary line,
    // so the log's lines come first; `await using` covers a command that throws.
    public static async Task<int> RunWithDataAsync(WebApplication app, string[] args)
    {
        await using (app)
            return args is ["import", ..] ? await ImportAsync(app) : await SendNewsletterAsync(app);
    }

    // `check [DIR]` validates content without starting the web server; admins run it in their own CI.
    private static int Check(string[] checkArgs, string repositoryRoot)
    {
        var checkBuilder = WebApplication.CreateBuilder(BuilderOptions(checkArgs.Where(a => a.StartsWith("--", StringComparison.Ordinal)), readSettingsOnce: true));
        var options = checkBuilder.Configuration.GetSection(VerdictsOptions.Section).Get<VerdictsOptions>() ?? new VerdictsOptions();
        options.ResolvePaths(repositoryRoot);
        var folder = checkArgs.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) is { } dir
            ? Path.GetFullPath(dir)
            : options.ContentPath;
        var progress = new ContentProgress();
        ContentChecker.Result result;
        using (ShowProgress(progress))
            result = ContentChecker.Check(folder, progress);
        return ContentChecker.Print(result, Console.Out);
    }

    // `import`: load the content folder into the database and exit (prepares a deployment; the benchmark's cold import).
    private static async Task<int> ImportAsync(WebApplication importer)
    {
        importer.Services.PrepareDatabase();
        var reloader = importer.Services.GetRequiredService<ContentReloader>();
        using (ShowProgress(reloader.FirstLoadProgress))
            reloader.ReloadNow();
        var snapshot = reloader.Snapshot;
        var database = importer.Services.GetRequiredService<Database>().Path;
        await importer.DisposeAsync();
        Console.WriteLine($"{snapshot.Files.Count} files, {snapshot.Errors.Count} errors; {snapshot.Tools.Count} tools imported into {database}");
        return snapshot.Files.Count > 0 ? 0 : 1;
    }

    // `send-newsletter`: mail this week's newsletter to the confirmed subscribers not yet sent it, and exit (run it weekly).
    private static async Task<int> SendNewsletterAsync(WebApplication sender)
    {
        sender.Services.PrepareDatabase();
        var siteUrl = sender.Services.GetRequiredService<IOptions<VerdictsOptions>>().Value.SiteUrl;
        if (siteUrl.Length == 0)
        {
            Console.Error.WriteLine("send-newsletter: set Verdicts:SiteUrl (such as https://verdicts.example) so the links in the mail lead to the site");
            return 2;
        }
        var outcome = await sender.Services.GetRequiredService<WeeklyNewsletter>().SendAsync(siteUrl, CancellationToken.None);
        await sender.DisposeAsync();
        Console.WriteLine(outcome.Comparisons == 0
            ? $"{outcome.Week}: no comparison was published in the last seven days, so nothing was sent"
            : $"{outcome.Week}: {Figures.Count(outcome.Comparisons, "comparison", "comparisons")}, sent to {Figures.Count(outcome.Sent, "subscriber", "subscribers")}"
              + $" ({outcome.SentBefore} already sent this week, {outcome.Failed} failed)");
        return outcome.Failed == 0 ? 0 : 1;
    }

    // On standard error, so that the output itself stays clean when piped; not at all when standard error is not a terminal.
    // Only when a person is watching both streams: a command whose output is piped or redirected stays quiet.
    private static ProgressLine ShowProgress(ContentProgress progress) =>
        ProgressLine.Start(Console.Error, !Console.IsErrorRedirected && !Console.IsOutputRedirected, TimeProvider.System, progress.ToString);
}
