namespace Verdicts.Web.Pages.Subscribe;

public sealed class ThanksModel : SitePageModel
{
    public void OnGet() =>
        Meta = new PageMeta("Check your inbox · Verdicts", "Confirm your subscription to the weekly Verdicts email.", "/subscribe/thanks") { NoIndex = true };
}
