using System.Globalization;

namespace Verdicts.Web.Pages.Shared;

/// <summary>
/// One page of a long list (<c>?page=2</c>), so a list page stays the same size however large the list grows: at
/// 10 000 tools a category listed whole was about a megabyte, and a reviewer's verdicts five.
/// </summary>
public sealed record Paging(int Number, int Size, long Total, string Path)
{
    public int Pages => Total == 0 ? 1 : (int)((Total + Size - 1) / Size);
    public int Offset => (Number - 1) * Size;
    public long First => Total == 0 ? 0 : Offset + 1;
    public long Last => Math.Min(Total, (long)Number * Size);
    public bool Exists => Number <= Pages;

    /// <summary>The address of a page (<see cref="Path"/> may carry a query of its own); the first page keeps the address it always had.</summary>
    public string Link(int number) =>
        number == 1 ? Path : $"{Path}{(Path.Contains('?', StringComparison.Ordinal) ? '&' : '?')}page={number.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The page numbers to link: the first, the last and two either side of this one; null marks a gap.</summary>
    public IEnumerable<int?> Links()
    {
        var previous = 0;
        foreach (var number in Enumerable.Range(1, Pages).Where(n => n == 1 || n == Pages || Math.Abs(n - Number) <= 2))
        {
            if (number > previous + 1)
                yield return null;
            yield return number;
            previous = number;
        }
    }

    /// <summary>
    /// The page the query asks for, 1 when it names none; null when it names something that is no page, which the
    /// caller answers with a 404 rather than quietly showing the first page under another address.
    /// </summary>
    public static int? Requested(HttpRequest request)
    {
        var values = request.Query["page"];
        if (values.Count == 0)
            return 1;
        return values.Count == 1 && int.TryParse(values[0], NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= 1
            ? number
            : null;
    }
}
