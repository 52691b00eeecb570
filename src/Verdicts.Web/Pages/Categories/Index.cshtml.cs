using Dapper;
using Microsoft.Data.Sqlite;
using Verdicts.Web.Data;

namespace Verdicts.Web.Pages.Categories;

/// <summary>Every category with how many tools it holds, each linking to its own page.</summary>
public sealed class IndexModel(Database database) : SitePageModel
{
    public sealed record Category
    {
        public required string Slug { get; init; }
        public required string Name { get; init; }
        public long Tools { get; init; }
    }

    public IReadOnlyList<Category> Categories { get; private set; } = [];

    /// <summary>Every category by name, with its tools count: one pass over <c>tools_by_category</c>.</summary>
    public static List<Category> All(SqliteConnection connection) => connection.Query<Category>(
        "SELECT category_slug AS Slug, min(category) AS Name, count(*) AS Tools FROM tools GROUP BY category_slug ORDER BY Name, Slug").AsList();

    public void OnGet()
    {
        using var connection = database.Open();
        Categories = All(connection);
        Meta = new PageMeta("Categories: AI tools by kind · Verdicts",
            $"{Figures.Count(Categories.Count, "category", "categories")} of AI tools for developers, each with its tools' panel verdicts and community votes.", "/categories");
    }
}
