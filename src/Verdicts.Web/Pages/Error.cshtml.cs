using Microsoft.AspNetCore.Mvc;

namespace Verdicts.Web.Pages;

/// <summary>The 500 page: says sorry and nothing else; details go to the log only.</summary>
[IgnoreAntiforgeryToken]
public sealed class ErrorModel : SitePageModel
{
    public void OnGet() => SetUp();

    public void OnPost() => SetUp();

    private void SetUp()
    {
        Response.StatusCode = StatusCodes.Status500InternalServerError;
        Meta = new PageMeta("Something went wrong · Verdicts", "An error occurred.", "/error") { NoIndex = true };
    }
}
