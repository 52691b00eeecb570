namespace Verdicts.Web.Content;

public enum ContentKind { Tool, Reviewer, Verdict, Comparison }

/// <summary>A content file that passed its own checks; cross-file rules are applied by <see cref="ContentResolver"/>.</summary>
public abstract record ContentDocument(string Path, string Slug, string Sha256)
{
    public abstract ContentKind Kind { get; }
}

public sealed record PricePlan(string Name, string Price, string? Notes);

public sealed record PositionedSlug(string Slug, int Line, int Column);

public sealed record ToolDocument(
    string Path, string Slug, string Sha256,
    string Name, string Category, string CategorySlug, string Tagline,
    string? Vendor, string? Website, string? License, IReadOnlyList<string> Tags, string? Released,
    string EntryPrice, IReadOnlyList<PricePlan> Plans, IReadOnlyList<PositionedSlug> Aliases, bool Draft,
    string DescriptionHtml, string DescriptionText) : ContentDocument(Path, Slug, Sha256)
{
    public override ContentKind Kind => ContentKind.Tool;
}

public sealed record ReviewerDocument(
    string Path, string Slug, string Sha256,
    string Name, string Lens, long? Order, string BioHtml) : ContentDocument(Path, Slug, Sha256)
{
    public override ContentKind Kind => ContentKind.Reviewer;
}

public sealed record VerdictDocument(
    string Path, string Slug, string Sha256,
    string ToolSlug, string ReviewerSlug, string Verdict, string? Date,
    string QuoteHtml, string QuoteText) : ContentDocument(Path, Slug, Sha256)
{
    public override ContentKind Kind => ContentKind.Verdict;
}

public sealed record ComparisonDocument(
    string Path, string Slug, string Sha256,
    IReadOnlyList<PositionedSlug> Tools, string Published, string? Title, string? Question,
    bool Featured, bool Draft, string IntroHtml) : ContentDocument(Path, Slug, Sha256)
{
    public override ContentKind Kind => ContentKind.Comparison;
}
