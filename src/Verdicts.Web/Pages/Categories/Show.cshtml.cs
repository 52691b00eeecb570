using Microsoft.AspNetCore.Mvc;
using Verdicts.Web.Data;

namespace Verdicts.Web.Pages.Categories;

public sealed class ShowModel(Database database) : SitePageModel
{
    public IReadOnlyList<ToolCard> Tools { get; private set; } = [];
    public string Category { get; private set; } = "";

    public IActionResult OnGet(string slug)
    {
        using (var db = database.Read())
            Tools = ToolCard.InCategory(db, slug);
        if (Tools.Count == 0)
            return NotFound();
        Category = Tools[0].Category;
        Meta = new PageMeta($"{Category}: AI tools compared · Verdicts",
            $"{Tools.Count} {Category} tools with panel verdicts, community votes and entry prices.", $"/categories/{slug}");
        TagCache(Tools.Select(t => t.Slug));
        return Page();
    }
}
