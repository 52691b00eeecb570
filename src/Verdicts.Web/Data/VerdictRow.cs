namespace Verdicts.Web.Data;

/// <summary>A panel reviewer's verdict on a tool, with the reviewer, as the tool and comparison pages show it (read from <see cref="ToolColumns"/>).</summary>
public sealed record VerdictRow
{
    public required string ToolSlug { get; init; }
    public required string Verdict { get; init; }
    /// <summary>The day the reviewer gave it (<c>date</c> in the verdict file), if the file says.</summary>
    public string? Date { get; init; }
    public required string QuoteHtml { get; init; }
    public required string QuoteText { get; init; }
    public required string ReviewerSlug { get; init; }
    public required string ReviewerName { get; init; }
    public required string Lens { get; init; }

    /// <summary>The reviewer's place in the scorecard; reviewers without one come after those with one, by name.</summary>
    public long? ReviewerOrder { get; init; }
}
