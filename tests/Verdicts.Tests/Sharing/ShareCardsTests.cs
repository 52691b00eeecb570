using System.Buffers.Binary;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Verdicts.Tests.Infrastructure;
using Verdicts.Web.Sharing;

namespace Verdicts.Tests.Sharing;

/// <summary>The link-preview cards: what the pages announce, what the image is, and that it is drawn once per change.</summary>
public sealed class ShareCardsTests(ShareCardsTests.Site site) : IClassFixture<ShareCardsTests.Site>
{
    public sealed class Site() : SampleSite(TestContent.Sample()
        .Tool("delta", "Delta", tagline: "The fourth tool", entry: "$10/mo")
        .Tool("secret", "Secret", tagline: "Not out yet", extra: "draft: true\n"));

    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private HttpClient Client() => site.App.CreateClient();

    private long Drawn => site.App.Services.GetRequiredService<ShareCards>().Drawn;

    [Theory]
    [InlineData("/tools/alpha", "http://localhost/cards/tools/alpha.png")]
    [InlineData("/compare/alpha-or-beta", "http://localhost/cards/compare/alpha-or-beta.png")]
    [InlineData("/compare/gamma-vs-alpha", "http://localhost/cards/compare/alpha-vs-gamma.png")]
    public async Task Tool_and_comparison_pages_announce_an_absolute_large_card_with_its_size_and_description(string page, string card)
    {
        var document = await Client().GetPage(page);
        string? Meta(string name) => document.QuerySelector($"meta[property='{name}'], meta[name='{name}']")?.GetAttribute("content");

        Assert.Equal(card, Meta("og:image"));
        Assert.True(Uri.TryCreate(Meta("og:image"), UriKind.Absolute, out _));
        Assert.Equal(("1200", "630", "image/png"), (Meta("og:image:width"), Meta("og:image:height"), Meta("og:image:type")));
        Assert.Equal("summary_large_image", Meta("twitter:card"));
        Assert.Contains("Alpha: panel " + Html.Percent(2, 2) + "% ship", Meta("og:image:alt"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/cards/tools/alpha.png")]
    [InlineData("/cards/compare/alpha-or-beta.png")]
    [InlineData("/cards/compare/alpha-vs-delta.png")]
    [InlineData("/cards/compare/alpha-vs-beta-vs-delta-vs-gamma.png")]
    public async Task A_card_is_a_1200_by_630_png(string path)
    {
        using var response = await Client().Get(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        var png = await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);

        // The signature, then the IHDR chunk: its length, its name, then width and height as big-endian integers.
        Assert.Equal(PngSignature, png[..8]);
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(png, 12, 4));
        Assert.Equal((1200, 630), (BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20))));
        // And the whole file decodes, with more than one colour in it (text was drawn).
        using var bitmap = SkiaSharp.SKBitmap.Decode(png);
        Assert.Equal((1200, 630), (bitmap.Width, bitmap.Height));
        Assert.True(bitmap.Pixels.Distinct().Take(3).Count() > 2);
    }

    [Fact]
    public async Task A_card_is_drawn_once_and_then_answered_from_the_cache()
    {
        var client = Client();
        var before = Drawn;
        using var first = await client.Get("/cards/compare/beta-vs-delta.png");
        var drawnOnce = Drawn;
        using var second = await client.Get("/cards/compare/beta-vs-delta.png");

        Assert.Equal(before + 1, drawnOnce);
        Assert.Equal(drawnOnce, Drawn);
        // The output cache marks the answers it serves itself with an Age header.
        Assert.False(first.Headers.Contains("Age"));
        Assert.True(second.Headers.Contains("Age"));
        Assert.Equal(await first.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken),
            await second.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Votes_on_a_tool_redraw_its_cards_with_the_share_its_page_shows()
    {
        var client = Client();
        var before = await client.Get("/cards/tools/gamma.png");
        var oldCard = await before.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);

        site.App.CastVotes("gamma", ship: 7, skip: 4);
        var drawn = Drawn;
        using var after = await client.Get("/cards/tools/gamma.png");

        Assert.Equal(drawn + 1, Drawn);
        Assert.NotEqual(oldCard, await after.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
        var page = await client.GetPage("/tools/gamma");
        Assert.Contains($"community {Html.Percent(7, 11)}% ship", page.QuerySelector("meta[property='og:image:alt']")?.GetAttribute("content"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/cards/tools/nowhere.png")]
    [InlineData("/cards/tools/secret.png")]
    [InlineData("/cards/compare/nowhere.png")]
    [InlineData("/cards/compare/alpha-vs-secret.png")]
    [InlineData("/cards/compare/gamma-vs-alpha.png")]
    [InlineData("/cards/compare/alpha-vs-alpha.png")]
    [InlineData("/cards/compare/alpha-vs-beta.png")]
    [InlineData("/cards/compare/alpha.png")]
    [InlineData("/cards/compare/alpha-vs-beta-vs-delta-vs-gamma-vs-zeta.png")]
    public async Task Unknown_draft_and_non_canonical_cards_are_not_found_and_draw_nothing(string path)
    {
        var drawn = Drawn;
        using var response = await Client().Get(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.NotEqual("image/png", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(drawn, Drawn);
    }
}
