using Dapper;
using Verdicts.Web.Data;

namespace Verdicts.Web.Pages.Admin.Content;

public sealed class IndexModel(Database database) : SitePageModel
{
    public sealed record FileRow
    {
        public required string Path { get; init; }
        public required string Kind { get; init; }
        public required string State { get; init; }
    }

    public ILookup<string, FileRow> ByKind { get; private set; } = Enumerable.Empty<FileRow>().ToLookup(f => f.Kind);
    public string? Deleted { get; private set; }

    public static readonly string[] Kinds = ["tool", "reviewer", "verdict", "comparison"];

    public async Task OnGetAsync(string? deleted)
    {
        DoNotCache();
        Deleted = deleted;
        using var connection = database.Open();
        ByKind = (await connection.QueryAsync<FileRow>("SELECT path, kind, state FROM content_files ORDER BY path")).ToLookup(f => f.Kind);
        Meta = new PageMeta("Content · Verdicts admin", "Browse content files.", "/admin/content") { NoIndex = true };
    }
}
