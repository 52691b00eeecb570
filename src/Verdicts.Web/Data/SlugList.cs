namespace Verdicts.Web.Data;

/// <summary>A list of slugs as one JSON parameter, for <c>IN (SELECT value FROM json_each(@slugs))</c> in the vote writer's statements.</summary>
public static class SlugList
{
    public static string Json(IEnumerable<string> slugs) => System.Text.Json.JsonSerializer.Serialize(slugs);
}
