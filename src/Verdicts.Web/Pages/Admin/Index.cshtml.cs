using Dapper;
using Verdicts.Web.Content;
using Verdicts.Web.Data;

namespace Verdicts.Web.Pages.Admin;

/// <summary>Content health: every file with its state, every error linked to its line, and what loaded.</summary>
public sealed class IndexModel(Database database, ContentReloader reloader, Verdicts.Web.Admin.LoginThrottle throttle) : SitePageModel
{
    public sealed record FileRow
    {
        public required string Path { get; init; }
        public required string Kind { get; init; }
        public required string State { get; init; }
    }

    public sealed record ErrorRow
    {
        public required string Path { get; init; }
        public long Line { get; init; }
        public long Column { get; init; }
        public required string Message { get; init; }

        public string Link => $"/admin/content/{Path}?line={Line}";
        public override string ToString() => $"{Path}:{Line}:{Column}: {Message}";
    }

    public IReadOnlyList<FileRow> Files { get; private set; } = [];
    public ILookup<string, ErrorRow> Errors { get; private set; } = Enumerable.Empty<ErrorRow>().ToLookup(e => e.Path);
    public IReadOnlyList<ErrorRow> AllErrors { get; private set; } = [];
    public string? ReloadedAt { get; private set; }
    public (long Tools, long Reviewers, long Verdicts, long Comparisons) Counts { get; private set; }
    public bool FolderMissing { get; private set; }

    /// <summary>Failed sign-ins within the throttle's window, so an admin sees who is being locked out, and from where.</summary>
    public IReadOnlyList<Verdicts.Web.Admin.LoginThrottle.Entry> SignInFailures { get; private set; } = [];

    public async Task OnGetAsync()
    {
        DoNotCache();
        using var connection = database.Open();
        Files = (await connection.QueryAsync<FileRow>("SELECT path, kind, state FROM content_files ORDER BY kind, path")).ToList();
        AllErrors = (await connection.QueryAsync<ErrorRow>("SELECT path, line, \"column\", message FROM content_errors ORDER BY path, line, \"column\"")).ToList();
        Errors = AllErrors.ToLookup(e => e.Path, StringComparer.Ordinal);
        ReloadedAt = await connection.QuerySingleOrDefaultAsync<string>("SELECT reloaded_at FROM content_reloads");
        Counts = await connection.QuerySingleAsync<(long, long, long, long)>("""
            SELECT (SELECT count(*) FROM tools), (SELECT count(*) FROM reviewers), (SELECT count(*) FROM verdicts), (SELECT count(*) FROM comparisons)
            """);
        FolderMissing = !Directory.Exists(reloader.ContentRoot);
        SignInFailures = await throttle.RecentAsync(100);
        Meta = new PageMeta("Content health · Verdicts admin", "Content health.", "/admin") { NoIndex = true };
    }
}
