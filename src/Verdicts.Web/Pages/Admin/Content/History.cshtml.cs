using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Verdicts.Web.Admin;
using Verdicts.Web.Content;

namespace Verdicts.Web.Pages.Admin.Content;

/// <summary>
/// One content file's past versions: who changed it, when, and the diff, newest first and a page at a time; from the
/// audit log, or from git when the content lives in a remote (<see cref="ContentClone"/>), where the commits pushed from
/// elsewhere are part of the file's history too. Each kept version can be restored, through the editor's save
/// (<see cref="EditModel.OnPostRestoreAsync"/>).
/// </summary>
public sealed class HistoryModel(ContentFiles files, AuditLog audit, ContentClone clone) : SitePageModel
{
    public const int PageSize = 20;

    public string RelativePath { get; private set; } = "";
    public bool Exists { get; private set; }

    /// <summary>The file as it is now: a restore is a save opened from this version, so it is refused if the file moves on.</summary>
    public string CurrentHash { get; private set; } = "";
    public string CurrentText { get; private set; } = "";

    public IReadOnlyList<AuditLog.Entry> Changes { get; private set; } = [];

    /// <summary>Where the next (older) page starts, when there is one: the id of the last change shown, or in git how many were shown.</summary>
    public long? OlderThan { get; private set; }

    /// <summary>Whether the changes come from git (commits, wherever they were made) rather than the audit log.</summary>
    public bool FromGit => clone.Enabled;

    /// <summary>Git could not read the file's history (the changes shown are then none).</summary>
    public bool Unreadable { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? path)
    {
        DoNotCache();
        var (full, problem) = files.Resolve(path);
        if (problem is not null)
            return PlainBadRequest(problem);
        long? before = null;
        if (Request.Query.TryGetValue("before", out var value))
        {
            if (value.Count != 1 || !long.TryParse(value.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
                return PlainBadRequest("'before' must be the number of a change in this file's history.");
            before = id;
        }
        RelativePath = path!;
        Exists = System.IO.File.Exists(full);
        CurrentText = Exists ? System.IO.File.ReadAllText(full!) : "";
        CurrentHash = ContentFiles.Hash(full!);
        if (clone.Enabled)
        {
            var skip = (int)Math.Min(before ?? 0, int.MaxValue - PageSize - 1);
            var versions = await clone.HistoryAsync(RelativePath, skip, PageSize + 1);
            Unreadable = versions is null;
            Changes = [.. (versions ?? []).Take(PageSize).Select((v, i) => FromCommit(v, skip + i + 1))];
            OlderThan = versions?.Count > PageSize ? skip + PageSize : null;
        }
        else
        {
            var changes = audit.History(RelativePath, before, PageSize + 1);
            Changes = changes.Take(PageSize).ToList();
            OlderThan = changes.Count > PageSize ? Changes[^1].Id : null;
        }
        Meta = new PageMeta($"History of {RelativePath} · Verdicts admin", "Past versions of a content file.", "/admin/history/" + RelativePath) { NoIndex = true };
        return Page();
    }

    /// <summary>A commit as a change in the file's history; <paramref name="id"/> is its place, newest first, for the page's anchors.</summary>
    private AuditLog.Entry FromCommit(ContentClone.FileVersion version, long id)
    {
        var diff = LineDiff.Between(version.Before, version.After);
        return new AuditLog.Entry
        {
            Id = id,
            Commit = version.Commit,
            At = Data.Iso.Instant(version.At),
            Admin = version.Author,
            Action = version.Before is null ? "create" : version.After is null ? "delete" : "save",
            Path = RelativePath,
            Detail = version.Subject,
            TextBefore = version.Before,
            TextAfter = version.After,
            Sha256Before = version.Before is null ? null : ContentParser.Hash(ContentFiles.Bytes(version.Before)),
            Sha256After = version.After is null ? null : ContentParser.Hash(ContentFiles.Bytes(version.After)),
            Diff = diff.Unified,
            LinesAdded = diff.Added,
            LinesRemoved = diff.Removed,
        };
    }

    public static string Done(string action) => action switch
    {
        "save" => "Saved",
        "create" => "Created",
        "delete" => "Deleted",
        "rename" => "Renamed",
        "restore" => "Restored",
        _ => action,
    };

    /// <summary>For a verdict file, how the change moved the reviewer's stance, in words; null when it did not.</summary>
    public string? Stance(AuditLog.Entry change)
    {
        if (ContentParser.KindOf(RelativePath) != ContentKind.Verdict)
            return null;
        var (before, after) = (VerdictIn(change.TextBefore), VerdictIn(change.TextAfter));
        if (before == after || before is null && after is null)
            return null;
        var reviewer = Path.GetFileNameWithoutExtension(RelativePath);
        var name = files.Snapshot.Reviewers.TryGetValue(reviewer, out var document) ? document.Name : reviewer;
        return (before, after) switch
        {
            (null, _) => $"{name} gave the verdict “{after}”.",
            (_, null) => $"{name}'s verdict “{before}” was taken away.",
            _ => $"{name} changed stance from “{before}” to “{after}”.",
        };
    }

    private string? VerdictIn(string? text) =>
        text is null ? null : ContentParser.Parse(RelativePath, ContentKind.Verdict, ContentFiles.Bytes(text)).Document is VerdictDocument verdict ? verdict.Verdict : null;
}
