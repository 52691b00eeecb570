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
public sealed class EditModel(ContentFiles files) : SitePageModel
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
    public string? NewSlug { get; set; }

    public IReadOnlyList<ContentError> Errors { get; private set; } = [];
    public ContentDocument? Preview { get; private set; }
    public string? ConflictText { get; private set; }
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
            (Line, Column) = (Errors[0].Line, Errors[0].Column);
            return Page();
        }
        try
        {
            using var change = files.BeginChange(Admin);
            var current = ContentFiles.Hash(FullPath);
            if (current != OpenedHash)
                return Conflict(current);
            change.Write(RelativePath, Text, current.Length == 0 ? "create" : "save");
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
        return Redirect($"/admin/content/{RelativePath}?done=saved");
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

    /// <summary>The conflict page when someone else pushed a change to the file first: the folder holds their version now.</summary>
    private PageResult PushedFirst()
    {
        Exists = System.IO.File.Exists(FullPath);
        return Conflict(ContentFiles.Hash(FullPath));
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
