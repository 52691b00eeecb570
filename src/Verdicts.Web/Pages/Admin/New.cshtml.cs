using Microsoft.AspNetCore.Mvc;
using Verdicts.Web.Admin;
using Verdicts.Web.Content;

namespace Verdicts.Web.Pages.Admin;

/// <summary>
/// Creates a content file from a template. Before anything is written, the file's slugs are checked with the
/// loader's rules and the template with the loader itself, so what is created is a file that loads.
/// </summary>
public sealed class NewModel(ContentFiles files) : SitePageModel
{
    [BindProperty]
    public string? Kind { get; set; } = "tool";

    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? Tool { get; set; }

    [BindProperty]
    public string? Reviewer { get; set; }

    public string? Problem { get; private set; }
    public ContentSnapshot Snapshot => files.Snapshot;

    public void OnGet() => Describe();

    public async Task<IActionResult> OnPostAsync()
    {
        Describe();
        var (path, text) = Template();
        Problem = Check(path, text);
        if (Problem is null)
        {
            try
            {
                using var change = files.BeginChange(User.Identity?.Name ?? "unknown");
                // Checked within the change: of two admins creating the same file at once, the second is told.
                if (System.IO.File.Exists(files.FullPathOf(path)))
                {
                    Problem = $"{path} already exists.";
                }
                else
                {
                    change.Write(path, text, "create");
                    await change.CommitAsync();
                    return Redirect($"/admin/content/{path}?done=created");
                }
            }
            catch (ContentConflictException)
            {
                // Someone else pushed a file at this path first.
                Problem = $"{path} already exists.";
            }
            catch (ContentChangeFailedException failed)
            {
                Problem = failed.Message;
                Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                Response.Headers.RetryAfter = "5";
                return Page();
            }
        }
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    /// <summary>The path and text of the new file; an empty path when the kind is not one of the four.</summary>
    private (string Path, string Text) Template()
    {
        var slug = ContentParser.SlugFor(Name ?? "");
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var tools = Snapshot.Tools.Values.Where(t => !t.Draft).OrderBy(t => t.Name, StringComparer.Ordinal).Take(2).Select(t => t.Slug).ToList();
        return Kind switch
        {
            "tool" => ($"tools/{slug}.md", $"---\nname: {Quote(Name)}\ncategory: Developer Tools\ntagline: {Quote("What it is, in one line")}\ndraft: true\npricing:\n  entry: Free\n---\nWhat it is and who it is for, in two or three sentences.\n"),
            "reviewer" => ($"reviewers/{slug}.md", $"---\nname: {Quote(Name)}\nlens: Developer experience\n---\nA short bio.\n"),
            "verdict" => ($"verdicts/{Tool}/{Reviewer}.md", "---\nverdict: ship\ndate: " + today + "\n---\nThe reviewer's quote: why ship (or skip) this tool.\n"),
            "comparison" => ($"comparisons/{slug}.md", $"---\ntitle: {Quote(Name)}\ntools: [{string.Join(", ", tools)}]\npublished: {today}\ndraft: true\n---\nWhy these tools are compared, and who should care.\n"),
            _ => ("", ""),
        };
    }

    /// <summary>Why the file cannot be created, or null. Looks at nothing on disk but the folders on the way.</summary>
    private string? Check(string path, string text)
    {
        if (path.Length == 0)
            return "Choose what kind of file to create.";
        if (Kind == "verdict" && !(ContentParser.IsValidSlug(Tool ?? "") && ContentParser.IsValidSlug(Reviewer ?? "")))
            return "Choose a tool and a reviewer from the lists.";
        if (Kind != "verdict" && ContentParser.SlugFor(Name ?? "") is var slug && !ContentParser.IsValidSlug(slug))
        {
            return slug.Length == 0
                ? "The name gives no slug (the file's name is made from its letters and digits): give a name with letters or digits."
                : $"The name gives the slug '{slug}', which is not usable: a slug is {ContentParser.SlugRule}.";
        }
        if (files.Resolve(path) is (_, { } problem))
            return problem;
        // The loader's own verdict on the new file, given everything loaded now: a verdict needs its tool and reviewer.
        if (files.Validate(path, text).Errors is [var first, ..])
            return $"{path} would not load: {first.Message}.";
        return null;
    }

    private static string Quote(string? value) => "\"" + (value ?? "").Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private void Describe()
    {
        DoNotCache();
        Meta = new PageMeta("New file · Verdicts admin", "Create a content file.", "/admin/new") { NoIndex = true };
    }
}
