using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace Verdicts.Web.Pages;

/// <summary>The 500 page: says sorry and nothing else; details go to the log only.</summary>
[IgnoreAntiforgeryToken]
public sealed class ErrorModel(Verdicts.Web.Data.Database database) : SitePageModel
{
    private bool HandlesAnError => HttpContext.Features.Get<IExceptionHandlerFeature>() is not null;

    /// <summary>The database could not be reached for now (locked, full, read-only, missing, PostgreSQL down): worth retrying, not a bug.</summary>
    public bool DatabaseUnavailable { get; private set; }

    // The exception handler re-executes this page with the failed request's method, whatever it was.
    [Microsoft.AspNetCore.Mvc.RazorPages.NonHandler] // not the handler of a method "PAGE" (see SitePageModel)
    public override void OnPageHandlerSelected(PageHandlerSelectedContext context)
    {
        if (HandlesAnError)
            AnswerEveryMethodWithGet(context);
    }

    public IActionResult OnGet()
    {
        // Asked for directly, there is no error to be sorry about: the address is simply not a page.
        if (!HandlesAnError)
            return NotFound();
        DatabaseUnavailable = HttpContext.Features.Get<IExceptionHandlerFeature>()?.Error is { } error && database.IsUnavailable(error);
        Response.StatusCode = DatabaseUnavailable ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status500InternalServerError;
        if (DatabaseUnavailable)
            Response.Headers.RetryAfter = "30";
        Meta = new PageMeta("Something went wrong · Verdicts", "An error occurred.", "/error") { NoIndex = true };
        return Page();
    }
}
