using Dapper;
using Microsoft.AspNetCore.Mvc;
using Verdicts.Web.Data;

namespace Verdicts.Web.Pages;

/// <summary>The 404 page: shown for unknown addresses and for any request that ends in 404 without a body.</summary>
[IgnoreAntiforgeryToken]
public sealed class NotFoundModel(Database database) : SitePageModel
{
    public IReadOnlyList<IndexModel.ComparisonCard> Latest { get; private set; } = [];

    // Re-executed with the original method, so a POST to an unknown address gets this page too.
    public Task OnPostAsync() => OnGetAsync();

    public async Task OnGetAsync()
    {
        Response.StatusCode = StatusCodes.Status404NotFound;
        Meta = new PageMeta("Page not found · Verdicts", "That page is not on Verdicts.", "/not-found") { NoIndex = true };
        using var connection = database.Open();
        Latest = (await connection.QueryAsync<IndexModel.ComparisonCard>(IndexModel.ComparisonCards + " ORDER BY c.published DESC, c.slug LIMIT 4",
            new { question = Compare.ShowModel.DefaultQuestion })).ToList();
    }
}
