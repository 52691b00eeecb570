namespace Verdicts.Web.Content;

/// <summary>
/// Refuses Markdown that would take Markdig minutes to parse. Markdig (1.6) does work proportional to a paragraph's
/// length for each link, bare address or emphasis mark in it: after every <c>](</c> it scans for the address and title
/// to the end of the paragraph when they are not closed, for every bare web address it walks back over everything
/// before it in the paragraph, and unmatched emphasis delimiters are matched against all earlier ones. Measured on the
/// site's pipeline, a body of <c>[a](</c> repeated took 2.5 s at 64 KB and minutes at 1 MiB, <c>www.a.co </c> 12 s at
/// 256 KB, and <c>*a_ </c> in 16 KB paragraphs 40 s at 1 MiB. The library offers no limit of its own, so the cost is
/// bounded before parsing: a paragraph's marks (<c>[ ] * _ ~</c>, <c>www.</c>, <c>://</c>, <c>mailto:</c>,
/// <c>tel:</c>) times its length, summed over the body, may not pass <see cref="Budget"/>. Paragraphs are taken as the
/// text between blank lines, which holds every paragraph Markdig parses, so the sum can only overestimate its work.
/// The costliest bodies just under the budget rendered in at most 0.3 s on a busy two-core machine;
/// 64 KB of prose in 500-character paragraphs with a link and emphasis in every sentence uses an eighth of it.
/// </summary>
public static class LinkDensityLimit
{
    public const long Budget = 16L * 1024 * 1024;

    private static readonly System.Buffers.SearchValues<char> Delimiters = System.Buffers.SearchValues.Create("[]*_~");

    /// <summary>The paragraph to blame when <paramref name="markdown"/> is over budget: the one costing most, by its first line (1-based).</summary>
    public static (int Line, int Marks, int Length)? Exceeded(string markdown)
    {
        long total = 0;
        (int Line, int Marks, int Length, long Cost) worst = default;
        var line = 0;
        var start = 1;
        var marks = 0;
        var length = 0;
        foreach (var text in markdown.AsSpan().EnumerateLines())
        {
            line++;
            if (text.IsWhiteSpace())
            {
                Close();
                start = line + 1;
                continue;
            }
            length += text.Length + 1;
            for (var rest = text; rest.IndexOfAny(Delimiters) is var at and >= 0; rest = rest[(at + 1)..])
                marks++;
            marks += text.Count("www.") + text.Count("://") + text.Count("mailto:") + text.Count("tel:");
        }
        Close();
        return total > Budget ? (worst.Line, worst.Marks, worst.Length) : null;

        void Close()
        {
            var cost = (long)marks * length;
            total += cost;
            if (cost > worst.Cost)
                worst = (start, marks, length, cost);
            marks = 0;
            length = 0;
        }
    }
}
