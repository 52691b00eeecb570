using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Verdicts.Web.Admin;
using Verdicts.Web.Content;

namespace Verdicts.Web.Pages.Admin.Content;

/// <summary>
/// One content file's past versions, from the audit log: who changed it, when, and the diff, newest first and a page at
/// a time. Each kept version can be restored, through the editor's save (<see cref="EditModel.OnPostRestoreAsync"/>).
/// </summary>
public sealed class HistoryModel(ContentFiles files, AuditLog audit) : SitePageModel
{
    public const int PageSize = 20;

    public string RelativePath { get; private set; } = "";
    public bool Exists { get; private set; }

    /// <summary>The file as it is now: a restore is a save opened from this version, so it is refused if the file moves on.</summary>
    public string CurrentHash { get; private set; } = "";
    public string CurrentText { get; private set; } = "";

    public IReadOnlyList<AuditLog.Entry> Changes { get; private set; } = [];

    /// <summary>Where the next (older) page starts, when there is one.</summary>
    public long? OlderThan { get; private set; }

    public IActionResult OnGet(string? path)
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
        var changes = audit.History(RelativePath, before, PageSize + 1);
        Changes = changes.Take(PageSize).ToList();
        OlderThan = changes.Count > PageSize ? Changes[^1].Id : null;
        Meta = new PageMeta($"History of {RelativePath} · Verdicts admin", "Past versions of a content file.", "/admin/history/" + RelativePath) { NoIndex = true };
        return Page();
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
