using System.Globalization;
using Verdicts.Web.Data;

namespace Verdicts.Web.Pages.Compare;

/// <summary>One row of the specs table: each tool's value as shown (null: not stated), in column order.</summary>
public sealed record SpecRow(string Key, string Label, IReadOnlyList<string?> Values)
{
    /// <summary>At least two tools state the fact and not all the same way; an unstated value neither differs nor agrees.</summary>
    public bool Differs { get; } = Values.OfType<string>().Distinct(StringComparer.Ordinal).Count() > 1;
}

/// <summary>The "specs side by side" rows, from the facts in the tools' columns.</summary>
public static class SpecsTable
{
    /// <summary>Every row some tool states, in a fixed order; rows no tool states are left out.</summary>
    public static IReadOnlyList<SpecRow> Of(IReadOnlyList<ToolCard> tools)
    {
        SpecRow Row(string key, string label, Func<ToolCard, string?> value) => new(key, label, [.. tools.Select(value)]);
        var rows = new[]
        {
            Row("parameters", "Parameters", t => t.Specs?.Parameters ?? (t.Specs?.ParametersBillions is { } b ? Number(b) + "B" : null)),
            Row("context", "Context window", t => t.Specs?.ContextTokens is { } c ? c.ToString("N0", CultureInfo.InvariantCulture) + " tokens" : null),
            Row("inputs", "Inputs", t => t.Specs?.Inputs is { Count: > 0 } inputs ? string.Join(", ", ToolSpecs.InputKinds.Where(inputs.Contains)) : null),
            Row("open-weights", "Open weights", t => t.Specs?.OpenWeights switch { true => "Yes", false => "No", null => null }),
            Row("license", "Licence", t => t.License),
            Row("released", "Released", t => t.Released),
            Row("memory-q4", "Memory at 4-bit", t => t.Specs?.MemoryGbQ4 is { } m ? $"about {Number(m)} GB" : null),
        };
        return [.. rows.Where(r => r.Values.Any(v => v is not null))];
    }

    /// <summary>A figure with at most one decimal, as the files write them: 3, 2.5, 46.7.</summary>
    public static string Number(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
}
