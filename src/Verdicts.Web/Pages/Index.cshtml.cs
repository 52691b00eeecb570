using Dapper;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Verdicts.Web.Data;

namespace Verdicts.Web.Pages;

public sealed class IndexModel(Database database) : PageModel
{
    public sealed record ToolRow
    {
        public required string Slug { get; init; }
        public required string Name { get; init; }
        public required string Tagline { get; init; }
    }

    public IReadOnlyList<ToolRow> Tools { get; private set; } = [];

    public async Task OnGetAsync()
    {
        using var connection = database.Open();
        Tools = (await connection.QueryAsync<ToolRow>("SELECT slug, name, tagline FROM tools ORDER BY name")).ToList();
    }
}
