using System.Globalization;
using DiffPlex;
using DiffPlex.Renderer;

namespace Verdicts.Web.Admin;

/// <summary>
/// The line diff between two versions of a content file, as a unified diff (the format git and patch read), made by
/// DiffPlex. It is what the audit log keeps and what the conflict page and a file's history show. A diff longer than
/// <see cref="MaxLines"/> lines or <see cref="MaxChars"/> characters is not kept, only its counts: one pasted file
/// should not make an audit row (or the page listing it) the size of two files.
/// </summary>
public sealed record LineDiff(string? Unified, long Added, long Removed)
{
    public const int MaxLines = 400;
    public const int MaxChars = 64 * 1024;

    // Lines of unchanged text around each change: enough to find the place, few enough to keep the diff short.
    private const int Context = 2;

    public static LineDiff Between(string? before, string? after)
    {
        // A final newline ends the last line rather than starting an empty one (DiffPlex would count one more line in
        // a file than the file has, and a new file's diff would add it).
        var result = Differ.Instance.CreateLineDiffs(WithoutFinalNewline(before), WithoutFinalNewline(after), ignoreWhitespace: false);
        var added = result.DiffBlocks.Sum(b => (long)b.InsertCountB);
        var removed = result.DiffBlocks.Sum(b => (long)b.DeleteCountA);
        if (added + removed == 0)
            return new("", 0, 0);
        var unified = new UnidiffRenderer(contextLines: Context).Generate(result, "before", "after");
        var tooLong = unified.Length > MaxChars || unified.AsSpan().Count('\n') > MaxLines;
        return new(tooLong ? null : unified, added, removed);
    }

    private static string WithoutFinalNewline(string? text) => text is null ? "" : text.EndsWith('\n') ? text[..^1] : text;

    public bool Unchanged => Added == 0 && Removed == 0;

    /// <summary>The diff was too long to keep: only <see cref="Added"/> and <see cref="Removed"/> are known.</summary>
    public bool TooLong => Unified is null;

    /// <summary>The summary in words: "2 lines added, 1 removed".</summary>
    public string Summary => Unchanged ? "no lines changed"
        : $"{Added.ToString(CultureInfo.InvariantCulture)} {(Added == 1 ? "line" : "lines")} added, {Removed.ToString(CultureInfo.InvariantCulture)} removed";

    public enum Change { Gap, Same, Deleted, Inserted }

    /// <summary>One line of the diff with its numbers in the old and the new text; a gap stands for unchanged lines left out.</summary>
    public sealed record Row(Change Change, long? Before, long? After, string Text);

    /// <summary>The diff's rows, read from the unified text: each hunk header gives the line numbers its lines count on from.</summary>
    public IReadOnlyList<Row> Rows()
    {
        var rows = new List<Row>();
        if (string.IsNullOrEmpty(Unified))
            return rows;
        long before = 0, after = 0;
        var inHunk = false;
        foreach (var line in Unified.Split('\n'))
        {
            if (line.StartsWith("@@ ", StringComparison.Ordinal) && HunkStart(line) is var (oldStart, newStart))
            {
                (before, after, inHunk) = (oldStart, newStart, true);
                if (rows.Count > 0)
                    rows.Add(new Row(Change.Gap, before, after, ""));
                continue;
            }
            if (!inHunk || line.Length == 0)
                continue;
            switch (line[0])
            {
                case ' ':
                    rows.Add(new Row(Change.Same, before++, after++, line[1..]));
                    break;
                case '-':
                    rows.Add(new Row(Change.Deleted, before++, null, line[1..]));
                    break;
                case '+':
                    rows.Add(new Row(Change.Inserted, null, after++, line[1..]));
                    break;
            }
        }
        if (rows.Count > 0 && (rows[0].Before ?? 1) + (rows[0].After ?? 1) > 2)
            rows.Insert(0, new Row(Change.Gap, rows[0].Before, rows[0].After, ""));
        return rows;
    }

    // "@@ -12,3 +12,4 @@": where the hunk starts in the old and the new text. (A side with no lines in the hunk reads none
    // from its start, so what that start means for an empty range does not matter here.)
    private static (long Old, long New)? HunkStart(string header)
    {
        var parts = header.Split(' ');
        if (parts.Length < 3 || !Start(parts[1], '-', out var old) || !Start(parts[2], '+', out var @new))
            return null;
        return (old, @new);

        static bool Start(string range, char sign, out long start)
        {
            start = 0;
            if (range.Length < 2 || range[0] != sign)
                return false;
            var comma = range.IndexOf(',', StringComparison.Ordinal);
            return long.TryParse(comma < 0 ? range.AsSpan(1) : range.AsSpan(1, comma - 1), CultureInfo.InvariantCulture, out start);
        }
    }
}
