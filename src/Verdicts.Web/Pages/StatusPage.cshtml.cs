using Dapper;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Verdicts.Web.Data;

namespace Verdicts.Web.Pages;

/// <summary>
/// The page for any request that ends in a 4xx without a body of its own (re-executed by the status code pages
/// middleware, keeping the original status): a helpful 404, and plain words for the rest.
/// </summary>
[IgnoreAntiforgeryToken]
public sealed class StatusPageModel(Database database) : SitePageModel
{
    public IReadOnlyList<IndexModel.ComparisonCard> Latest { get; private set; } = [];
    public int Status { get; private set; }

    public string Heading => Status switch
    {
        404 => "We could not find that page",
        405 => "That address does not take this kind of request",
        _ => "That request could not be handled",
    };

    // Re-executed for a request of any method (a 405 for TRACE, a 404 for a POST), this page still draws itself.
    [Microsoft.AspNetCore.Mvc.RazorPages.NonHandler] // not the handler of a method "PAGE" (see SitePageModel)
    public override void OnPageHandlerSelected(PageHandlerSelectedContext context)
    {
        if (HttpContext.Features.Get<IStatusCodeReExecuteFeature>() is not null)
            AnswerEveryMethodWithGet(context);
    }

    public async Task OnGetAsync()
    {
        // Reached directly, this page is a 404; re-executed, it keeps the status that brought the visitor here.
        Status = HttpContext.Features.Get<IStatusCodeReExecuteFeature>()?.OriginalStatusCode ?? StatusCodes.Status404NotFound;
        Response.StatusCode = Status;
        Meta = new PageMeta($"{Heading} · Verdicts", "That page is not on Verdicts.", "/not-found") { NoIndex = true };
        using var connection = database.Open();
        Latest = (await connection.QueryAsync<IndexModel.ComparisonCard>(IndexModel.ComparisonCards + " ORDER BY c.published DESC, c.slug LIMIT 4",
            new { question = ComparisonQuestion.Default })).ToList();
    }
}
