using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Verdicts.Web.Admin;
using Verdicts.Web.Content;

namespace Verdicts.Web.Pages.Admin.Content;

/// <summary>
/// Edits one content file in the browser: preview from the unsaved text, save only when the whole file
/// validates and nobody changed it on disk since it was opened, delete with a confirmation step, and for
/// tools a rename that keeps old links working.
/// </summary>
public sealed class EditModel(ContentFiles files, AuditLog audit) : SitePageModel
{
    public string RelativePath { get; private set; } = "";
    public ContentKind Kind { get; private set; }
    public bool Exists { get; private set; }

    [BindProperty]
    public string Text { get; set; } = "";

    /// <summary>The hash of the file as it was when the editor opened it; a save refuses to overwrite anything else.</summary>
    [BindProperty]
    public string OpenedHash { get; set; } = "";

    [BindProperty]
    public string NewSlug { get; set; } = "";

    public IReadOnlyList<ContentError> Errors { get; private set; } = [];
    public ContentDocument? Preview { get; private set; }
    public string? ConflictText { get; private set; }
    public bool ConfirmDelete { get; private set; }
    public string? Notice { get; private set; }
    public int Line { get; private set; } = 1;
    public ContentSnapshot Snapshot => files.Snapshot;

    public IActionResult OnGet(string? path, int? line, string? done)
    {
        if (Open(path) is { } refused)
            return refused;
        if (!Exists)
            return NotFoundPage();
        Text = System.IO.File.ReadAllText(FullPath);
        OpenedHash = ContentFiles.Hash(FullPath);
        Line = Math.Max(1, line ?? 1);
        Errors = files.Validate(RelativePath, Text).Errors;
        Notice = done switch
        {
            "saved" => "Saved. The site shows the change now.",
            "created" => "Created from the template. Fill it in and save.",
            "renamed" => "Renamed. The old address redirects here.",
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
        (Preview, Errors) = files.Validate(RelativePath, Text);
        if (Errors.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            Line = Errors[0].Line;
            return Page();
        }
        var current = ContentFiles.Hash(FullPath);
        if (current != OpenedHash)
            return Conflict(current);
        ContentFiles.WriteAtomically(FullPath, Text);
        var after = ContentFiles.Hash(FullPath);
        audit.Record(Admin, Exists ? "save" : "create", RelativePath, NullIfEmpty(current), after);
        await files.ReloadAsync(RelativePath);
        return Redirect($"/admin/content/{RelativePath}?done=saved");
    }

    public async Task<IActionResult> OnPostDeleteAsync(string? path)
    {
        if (Open(path) is { } refused)
            return refused;
        if (!Exists)
            return NotFoundPage();
        var current = ContentFiles.Hash(FullPath);
        if (current != OpenedHash)
        {
            Text = System.IO.File.ReadAllText(FullPath);
            return Conflict(current);
        }
        System.IO.File.Delete(FullPath);
        audit.Record(Admin, "delete", RelativePath, current, null);
        await files.ReloadAsync(RelativePath);
        return Redirect("/admin/content?deleted=" + Uri.EscapeDataString(RelativePath));
    }

    public async Task<IActionResult> OnPostRenameAsync(string? path)
    {
        if (Open(path) is { } refused)
            return refused;
        if (Kind != ContentKind.Tool || !Exists)
            return PlainBadRequest("Only tool files can be renamed here.");
        Text = System.IO.File.ReadAllText(FullPath);
        var current = ContentFiles.Hash(FullPath);
        if (current != OpenedHash)
            return Conflict(current);
        var plan = ToolRename.Plan(files, RelativePath, NewSlug.Trim());
        if (plan.Problem is not null)
        {
            Errors = [new ContentError(RelativePath, 1, 1, plan.Problem)];
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }
        plan.Apply();
        foreach (var (changed, before, after) in plan.Changes)
            audit.Record(Admin, "rename", changed, before, after, $"tool '{plan.OldSlug}' renamed to '{plan.NewSlug}'");
        // A rename moves a whole folder of verdicts: look at everything.
        await files.ReloadAsync();
        return Redirect($"/admin/content/tools/{plan.NewSlug}.md?done=renamed");
    }

    private string FullPath { get; set; } = "";

    private string Admin => User.Identity?.Name ?? "unknown";

    private IActionResult? Open(string? path)
    {
        DoNotCache();
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

    private PageResult Conflict(string currentHash)
    {
        ConflictText = Exists ? System.IO.File.ReadAllText(FullPath) : "";
        Errors = [new ContentError(RelativePath, 1, 1, "The file changed on disk since you opened it. Nothing was written: compare both versions below, then save again.")];
        OpenedHash = currentHash;
        // The form must carry the disk version's hash now, not the one that was posted.
        ModelState.Remove(nameof(OpenedHash));
        Response.StatusCode = StatusCodes.Status409Conflict;
        return Page();
    }

    private ContentResult NotFoundPage() =>
        new() { StatusCode = StatusCodes.Status404NotFound, ContentType = "text/plain; charset=utf-8", Content = $"There is no file {RelativePath}. Create it from /admin/new.\n" };

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
