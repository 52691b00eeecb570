using Microsoft.AspNetCore.Mvc;
using Verdicts.Web.Admin;
using Verdicts.Web.Content;

namespace Verdicts.Web.Pages.Admin;

/// <summary>Creates a content file from a template that already loads, after checking the slug it derives from the name.</summary>
public sealed class NewModel(ContentFiles files, AuditLog audit) : SitePageModel
{
    [BindProperty]
    public string Kind { get; set; } = "tool";

    [BindProperty]
    public string Name { get; set; } = "";

    [BindProperty]
    public string Tool { get; set; } = "";

    [BindProperty]
    public string Reviewer { get; set; } = "";

    public string? Problem { get; private set; }
    public ContentSnapshot Snapshot => files.Snapshot;

    public void OnGet() => Describe();

    public async Task<IActionResult> OnPostAsync()
    {
        Describe();
        var slug = ContentParser.SlugFor(Name);
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var tools = Snapshot.Tools.Values.Where(t => !t.Draft).OrderBy(t => t.Name, StringComparer.Ordinal).Take(2).Select(t => t.Slug).ToList();
        var (path, text) = Kind switch
        {
            "tool" => ($"tools/{slug}.md", $"---\nname: {Quote(Name)}\ncategory: Developer Tools\ntagline: {Quote("What it is, in one line")}\ndraft: true\npricing:\n  entry: Free\n---\nWhat it is and who it is for, in two or three sentences.\n"),
            "reviewer" => ($"reviewers/{slug}.md", $"---\nname: {Quote(Name)}\nlens: Developer experience\n---\nA short bio.\n"),
            "verdict" => ($"verdicts/{Tool}/{Reviewer}.md", "---\nverdict: ship\ndate: " + today + "\n---\nThe reviewer's quote: why ship (or skip) this tool.\n"),
            "comparison" => ($"comparisons/{slug}.md", $"---\ntitle: {Quote(Name)}\ntools: [{string.Join(", ", tools)}]\npublished: {today}\ndraft: true\n---\nWhy these tools are compared, and who should care.\n"),
            _ => ("", ""),
        };
        if (path.Length == 0)
            Problem = "Choose what kind of file to create.";
        else if (Kind != "verdict" && (slug.Length == 0 || !ContentParser.IsValidSlug(slug)))
            Problem = $"The name gives the slug '{slug}', which is not usable: use letters or digits.";
        else if (files.Resolve(path) is (_, { } problem))
            Problem = problem;
        else if (System.IO.File.Exists(files.Resolve(path).FullPath))
            Problem = $"{path} already exists.";
        if (Problem is not null)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        var full = files.Resolve(path).FullPath!;
        ContentFiles.WriteAtomically(full, text);
        audit.Record(User.Identity?.Name ?? "unknown", "create", path, null, ContentFiles.Hash(full));
        await files.ReloadAsync(path);
        return Redirect($"/admin/content/{path}?done=created");
    }

    private static string Quote(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private void Describe()
    {
        DoNotCache();
        Meta = new PageMeta("New file · Verdicts admin", "Create a content file.", "/admin/new") { NoIndex = true };
    }
}
