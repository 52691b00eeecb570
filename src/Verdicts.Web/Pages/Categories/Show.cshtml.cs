using Dapper;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Verdicts.Web.Data;
using Verdicts.Web.Pages.Shared;
using Verdicts.Web.Voting;

namespace Verdicts.Web.Pages.Categories;

public sealed class ShowModel(Database database, VoteTallies tallies, IOptions<VerdictsOptions> options) : SitePageModel
{
    public IReadOnlyList<ToolCard> Tools { get; private set; } = [];
    public string Category { get; private set; } = "";
    public Paging Paging { get; private set; } = null!;

    // Model binding turns a slug of only whitespace (/categories/%20) into null.
    public IActionResult OnGet(string? slug)
    {
        if (slug is null || Paging.Requested(Request) is not { } number)
            return NotFound();
        using var connection = database.Open();
        var category = connection.QueryFirstOrDefault<(string Name, long Tools)>(
            "SELECT min(category), count(*) FROM tools WHERE category_slug = @slug GROUP BY category_slug", new { slug });
        if (category.Name is null)
            return NotFound();
        Paging = new Paging(number, options.Value.ListPageSize, category.Tools, $"/categories/{slug}");
        if (!Paging.Exists)
            return NotFound();
        Category = category.Name;
        Tools = ToolCard.InCategory(connection, tallies, slug, Paging.Offset, Paging.Size);
        Meta = new PageMeta($"{Category}{(number > 1 ? $", page {number}" : "")}: AI tools compared · Verdicts",
            $"{category.Tools} {Category} tools with panel verdicts, community votes and entry prices.", Paging.Link(number));
        TagCache(Tools.Select(t => t.Slug));
        return Page();
    }
}
