using System.Globalization;
using System.Text;

namespace Verdicts.Web.Pages;

/// <summary>How well a name answers what was typed: the lower the better, compared tier first, then cost.</summary>
public readonly record struct NameRank(NameTier Tier, int Cost);

public enum NameTier
{
    /// <summary>The name itself, whatever the case, spaces and punctuation ("phi3 mini" is Phi-3 Mini).</summary>
    Exact,

    /// <summary>The start of the name ("gemma 3" for Gemma 3 (4B)).</summary>
    Prefix,

    /// <summary>Every typed word is a word of the name or the start of one, in any order.</summary>
    Words,

    /// <summary>Every typed word is within a letter or two of a word of the name (the cost counts the edits).</summary>
    Typos,
}

/// <summary>
/// Ranks the few candidate names the trigram index returns. The index alone cannot do this: a name shares trigrams with
/// a typo only where the typo leaves three letters in a row intact, so a swapped or wrong letter in a short word
/// ("gtp", "lama") shares few or none, and bm25 over trigrams ranks long names with many common trigrams above the
/// exact name. The edit distance between words, on a few dozen candidates, is cheap and says what a visitor means.
/// </summary>
public static class NameMatch
{
    /// <summary>Longer words are cut: the distance costs the product of the lengths.</summary>
    private const int MaxWordLength = 40;

    /// <summary>The words of a text: runs of letters and digits, lower case, without accents.</summary>
    public static List<string> Words(string text)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        foreach (var c in Printable(text).Normalize(NormalizationForm.FormD))
        {
            if (char.IsLetterOrDigit(c))
            {
                if (word.Length < MaxWordLength)
                    word.Append(char.ToLowerInvariant(c));
            }
            else if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark && word.Length > 0)
            {
                words.Add(word.ToString());
                word.Clear();
            }
        }
        if (word.Length > 0)
            words.Add(word.ToString());
        return words;
    }

    /// <summary>
    /// The text with control characters and noncharacters (U+FFFE, U+FDD0 and the like) as spaces and lone surrogates as
    /// U+FFFD. A visitor can send any of them; HTML allows none in a page, not even as a character reference, and Unicode
    /// normalisation refuses U+FFFE and lone surrogates.
    /// </summary>
    public static string Printable(string text)
    {
        if (!text.EnumerateRunes().Any(NeedsReplacing))
            return text;
        var printable = new StringBuilder(text.Length);
        Span<char> buffer = stackalloc char[2];
        foreach (var rune in text.EnumerateRunes())
        {
            if (NeedsReplacing(rune))
                printable.Append(' ');
            else
                printable.Append(buffer[..rune.EncodeToUtf16(buffer)]);
        }
        return printable.ToString();
    }

    private static bool NeedsReplacing(Rune rune) =>
        Rune.IsControl(rune) || (rune.Value & 0xFFFE) == 0xFFFE || rune.Value is >= 0xFDD0 and <= 0xFDEF;

    /// <summary>Edits a word may need and still match: none for one or two letters, one up to four, two beyond.</summary>
    public static int Allowed(int length) => length <= 2 ? 0 : length <= 4 ? 1 : 2;

    /// <summary>How <paramref name="name"/> answers <paramref name="typed"/> (from <see cref="Words"/>), or null if it does not.</summary>
    public static NameRank? Rank(IReadOnlyList<string> typed, string name)
    {
        if (typed.Count == 0)
            return null;
        var words = Words(name);
        var compactTyped = string.Concat(typed);
        var compactName = string.Concat(words);
        if (compactName == compactTyped)
            return new NameRank(NameTier.Exact, 0);
        if (compactName.StartsWith(compactTyped, StringComparison.Ordinal))
            return new NameRank(NameTier.Prefix, compactName.Length - compactTyped.Length);
        // Two neighbouring words joined as well: "phi3" is the Phi and 3 of "Phi-3", "gemma3" the Gemma 3 of "Gemma 3 (4B)".
        var terms = words.Concat(words.Zip(words.Skip(1), (a, b) => a + b)).ToList();
        var bests = typed.Select(word => Best(word, terms)).ToList();
        var cost = 0;
        for (var i = 0; i < typed.Count; i++)
        {
            var best = bests[i];
            // A word split in two, typos and all ("dee seek" for DeepSeek): where either half matches nothing on its
            // own, the pair is judged as one word, at one edit more.
            if (i + 1 < typed.Count && (best > Allowed(typed[i].Length) || bests[i + 1] > Allowed(typed[i + 1].Length)))
            {
                var joined = typed[i] + typed[i + 1];
                var together = Best(joined, terms);
                if (together <= Allowed(joined.Length))
                {
                    cost += together + 1;
                    i++;
                    continue;
                }
            }
            if (best > Allowed(typed[i].Length))
                return null;
            cost += best;
        }
        return cost == 0 ? new NameRank(NameTier.Words, 0) : new NameRank(NameTier.Typos, cost);
    }

    private static int Best(string word, List<string> terms) => terms.Count == 0 ? int.MaxValue : terms.Min(term => Cost(word, term));

    /// <summary>Edits from a typed word to a word of a name, or to its start (a word still being typed, typos and all).</summary>
    private static int Cost(string typed, string term)
    {
        if (term.StartsWith(typed, StringComparison.Ordinal))
            return 0;
        var whole = Distance(typed, term);
        return term.Length > typed.Length && typed.Length >= 3 ? Math.Min(whole, Distance(typed, term[..typed.Length])) : whole;
    }

    /// <summary>
    /// Optimal string alignment distance: letters inserted, deleted, replaced, or two neighbours swapped each count one
    /// ("copilt" is one from "copilot", "gtp" one from "gpt").
    /// </summary>
    public static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
            d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++)
            d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var replace = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + replace);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        }
        return d[a.Length, b.Length];
    }

    /// <summary>The trigrams of a word: what finds a name in the index while three letters in a row of it are right.</summary>
    public static IEnumerable<string> Trigrams(string word) =>
        Enumerable.Range(0, Math.Max(0, word.Length - 2)).Select(i => word.Substring(i, 3));

    /// <summary>
    /// The trigrams of a word's spellings with two neighbouring letters swapped, for the swap that leaves no trigram of
    /// the name intact: "olalma" shares none with "ollama", "gtp" none with "gpt", but one swap away each is the name.
    /// </summary>
    public static IEnumerable<string> SwappedTrigrams(string word) =>
        Enumerable.Range(0, Math.Max(0, word.Length - 1)).SelectMany(i =>
        {
            var letters = word.ToCharArray();
            (letters[i], letters[i + 1]) = (letters[i + 1], letters[i]);
            return Trigrams(new string(letters));
        });
}
