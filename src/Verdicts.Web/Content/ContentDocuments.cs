using System.Text;

namespace Verdicts.Web.Content;

public enum ContentKind { Tool, Reviewer, Verdict, Comparison }

/// <summary>A content file that passed its own checks; cross-file rules are applied by <see cref="ContentResolver"/>.</summary>
/// <param name="Body">The Markdown after the front matter.</param>
public abstract record ContentDocument(string Path, string Slug, string Sha256, MarkdownBody Body)
{
    public abstract ContentKind Kind { get; }
}

/// <summary>
/// A document's Markdown with its HTML and plain text, all held as UTF-8. The HTML and text are rendered when the file
/// is parsed (so a file that cannot be rendered is rejected then) and kept until the import has written them; then
/// <see cref="DropRendering"/> lets them go, because the site serves them from the database. The rare later write
/// that needs them again (a tool rewritten because one of its verdicts changed) renders them anew, with the same
/// result, and does not keep them. At 10 000 tools the rendered text is most of what a cold import holds at its
/// peak: as UTF-8 rather than .NET strings it takes half the room, and SQLite stores UTF-8 anyway.
/// </summary>
public sealed class MarkdownBody : IEquatable<MarkdownBody>
{
    private readonly byte[] markdown;
    private byte[]? html;
    private byte[]? text;

    public MarkdownBody(string markdown, bool withText)
    {
        this.markdown = Encoding.UTF8.GetBytes(markdown);
        var (rendered, plain) = MarkdownRenderer.Render(markdown, withText);
        html = Encoding.UTF8.GetBytes(rendered);
        text = plain is null ? null : Encoding.UTF8.GetBytes(plain);
    }

    public string Markdown => Encoding.UTF8.GetString(markdown);

    public string Html => Encoding.UTF8.GetString(HtmlUtf8);

    public string Text => Encoding.UTF8.GetString(TextUtf8);

    // Once dropped, the text is rendered for each use and not kept, so rewrites over time do not fill memory again.
    public byte[] HtmlUtf8 => html ?? Encoding.UTF8.GetBytes(MarkdownRenderer.ToHtml(Markdown));

    public byte[] TextUtf8 => text ?? Encoding.UTF8.GetBytes(MarkdownRenderer.ToPlainText(Markdown));

    /// <summary>Lets the rendered HTML and text go; they are rendered again if asked for.</summary>
    public void DropRendering()
    {
        html = null;
        text = null;
    }

    public bool Equals(MarkdownBody? other) => other is not null && markdown.AsSpan().SequenceEqual(other.markdown);

    public override bool Equals(object? obj) => Equals(obj as MarkdownBody);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(markdown);
        return hash.ToHashCode();
    }
}

public sealed record PricePlan(string Name, string Price, string? Notes);

public sealed record PositionedSlug(string Slug, int Line, int Column);

public sealed record ToolDocument(
    string Path, string Slug, string Sha256,
    string Name, string Category, string CategorySlug, string Tagline,
    string? Vendor, string? Website, string? License, IReadOnlyList<string> Tags, string? Released,
    string EntryPrice, IReadOnlyList<PricePlan> Plans, IReadOnlyList<PositionedSlug> Aliases, bool Draft,
    MarkdownBody Body) : ContentDocument(Path, Slug, Sha256, Body)
{
    public override ContentKind Kind => ContentKind.Tool;

    public Data.ToolSpecs? Specs { get; init; }

    /// <summary>Absolute http(s) URLs the facts were checked against.</summary>
    public IReadOnlyList<string> Sources { get; init; } = [];

    /// <summary>The day the facts were last checked, <c>YYYY-MM-DD</c>.</summary>
    public string? Checked { get; init; }

    public string DescriptionHtml => Body.Html;

    public string DescriptionText => Body.Text;
}

public sealed record ReviewerDocument(
    string Path, string Slug, string Sha256,
    string Name, string Lens, long? Order, MarkdownBody Body) : ContentDocument(Path, Slug, Sha256, Body)
{
    public override ContentKind Kind => ContentKind.Reviewer;

    public string BioHtml => Body.Html;
}

public sealed record VerdictDocument(
    string Path, string Slug, string Sha256,
    string ToolSlug, string ReviewerSlug, string Verdict, string? Date,
    MarkdownBody Body) : ContentDocument(Path, Slug, Sha256, Body)
{
    public override ContentKind Kind => ContentKind.Verdict;

    public string QuoteHtml => Body.Html;

    public string QuoteText => Body.Text;
}

public sealed record ComparisonDocument(
    string Path, string Slug, string Sha256,
    IReadOnlyList<PositionedSlug> Tools, string Published, string? Title, string? Question,
    bool Featured, bool Draft, MarkdownBody Body) : ContentDocument(Path, Slug, Sha256, Body)
{
    public override ContentKind Kind => ContentKind.Comparison;

    /// <summary>The short editorial answer (<c>bottom_line</c>), rendered and sanitized like every body.</summary>
    public MarkdownBody? BottomLine { get; init; }

    public string IntroHtml => Body.Html;
}
