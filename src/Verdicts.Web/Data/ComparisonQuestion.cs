namespace Verdicts.Web.Data;

/// <summary>The question a comparison asks when its file sets none: on its page, in the lists, the API, the feed and the newsletter.</summary>
public static class ComparisonQuestion
{
    public const string Default = "Which one should you ship with?";
}
