using System.Globalization;
using Verdicts.Web.Data;

namespace Verdicts.Web.Pages.Compare;

/// <summary>One sentence of a computed bottom line; <paramref name="Fact"/> names what it is drawn from.</summary>
public sealed record SummaryLine(string Fact, string Text);

/// <summary>
/// The bottom line of a comparison no editor has answered: a few sentences drawn from the figures on the page (panel and
/// community shares, entry prices, the largest differences in the specs), and labelled on the page as computed.
/// </summary>
public static class ComputedSummary
{
    /// <summary>Below this many votes a tool has no community share to compare (<see cref="Voting.CommunityShare"/>).</summary>
    private const long MinVotesForShare = Voting.CommunityShare.FewestForShare;

    // Differences smaller than these are not worth a sentence of their own.
    private const double NotableSizeRatio = 1.5;
    private const double NotableContextRatio = 2;

    public static IReadOnlyList<SummaryLine> Of(IReadOnlyList<ToolCard> tools)
    {
        List<SummaryLine> lines = [Panel(tools), Community(tools), Price(tools)];
        lines.AddRange(Specs(tools));
        return lines;
    }

    private static SummaryLine Panel(IReadOnlyList<ToolCard> tools)
    {
        var judged = tools.Where(t => t.PanelPercent is not null).ToList();
        if (judged.Count == 0)
            return new("panel", "The panel has not judged these tools yet.");
        var best = judged.Max(t => t.PanelPercent!.Value);
        var leaders = judged.Where(t => t.PanelPercent == best).ToList();
        if (leaders.Count == tools.Count)
            return new("panel", $"The panel rates {Every(tools)} alike: {best}% ship for each.");
        var rest = tools.Except(leaders).Select(t => t.PanelPercent is { } p ? $"{t.Name} {p}%" : $"{t.Name} (not judged)");
        return new("panel", $"The panel favours {Names(leaders)} ({best}% ship), against {Names(rest)}.");
    }

    private static SummaryLine Community(IReadOnlyList<ToolCard> tools)
    {
        if (tools.All(t => t.CommunityVotes == 0))
            return new("community", "No visitor has voted on these tools yet.");
        if (tools.Any(t => t.CommunityVotes < MinVotesForShare))
            return new("community", $"Too few visitor votes to compare yet: a share needs {MinVotesForShare} votes on each tool.");
        var best = tools.Max(t => t.CommunityPercent!.Value);
        var leaders = tools.Where(t => t.CommunityPercent == best).ToList();
        if (leaders.Count == tools.Count)
            return new("community", $"Visitors rate {Every(tools)} alike: {best}% ship for each.");
        var rest = tools.Except(leaders).Select(t => $"{t.Name} {t.CommunityPercent}%");
        return new("community", $"Visitors favour {Names(leaders)} ({best}% ship), against {Names(rest)}.");
    }

    private static SummaryLine Price(IReadOnlyList<ToolCard> tools)
    {
        var entries = tools.Select(t => t.EntryPrice).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        return entries.Count == 1
            ? new("price", $"{Capital(Every(tools))} start at {entries[0]}.")
            : new("price", $"To start: {Names(tools.Select(t => $"{t.Name} {t.EntryPrice}"))}.");
    }

    private static IEnumerable<SummaryLine> Specs(IReadOnlyList<ToolCard> tools)
    {
        var memoryTold = false;
        var sized = tools.Where(t => t.Specs?.ParametersBillions is not null).ToList();
        if (sized.Count >= 2)
        {
            var big = sized.MaxBy(t => t.Specs!.ParametersBillions)!;
            var small = sized.MinBy(t => t.Specs!.ParametersBillions)!;
            var ratio = big.Specs!.ParametersBillions!.Value / small.Specs!.ParametersBillions!.Value;
            if (ratio >= NotableSizeRatio)
            {
                var text = $"{big.Name} has {Times(ratio)} the parameters of {small.Name}";
                if (big.Specs.MemoryGbQ4 is { } bigMemory && small.Specs.MemoryGbQ4 is { } smallMemory && bigMemory > smallMemory)
                {
                    text += $" and needs about {SpecsTable.Number(bigMemory)} GB at 4-bit against {SpecsTable.Number(smallMemory)} GB";
                    memoryTold = true;
                }
                yield return new("parameters", text + ".");
            }
        }

        var measured = tools.Where(t => t.Specs?.MemoryGbQ4 is not null).ToList();
        if (!memoryTold && measured.Count >= 2)
        {
            var most = measured.MaxBy(t => t.Specs!.MemoryGbQ4)!;
            var least = measured.MinBy(t => t.Specs!.MemoryGbQ4)!;
            if (most.Specs!.MemoryGbQ4!.Value / least.Specs!.MemoryGbQ4!.Value >= NotableSizeRatio)
                yield return new("memory", $"{most.Name} needs about {SpecsTable.Number(most.Specs.MemoryGbQ4.Value)} GB at 4-bit against {SpecsTable.Number(least.Specs.MemoryGbQ4.Value)} GB for {least.Name}.");
        }

        var windows = tools.Where(t => t.Specs?.ContextTokens is not null).ToList();
        if (windows.Count >= 2)
        {
            var longest = windows.MaxBy(t => t.Specs!.ContextTokens)!;
            var shortest = windows.MinBy(t => t.Specs!.ContextTokens)!;
            var ratio = (double)longest.Specs!.ContextTokens!.Value / shortest.Specs!.ContextTokens!.Value;
            if (ratio >= NotableContextRatio)
                yield return new("context", $"{longest.Name} reads {Times(ratio)} the context of {shortest.Name} ({Tokens(longest)} against {Tokens(shortest)} tokens).");
        }

        var open = tools.Where(t => t.Specs?.OpenWeights == true).ToList();
        var closed = tools.Where(t => t.Specs?.OpenWeights == false).ToList();
        if (open.Count > 0 && closed.Count > 0)
            yield return new("open-weights", $"{Names(open)} {(open.Count == 1 ? "publishes" : "publish")} open weights; {Names(closed)} {(closed.Count == 1 ? "does" : "do")} not.");
    }

    /// <summary>A ratio as "4×" from three up, where a tenth is noise, and as "1.5×" below.</summary>
    private static string Times(double ratio) =>
        (ratio >= 3 ? Math.Round(ratio, MidpointRounding.AwayFromZero) : Math.Round(ratio, 1, MidpointRounding.AwayFromZero))
            .ToString("0.#", CultureInfo.InvariantCulture) + "×";

    private static string Tokens(ToolCard tool) => tool.Specs!.ContextTokens!.Value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Every(IReadOnlyList<ToolCard> tools) => tools.Count switch { 2 => "both", 3 => "all three", 4 => "all four", _ => "all" };

    private static string Capital(string text) => char.ToUpperInvariant(text[0]) + text[1..];

    private static string Names(IEnumerable<ToolCard> tools) => Names(tools.Select(t => t.Name));

    private static string Names(IEnumerable<string> names)
    {
        var list = names.ToList();
        return list.Count <= 1 ? string.Concat(list) : string.Join(", ", list.Take(list.Count - 1)) + " and " + list[^1];
    }
}
