using Dapper;
using SkiaSharp;
using Verdicts.Web.Data;
using Verdicts.Web.Pages;
using Verdicts.Web.Pages.Shared;
using Verdicts.Web.Voting;

namespace Verdicts.Web.Sharing;

/// <summary>What a page's share card shows, and the words the page gives it as alternative text.</summary>
public sealed record ShareCard(string Title, string? Subtitle, IReadOnlyList<ToolCard> Tools)
{
    public const int Width = 1200;
    public const int Height = 630;

    /// <summary>The card's address for a page's path: <c>/cards/tools/x.png</c> for <c>/tools/x</c>.</summary>
    public static string PathFor(string pagePath) => $"/cards{pagePath}.png";

    public static string Panel(ToolCard tool) => tool.PanelVerdicts == 0 ? "no verdicts yet" : $"{Figures.Show(tool.PanelPercent)} ship";

    public static string Community(ToolCard tool) => tool.CommunityVotes == 0 ? "no votes yet" : tool.Community.Headline;

    public string Alt => $"{Title}. " + string.Join(" ", Tools.Select(t =>
        $"{t.Name}: panel {Panel(t)}; community {Community(t)}{(t.CommunityVotes == 0 ? "" : $" ({t.Community.Note})")}; entry price {t.EntryPrice}."));
}

/// <summary>
/// Draws the 1 200×630 PNG that link previews show for tool and comparison pages, from the page's own figures. SkiaSharp
/// with its self-contained Linux build draws it; the text is set in DejaVu Sans, embedded in the assembly, so nothing
/// depends on the fonts of the machine. Drawing costs tens of milliseconds, so the answers go through the output cache like
/// the pages (tagged with their tools, evicted with them): a card is drawn once per content or vote change, and
/// concurrent first requests for one card wait for the one drawing (the cache's locking).
/// </summary>
public sealed class ShareCards : IDisposable
{
    private readonly SKTypeface typeface;
    private long drawn;

    public ShareCards()
    {
        using var font = typeof(ShareCards).Assembly.GetManifestResourceStream("Verdicts.Web.Sharing.DejaVuSans.ttf")
            ?? throw new InvalidOperationException("The share cards' font is not embedded in the assembly.");
        typeface = SKTypeface.FromStream(font);
    }

    /// <summary>How many cards this process has drawn: a cached answer draws none.</summary>
    public long Drawn => Interlocked.Read(ref drawn);

    public void Dispose() => typeface.Dispose();

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapMethods("/cards/tools/{slug}.png", GetAndHead.Methods,
            (string slug, HttpContext context, Database database, VoteTallies tallies, ShareCards cards) =>
                cards.Answer(context, ForTool(database, tallies, slug)));
        app.MapMethods("/cards/compare/{slug}.png", GetAndHead.Methods,
            (string slug, HttpContext context, Database database, VoteTallies tallies, ShareCards cards) =>
                cards.Answer(context, ForComparison(database, tallies, slug)));
    }

    private IResult Answer(HttpContext context, ShareCard? card)
    {
        if (card is null)
            return Results.NotFound();
        CacheTags.TagTools(context, card.Tools.Select(t => t.Slug));
        return Results.File(Draw(card), "image/png");
    }

    private static ShareCard? ForTool(Database database, VoteTallies tallies, string slug)
    {
        using var connection = database.Open();
        return ToolColumns.Load(connection, tallies, [slug]).FirstOrDefault() is { } column
            ? new ShareCard(column.Tool.Name, column.Tool.Tagline, [column.Tool])
            : null;
    }

    /// <summary>
    /// A curated comparison's card, or a generated one's at its canonical address only (2 to 4 published tools, slugs in
    /// order, no curated page for them): any other address has no card, so the work stays bounded to the pages that exist.
    /// </summary>
    private static ShareCard? ForComparison(Database database, VoteTallies tallies, string slug)
    {
        const string CuratedSql = """
            SELECT c.title, ct.tool_slug FROM comparisons c JOIN comparison_tools ct ON ct.comparison_slug = c.slug
             WHERE c.slug = @slug ORDER BY ct.position
            """;
        using var connection = database.Open();
        using var snapshot = connection.BeginTransaction(deferred: true);
        var curated = connection.Query<(string? Title, string Tool)>(CuratedSql, new { slug }, snapshot).AsList();
        if (curated.Count > 0)
        {
            var tools = ToolColumns.Load(connection, tallies, [.. curated.Select(c => c.Tool)], snapshot).Select(c => c.Tool).ToList();
            return new ShareCard(ComparisonTitle.Of(curated[0].Title, tools.Select(t => t.Name)), null, tools);
        }
        var requested = slug.Split("-vs-");
        if (requested.Length is < 2 or > ComparePicker.MaxTools || !requested.All(Content.ContentParser.IsValidSlug)
            || !requested.Order(StringComparer.Ordinal).Distinct(StringComparer.Ordinal).SequenceEqual(requested, StringComparer.Ordinal))
            return null;
        var curatedFor = connection.ExecuteScalar<string?>("SELECT slug FROM comparisons WHERE tool_set = @set LIMIT 1",
            new { set = Content.ContentImporter.ToolSet(requested) }, snapshot);
        if (curatedFor is not null)
            return null;
        var columns = ToolColumns.Load(connection, tallies, requested, snapshot);
        return columns.Count == requested.Length
            ? new ShareCard(ComparisonTitle.Of(null, columns.Select(c => c.Tool.Name)), null, [.. columns.Select(c => c.Tool)])
            : null;
    }

    private static readonly SKColor Background = new(0x13, 0x1a, 0x2a);
    private static readonly SKColor Panel = new(0x1f, 0x29, 0x3d);
    private static readonly SKColor Ink = new(0xf5, 0xf7, 0xfa);
    private static readonly SKColor Muted = new(0xa9, 0xb4, 0xc6);
    private static readonly SKColor Accent = new(0x4a, 0xde, 0x80);

    private const float Margin = 60;

    public byte[] Draw(ShareCard card)
    {
        Interlocked.Increment(ref drawn);
        using var surface = SKSurface.Create(new SKImageInfo(ShareCard.Width, ShareCard.Height, SKColorType.Rgba8888, SKAlphaType.Premul));
        var canvas = surface.Canvas;
        canvas.Clear(Background);
        using var paint = new SKPaint { IsAntialias = true };

        paint.Color = Accent;
        canvas.DrawRect(0, 0, ShareCard.Width, 10, paint);
        Text(canvas, "✓ Verdicts", Margin, 70, 30, Accent, bold: true, ShareCard.Width - 2 * Margin);
        Text(canvas, card.Title, Margin, 140, 54, Ink, bold: true, ShareCard.Width - 2 * Margin, smallest: 34);
        var top = 180f;
        if (card.Subtitle is { } subtitle)
        {
            Text(canvas, subtitle, Margin, 190, 28, Muted, bold: false, ShareCard.Width - 2 * Margin);
            top = 220;
        }

        const float Gap = 24;
        var count = card.Tools.Count;
        var width = (ShareCard.Width - 2 * Margin - Gap * (count - 1)) / count;
        for (var i = 0; i < count; i++)
        {
            var tool = card.Tools[i];
            var left = Margin + i * (width + Gap);
            paint.Color = Panel;
            canvas.DrawRoundRect(new SKRect(left, top, left + width, ShareCard.Height - 40), 18, 18, paint);
            var inner = width - 48;
            var x = left + 24;
            // A tool's own card has its name as the title already; its one column names the category instead.
            if (count == 1)
                Text(canvas, tool.Category, x, top + 56, 30, Muted, bold: true, inner, smallest: 22);
            else
                Text(canvas, tool.Name, x, top + 56, 36, Ink, bold: true, inner, smallest: 22);
            Text(canvas, "Panel", x, top + 106, 22, Muted, bold: false, inner);
            Text(canvas, ShareCard.Panel(tool), x, top + 148, 38, Ink, bold: true, inner, smallest: 20);
            Text(canvas, "Community", x, top + 198, 22, Muted, bold: false, inner);
            Text(canvas, ShareCard.Community(tool), x, top + 240, 38, Ink, bold: true, inner, smallest: 20);
            if (tool.CommunityVotes > 0)
                Text(canvas, tool.Community.Note, x, top + 272, 20, Muted, bold: false, inner, smallest: 14);
            Text(canvas, "Entry " + tool.EntryPrice, x, ShareCard.Height - 70, 26, Accent, bold: false, inner, smallest: 16);
        }

        using var image = surface.Snapshot();
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        return png.ToArray();
    }

    /// <summary>The width of <paramref name="text"/> in the cards' typeface, for layouts drawn elsewhere (the badges).</summary>
    public float Measure(string text, float size)
    {
        using var font = new SKFont(typeface, size);
        return font.MeasureText(text);
    }

    // Shrinks the text to fit the width, down to the smallest size, and cuts it with an ellipsis if it still does not fit.
    private void Text(SKCanvas canvas, string text, float x, float y, float size, SKColor color, bool bold, float width, float? smallest = null)
    {
        var least = smallest ?? size;
        using var font = new SKFont(typeface, size) { Embolden = bold, Subpixel = true };
        while (font.MeasureText(text) > width && font.Size > least)
            font.Size = Math.Max(font.Size - 2, least);
        if (font.MeasureText(text) > width)
        {
            var cut = text.Length;
            while (cut > 1 && font.MeasureText(text[..cut] + "…") > width)
                cut--;
            text = text[..cut].TrimEnd() + "…";
        }
        using var paint = new SKPaint { IsAntialias = true, Color = color };
        canvas.DrawText(text, x, y, SKTextAlign.Left, font, paint);
    }
}
