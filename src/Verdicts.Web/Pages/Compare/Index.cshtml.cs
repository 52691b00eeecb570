using Microsoft.AspNetCore.Mvc;
using Verdicts.Web.Content;
using Verdicts.Web.Data;

namespace Verdicts.Web.Pages.Compare;

/// <summary>Where the home page's pick-two form lands: it sends the visitor on to the comparison page, or says what is wrong.</summary>
public sealed class IndexModel(Database database) : SitePageModel
{
    public IReadOnlyList<ToolCard> Tools { get; private set; } = [];
    public string? Problem { get; private set; }

    public IActionResult OnGet(string? a, string? b, string? c, string? d)
    {
        var picked = new[] { a, b, c, d }.Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s!.Trim()).ToList();
        using (var db = database.Read())
            Tools = ToolCard.All(db);
        Meta = new PageMeta("Compare AI tools · Verdicts", "Pick two tools to see them side by side.", "/compare") { NoIndex = picked.Count > 0 };
        if (picked.Count == 0)
            return Page();

        var known = Tools.Select(t => t.Slug).ToHashSet(StringComparer.Ordinal);
        if (picked.Count < 2)
            Problem = "Choose two different tools to compare.";
        else if (picked.Distinct(StringComparer.Ordinal).Count() != picked.Count)
            Problem = "Choose two different tools: a tool compared with itself tells you nothing.";
        else if (!picked.All(p => ContentParser.IsValidSlug(p) && known.Contains(p)))
            Problem = "One of those tools is not on Verdicts. Pick from the lists.";
        if (Problem is not null)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        return Redirect($"/compare/{string.Join("-vs-", picked)}");
    }
}
