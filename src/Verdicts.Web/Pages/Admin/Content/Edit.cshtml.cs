using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Verdicts.Web.Admin;
using Verdicts.Web.Content;

namespace Verdicts.Web.Pages.Admin.Content;

/// <summary>
/// Edits one content file in the browser: preview from the unsaved text, save only when the whole file
/// validates and nobody changed it on disk since it was opened, delete with a confirmation step, and for
/// tools a rename that keeps old links working. Each change is one <see cref="ContentChange"/>: the check that the
/// file is still the version the admin opened is made within it, so it still holds when the file is written.
/// </summary>
public sealed class EditModel(ContentFiles files, AuditLog audit, ContentClone clone) : SitePageModel
{
    public string RelativePath { get; private set; } = "";
    public ContentKind Kind { get; private set; }
    public bool Exists { get; private set; }

    [BindProperty]
    public string Text { get; set; } = "";

    /// <summary>The hash of the file as it was when the editor opened it; a save refuses to overwrite anything else.</summary>
    [BindProperty]
    public string OpenedHash { get; set; } = "";

    /// <summary>
    /// The text the editor opened, sent back with the form: on a conflict, what changed on disk meanwhile is the diff from
    /// it. Used only when its hash is <see cref="OpenedHash"/>, the one the conflict check trusts.
    /// </summary>
    [BindProperty]
    public string? OpenedText { get; set; }

    [BindProperty]
    public string? NewSlug { get; set; }

    /// <summary>The version a restore asks for, from the file's history: "after-12" (as change 12 left it) or "before-12".</summary>
    [BindProperty]
    public string? Version { get; set; }

    public IReadOnlyList<ContentError> Errors { get; private set; } = [];
    public ContentDocument? Preview { get; private set; }
    public string? ConflictText { get; private set; }

    /// <summary>On a conflict: what changed on disk since the editor opened (null when the opened text did not come back) and the admin's changes against the disk.</summary>
    public (LineDiff? ChangedMeanwhile, LineDiff? YourChanges) ConflictDiffs { get; private set; }

    /// <summary>On a conflict after a save: the text the admin sent, offered back whole to copy.</summary>
    public string? SubmittedText { get; private set; }
    public bool ConfirmDelete { get; private set; }
    public string? Notice { get; private set; }

    /// <summary>Why nothing was changed, when the change could not be made and recorded.</summary>
    public string? Problem { get; private set; }
    public int Line { get; private set; } = 1;
    public int Column { get; private set; } = 1;
    public ContentSnapshot Snapshot => files.Snapshot;

    /// <summary>Lets the editor's script add its style element under this answer's Content-Security-Policy.</summary>
    public string StyleNonce { get; private set; } = "";

    public IActionResult OnGet(string? path, int? line, string? done)
    {
        if (Open(path) is { } refused)
            return refused;
        if (!Exists)
            return NotFoundPage();
        Text = System.IO.File.ReadAllText(FullPath);
        OpenedHash = ContentFiles.Hash(FullPath);
        OpenedText = Text;
        Line = Math.Max(1, line ?? 1);
        Errors = files.Validate(RelativePath, Text).Errors;
        Notice = done switch
        {
            "saved" => "Saved. The site shows the change now.",
            "created" => "Created from the template. Fill it in and save.",
            "renamed" => "Renamed. The old address redirects here.",
            "restored" => "Restored. The site shows the restored version now.",
            _ => null,
        };
        return Page();
    }

    public IActionResult OnGetDelete(string? path)
    {
        var result = OnGet(path, null, null);
        ConfirmDelete = result is PageResult;
        return result;
    }

    public IActionResult OnPostPreview(string? path)
    {
        if (Open(path) is { } refused)
            return refused;
        (Preview, Errors) = files.Validate(RelativePath, Text);
        return Page();
    }

    public async Task<IActionResult> OnPostSaveAsync(string? path)
    {
        if (Open(path) is { } refused)
            return refused;
        return await SaveAsync(null, "saved");
    }

    /// <summary>
    /// Restores a version from the file's history: the save path itself, with the old text as the submitted text and the
    /// version the history page showed as the one opened, so it is validated and conflict-checked like any save.
    /// </summary>
    public async Task<IActionResult> OnPostRestoreAsync(string? path)
    {
        if (Open(path) is { } refused)
            return refused;
        var parts = (Version ?? "").Split('-');
        if (parts.Length != 2 || parts[0] is not ("after" or "before")
            || await ChangeAsync(parts[1]) is not { } change || (parts[0] == "after" ? change.After : change.Before) is not { } text)
            return PlainBadRequest("Choose a version of this file from its history to restore.");
        Text = text;
        ModelState.Remove(nameof(Text));
        var which = parts[0] == "after" ? "as " + change.Admin + " left it" : "from before " + change.Admin + "'s change";
        return await SaveAsync($"restored the version {which} at {change.At}", "restored");
    }

    /// <summary>A change in the file's history as the history page named it: a commit when the content is in git, else an audit row.</summary>
    private async Task<(string Admin, string At, string? Before, string? After)?> ChangeAsync(string name)
    {
        if (clone.Enabled)
            return await clone.VersionAsync(RelativePath, name) is { } version
                ? (version.Author, Data.Iso.Instant(version.At), version.Before, version.After) : null;
        return long.TryParse(name, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id)
            && audit.Change(RelativePath, id) is { } change ? (change.Admin, change.At, change.TextBefore, change.TextAfter) : null;
    }

    private async Task<IActionResult> SaveAsync(string? restored, string done)
    {
        (Preview, Errors) = files.Validate(RelativePath, Text);
        if (Errors.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            (Line, Column) = (Errors[0].Line, Errors[0].Column);
            return Page();
        }
        try
        {
            using var change = files.BeginChange(Admin);
            var current = ContentFiles.Hash(FullPath);
            if (current != OpenedHash)
                return Conflict(current, Text);
            change.Write(RelativePath, Text, restored is not null ? "restore" : current.Length == 0 ? "create" : "save", restored);
            await change.CommitAsync();
        }
        catch (ContentConflictException)
        {
            return PushedFirst(Text);
        }
        catch (ContentChangeFailedException failed)
        {
            return Unavailable(failed);
        }
        return Redirect($"/admin/content/{RelativePath}?done={done}");
    }

    public async Task<IActionResult> OnPostDeleteAsync(string? path)
    {
        if (Open(path) is { } refused)
            return refused;
        if (!Exists)
            return NotFoundPage();
        try
        {
            using var change = files.BeginChange(Admin);
            var current = ContentFiles.Hash(FullPath);
            if (current != OpenedHash)
            {
                Text = System.IO.File.ReadAllText(FullPath);
                return Conflict(current);
            }
            change.Delete(RelativePath, "delete");
            await change.CommitAsync();
        }
        catch (ContentConflictException)
        {
            Text = System.IO.File.Exists(FullPath) ? System.IO.File.ReadAllText(FullPath) : "";
            return PushedFirst();
        }
        catch (ContentChangeFailedException failed)
        {
            Text = System.IO.File.ReadAllText(FullPath);
            ConfirmDelete = true;
            return Unavailable(failed);
        }
        return Redirect("/admin/content?deleted=" + Uri.EscapeDataString(RelativePath));
    }

    public async Task<IActionResult> OnPostRenameAsync(string? path)
    {
        if (Open(path) is { } refused)
            return refused;
        if (Kind != ContentKind.Tool || !Exists)
            return PlainBadRequest("Only tool files can be renamed here.");
        Text = System.IO.File.ReadAllText(FullPath);
        ToolRename plan;
        try
        {
            using var change = files.BeginChange(Admin);
            var current = ContentFiles.Hash(FullPath);
            if (current != OpenedHash)
                return Conflict(current);
            plan = ToolRename.Plan(files, RelativePath, (NewSlug ?? "").Trim());
            if (plan.Problem is not null)
            {
                Errors = [new ContentError(RelativePath, 1, 1, plan.Problem)];
                Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
                return Page();
            }
            plan.Apply(change);
            await change.CommitAsync();
        }
        catch (ContentConflictException)
        {
            return PushedFirst();
        }
        catch (ContentChangeFailedException failed)
        {
            return Unavailable(failed);
        }
        return Redirect($"/admin/content/tools/{plan.NewSlug}.md?done=renamed");
    }

    private string FullPath { get; set; } = "";

    private string Admin => User.Identity?.Name ?? "unknown";

    private IActionResult? Open(string? path)
    {
        DoNotCache();
        StyleNonce = Security.SecurityHeaders.AllowStyleNonce(HttpContext);
        var (full, problem) = files.Resolve(path);
        if (problem is not null)
            return PlainBadRequest(problem);
        RelativePath = path!;
        FullPath = full!;
        Kind = ContentParser.KindOf(RelativePath)!.Value;
        Exists = System.IO.File.Exists(FullPath);
        Meta = new PageMeta($"{RelativePath} · Verdicts admin", "Edit a content file.", "/admin/content/" + RelativePath) { NoIndex = true };
        return null;
    }

    /// <param name="submitted">The text the admin sent (a save or a restore), to diff against the disk; null for a delete or a rename.</param>
    private PageResult Conflict(string currentHash, string? submitted = null)
    {
        ConflictText = Exists ? System.IO.File.ReadAllText(FullPath) : "";
        var disk = ContentFiles.Normalise(ConflictText);
        var opened = OpenedText is not null && ContentParser.Hash(ContentFiles.Bytes(OpenedText)) == OpenedHash ? ContentFiles.Normalise(OpenedText) : null;
        ConflictDiffs = (opened is null ? null : LineDiff.Between(opened, disk), submitted is null ? null : LineDiff.Between(disk, ContentFiles.Normalise(submitted)));
        SubmittedText = submitted;
        OpenedText = ConflictText;
        ModelState.Remove(nameof(OpenedText));
        Errors = [new ContentError(RelativePath, 1, 1, "The file changed on disk since you opened it. Nothing was written: compare both versions below, then save again.")];
        OpenedHash = currentHash;
        // The form must carry the disk version's hash now, not the one that was posted.
        ModelState.Remove(nameof(OpenedHash));
        Response.StatusCode = StatusCodes.Status409Conflict;
        return Page();
    }

    /// <summary>The conflict page when someone else pushed a change to the file first: the folder holds their version now.</summary>
    private PageResult PushedFirst(string? submitted = null)
    {
        Exists = System.IO.File.Exists(FullPath);
        return Conflict(ContentFiles.Hash(FullPath), submitted);
    }

    /// <summary>The page as it was posted, saying that nothing was changed and when to try again.</summary>
    private PageResult Unavailable(ContentChangeFailedException failed)
    {
        Problem = failed.Message;
        Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        Response.Headers.RetryAfter = "5";
        return Page();
    }

    private ContentResult NotFoundPage() =>
        new() { StatusCode = StatusCodes.Status404NotFound, ContentType = "text/plain; charset=utf-8", Content = $"There is no file {RelativePath}. Create it from /admin/new.\n" };
}
