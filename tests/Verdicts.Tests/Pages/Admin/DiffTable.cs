using AngleSharp.Dom;

namespace Verdicts.Tests.Pages.Admin;

/// <summary>
/// Reading a diff table on an admin page, and what it should hold, worked out here from the two texts: for texts whose
/// changed lines each occur once, the deleted lines are those of the old text missing from the new, and the inserted
/// lines the reverse, each with its line number in its own text.
/// </summary>
internal static class DiffTable
{
    public static (List<(long Line, string Text)> Deleted, List<(long Line, string Text)> Inserted) Expected(string before, string after)
    {
        var (old, @new) = (Lines(before), Lines(after));
        return (Missing(old, @new), Missing(@new, old));

        static List<(long, string)> Missing(string[] from, string[] other)
        {
            var left = other.GroupBy(l => l).ToDictionary(g => g.Key, g => g.Count());
            var missing = new List<(long, string)>();
            for (var i = 0; i < from.Length; i++)
            {
                if (left.TryGetValue(from[i], out var count) && count > 0)
                    left[from[i]] = count - 1;
                else
                    missing.Add((i + 1, from[i]));
            }
            return missing;
        }
    }

    /// <summary>The deleted and inserted rows of the diff table named <paramref name="name"/>, with the line number each shows.</summary>
    public static (List<(long Line, string Text)> Deleted, List<(long Line, string Text)> Inserted) Shown(IParentNode page, string name)
    {
        var table = page.QuerySelector($"table.diff[data-diff='{name}']");
        Assert.True(table is not null, $"no diff table '{name}'");
        List<(long, string)> Rows(string change, int numberColumn, string element) => table.QuerySelectorAll($"tr[data-change='{change}']")
            .Select(row =>
            {
                var cells = row.QuerySelectorAll("td");
                // The mark says it in words too, not by colour alone.
                Assert.Contains(change, cells[2].TextContent, StringComparison.Ordinal);
                return (long.Parse(cells[numberColumn].TextContent, System.Globalization.CultureInfo.InvariantCulture), cells[3].QuerySelector(element)!.TextContent);
            }).ToList();
        return (Rows("deleted", 0, "del"), Rows("inserted", 1, "ins"));
    }

    public static void AssertShows(IParentNode page, string name, string before, string after)
    {
        var expected = Expected(before, after);
        Assert.True(expected.Deleted.Count + expected.Inserted.Count > 0, "the test's texts should differ");
        var shown = Shown(page, name);
        Assert.Equal(expected.Deleted, shown.Deleted);
        Assert.Equal(expected.Inserted, shown.Inserted);
    }

    private static string[] Lines(string text)
    {
        if (text.Length == 0)
            return [];
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        return text.EndsWith('\n') ? lines[..^1] : lines;
    }
}
