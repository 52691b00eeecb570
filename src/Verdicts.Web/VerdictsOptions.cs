using System.ComponentModel.DataAnnotations;
using System.Net;
using Microsoft.Extensions.Options;
using Verdicts.Web.Security;

namespace Verdicts.Web;

/// <summary>The <c>Verdicts</c> configuration section. Relative paths are resolved against the repository root once, at start-up.</summary>
public sealed class VerdictsOptions : IValidatableObject
{
    public const string Section = "Verdicts";

    [Required]
    public string ContentPath { get; set; } = "content";

    [Required]
    public string DatabasePath { get; set; } = "data/verdicts.db";

    /// <summary>
    /// A PostgreSQL connection string (Npgsql's form): when set, what visitors and admins write is kept there, shared by
    /// every node, and only the content read models stay in <see cref="DatabasePath"/>. Empty: everything in SQLite.
    /// </summary>
    public string Postgres { get; set; } = "";

    /// <summary>Seconds between full rescans of the content folder, whatever the file watcher reports.</summary>
    [Range(0.1, 3600)]
    public double RescanSeconds { get; set; } = 2;

    public bool WatchFiles { get; set; } = true;

    /// <summary>A git URL or a path to a (bare) repository: the content folder is then a clone of it, and admin saves are commits pushed there. Empty: a plain folder.</summary>
    public string ContentRemote { get; set; } = "";

    /// <summary>Seconds between pulls from <see cref="ContentRemote"/>.</summary>
    [Range(1, 86400)]
    public double ContentPullSeconds { get; set; } = 5;

    /// <summary>Key for hashing visitor ids; empty means a random key generated on first start and kept in the database.</summary>
    public string VoterKey { get; set; } = "";

    /// <summary>Where mail goes when no SMTP server is configured: one .eml file per message.</summary>
    public string MailPickupPath { get; set; } = "data/mail";

    public string MailFrom { get; set; } = "Verdicts <newsletter@verdicts.localhost>";

    public SmtpOptions Smtp { get; set; } = new();

    /// <summary>Admin accounts: <c>Verdicts:Admins:0:Name</c> and <c>Verdicts:Admins:0:PasswordHash</c>, and so on.</summary>
    public List<Admin.AdminAccount> Admins { get; set; } = [];

    /// <summary>Hours an admin stays signed in, however active; without a request for 8 hours the session ends sooner.</summary>
    [Range(0.1, 720)]
    public double AdminSessionHours { get; set; } = 12;

    /// <summary>
    /// The public address (scheme and host) for mail links, canonical links and feeds. Nothing is ever built from a
    /// request's Host header: while this is empty, sign-ups are refused and page links are relative.
    /// Kept without a trailing slash, so that a path can follow it.
    /// </summary>
    [RegularExpression(@"^(https?://[^/?#\s]+(/[^?#\s]*)?)?$", ErrorMessage = "Verdicts:SiteUrl must be an http or https address, such as https://verdicts.example, or empty.")]
    public string SiteUrl { get; set => field = value.TrimEnd('/'); } = "";

    /// <summary>Tools on each page of a category, verdicts on each page of a reviewer's list.</summary>
    [Range(1, 1000)]
    public int ListPageSize { get; set; } = 50;

    /// <summary>Tools the home page shows under each category, before a link to the rest.</summary>
    [Range(1, 100)]
    public int HomeToolsPerCategory { get; set; } = 6;

    /// <summary>Up to this many tools the compare form offers them in lists; beyond it, visitors type a tool's name.</summary>
    [Range(0, 10000)]
    public int CompareListLimit { get; set; } = 300;

    // From the working directory when it is inside a checkout (`dotnet run`), else from the app's own folder.
    public static string FindRepositoryRoot() =>
        FindRepositoryRoot(Directory.GetCurrentDirectory()) is var fromCwd && File.Exists(Path.Combine(fromCwd, "Verdicts.sln"))
            ? fromCwd
            : FindRepositoryRoot(AppContext.BaseDirectory);

    /// <summary>
    /// The app's own folder when it is a published copy (only a published copy holds <c>wwwroot</c> beside its dll), so
    /// that the copy reads its <c>appsettings.json</c> and serves its files wherever it is started from; null otherwise,
    /// which keeps the framework's default (the working directory; the build output finds its files through its manifest).
    /// </summary>
    public static string? PublishedCopyFolder() =>
        Directory.Exists(Path.Combine(AppContext.BaseDirectory, "wwwroot")) ? AppContext.BaseDirectory : null;

    [ValidateObjectMembers]
    public RateLimitOptions RateLimit { get; set; } = new();

    /// <summary>Proxies whose X-Forwarded-For is believed: <c>Verdicts:TrustedProxies:0</c>, and so on. None by default.</summary>
    public List<string?> TrustedProxies { get; set; } = [];

    public IReadOnlyList<IPAddress> TrustedProxyAddresses() =>
        TrustedProxies.Select(p => IPAddress.TryParse(p, out var address) ? address : null).OfType<IPAddress>().ToList();

    /// <summary>For measuring cache misses only.</summary>
    public bool DisableOutputCache { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        TrustedProxies.Where(p => !string.IsNullOrWhiteSpace(p) && !IPAddress.TryParse(p, out _))
            .Select(p => new ValidationResult($"Verdicts:TrustedProxies: \"{p}\" is not an IP address.", [nameof(TrustedProxies)]))
            .Concat(PostgresProblem() is { } problem ? [new ValidationResult($"Verdicts:Postgres: {problem}", [nameof(Postgres)])] : []);

    private string? PostgresProblem()
    {
        try
        {
            _ = new Npgsql.NpgsqlConnectionStringBuilder(Postgres);
            return null;
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidCastException)
        {
            // The message names the key, never the value: the string may hold a password.
            return $"not a PostgreSQL connection string, such as Host=db.example;Database=verdicts;Username=verdicts ({ex.Message.Split('\n')[0]})";
        }
    }

    /// <summary>
    /// The folder relative paths are resolved against: the nearest folder above the app holding Verdicts.sln
    /// (a checkout), else the app's content root (a published copy).
    /// </summary>
    public static string FindRepositoryRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Verdicts.sln")))
                return dir.FullName;
        }
        return start;
    }

    public void ResolvePaths(string repositoryRoot)
    {
        ContentPath = Path.GetFullPath(ContentPath, repositoryRoot);
        DatabasePath = Path.GetFullPath(DatabasePath, repositoryRoot);
        MailPickupPath = Path.GetFullPath(MailPickupPath, repositoryRoot);
        // A URL (scheme://… or scp-style host:path) stays as written; a local path is made absolute, as git records it.
        if (ContentRemote.Length > 0 && !ContentRemote.Contains("://", StringComparison.Ordinal) && !System.Text.RegularExpressions.Regex.IsMatch(ContentRemote, "^[^/]+:"))
            ContentRemote = Path.GetFullPath(ContentRemote, repositoryRoot);
    }
}

public static class VerdictsOptionsRegistration
{
    public static IServiceCollection AddVerdictsOptions(this IServiceCollection services, string repositoryRoot)
    {
        services.AddOptions<VerdictsOptions>()
            .BindConfiguration(VerdictsOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart()
            .PostConfigure(o => o.ResolvePaths(repositoryRoot));
        return services;
    }
}

/// <summary><c>Verdicts:Smtp</c>: mail goes out through this server when Host is set.</summary>
public sealed class SmtpOptions
{
    public string Host { get; set; } = "";
    public int Port { get; set; } = 587;
    public string UserName { get; set; } = "";
    public string Password { get; set; } = "";
    public bool UseStartTls { get; set; } = true;
}
