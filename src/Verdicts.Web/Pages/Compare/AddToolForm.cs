namespace Verdicts.Web.Pages.Compare;

/// <summary>
/// A form that adds one tool to those chosen (drawn by AddTool.cshtml): the chosen ones ride along as hidden fields, the
/// new one is typed (with type-ahead from picker.js), and the compare form's landing page sends the visitor on. A plain
/// GET form, so it works without JavaScript and puts no list of tools in the page.
/// </summary>
public sealed record AddToolForm(IReadOnlyList<string> Chosen, string Label)
{
    private static readonly string[] FieldNames = ["a", "b", "c", "d"];

    public IEnumerable<(string Field, string Slug)> Hidden => Chosen.Select((slug, i) => (FieldNames[i], slug));

    public string NewField => FieldNames[Chosen.Count];
}
