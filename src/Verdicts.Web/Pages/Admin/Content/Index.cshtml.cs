using Dapper;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Verdicts.Web.Data;
using Verdicts.Web.Pages.Shared;

namespace Verdicts.Web.Pages.Admin.Content;

/// <summary>The content files, a page at a time, narrowed by kind and by part of the path: at 10 000 tools there are 55 000.</summary>
public sealed class IndexModel(Database database) : SitePageModel
{
    private const int PageSize = 100;
    private const int MaxFilterLength = 200;

    public sealed record FileRow
    {
        public required string Path { get; init; }
        public required string Kind { get; init; }
        public required string State { get; init; }
    }

    public static readonly string[] Kinds = ["tool", "reviewer", "verdict", "comparison"];

    public IReadOnlyDictionary<string, long> Counts { get; private set; } = new Dictionary<string, long>();
    public IReadOnlyList<FileRow> Files { get; private set; } = [];
    public Paging Paging { get; private set; } = new(1, PageSize, 0, "/admin/content");
    public string? Kind { get; private set; }
    public string Filter { get; private set; } = "";
    public string? Deleted { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? deleted, string? kind, string? path)
    {
        DoNotCache();
        Meta = new PageMeta("Content · Verdicts admin", "Browse content files.", "/admin/content") { NoIndex = true };
        if (Paging.Requested(Request) is not { } number)
            return NotFound();
        if (kind is { Length: > 0 } && !Kinds.Contains(kind))
            return PlainBadRequest($"Kind must be one of {string.Join(", ", Kinds)}.");
        Kind = kind is { Length: > 0 } ? kind : null;
        Filter = (path ?? "").Trim();
        if (Filter.Length > MaxFilterLength)
            return PlainBadRequest($"The path filter is limited to {MaxFilterLength} characters.");
        Deleted = deleted;

        using var connection = database.Open();
        Counts = (await connection.QueryAsync<(string Kind, long Files)>("SELECT kind, count(*) FROM content_files GROUP BY kind"))
            .ToDictionary(c => c.Kind, c => c.Files, StringComparer.Ordinal);
        // instr, not LIKE: the filter is matched as typed, with no wildcards of its own.
        const string Where = "WHERE (@kind IS NULL OR kind = @kind) AND instr(lower(path), lower(@filter)) > 0";
        var matching = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM content_files " + Where, new { kind = Kind, filter = Filter });
        Paging = new Paging(number, PageSize, matching,
            QueryHelpers.AddQueryString("/admin/content", new Dictionary<string, string?> { ["kind"] = Kind, ["path"] = Filter.Length > 0 ? Filter : null }));
        if (!Paging.Exists)
            return NotFound();
        Files = (await connection.QueryAsync<FileRow>("SELECT path, kind, state FROM content_files " + Where + " ORDER BY path LIMIT @limit OFFSET @offset",
            new { kind = Kind, filter = Filter, limit = PageSize, offset = Paging.Offset })).ToList();
        return Page();
    }

    public static string Plural(string kind) => char.ToUpperInvariant(kind[0]) + kind[1..] + "s";
}
