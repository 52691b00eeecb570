using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Verdicts.Web.Data;

namespace Verdicts.Web.Pages.Shared;

/// <summary>
/// Structured data for search engines, as schema.org types in the forms Google's SoftwareApplication and review-snippet
/// documentation asks for: each panel quote is a Review by its reviewer (a Person with their page), dated when the verdict
/// file gives a date, and rated on a two-point scale (skip 1, ship 2; bestRating 2, worstRating 1), which is all a verdict
/// says; the tool's offer is its entry price where that reads as an amount ("Free" is "0"); every address is absolute on
/// the configured site address. The site rates no one itself: the only aggregateRating is the visitors' votes, and only
/// from the ten votes the pages show a share at (Voting/CommunityShare.cs).
/// Written straight to a Utf8JsonWriter, whose default encoder escapes &lt;, &gt;, &amp; and quotes, so no text can close
/// the script block, and cheap enough for every uncached render. It is kept as UTF-8, and written into the page as it is:
/// as a string (twice the bytes, decoded and encoded again) with a new buffer for each render, it was a large share of what
/// an uncached comparison allocated, and the site's collections under load grow with what it allocates.
/// </summary>
public static partial class JsonLd
{
    /// <summary>
    /// Every tool here is software developers use, and Google recognises a fixed list of categories, of which this is
    /// the one that fits; the site's own category goes in applicationSubCategory.
    /// </summary>
    public const string ApplicationCategory = "DeveloperApplication";

    public const int ShipRating = 2;
    public const int SkipRating = 1;

    private static void Application(Utf8JsonWriter json, string site, ToolCard tool, IEnumerable<VerdictRow> verdicts)
    {
        json.WriteString("@type", "SoftwareApplication");
        json.WriteString("name", tool.Name);
        json.WriteString("applicationCategory", ApplicationCategory);
        json.WriteString("applicationSubCategory", tool.Category);
        json.WriteString("description", tool.Tagline);
        json.WriteString("url", $"{site}/tools/{tool.Slug}");
        if (tool.Vendor is not null)
        {
            json.WriteStartObject("publisher");
            json.WriteString("@type", "Organization");
            json.WriteString("name", tool.Vendor);
            json.WriteEndObject();
        }
        if (Offer(tool.EntryPrice) is { } offer)
        {
            json.WriteStartObject("offers");
            json.WriteString("@type", "Offer");
            json.WriteString("price", offer.Price);
            json.WriteString("priceCurrency", offer.Currency);
            json.WriteEndObject();
        }
        json.WriteStartArray("review");
        foreach (var verdict in verdicts.Where(v => v.ToolSlug == tool.Slug))
        {
            json.WriteStartObject();
            json.WriteString("@type", "Review");
            json.WriteString("name", $"{verdict.Lens}: {verdict.Verdict}");
            json.WriteString("reviewBody", verdict.QuoteText);
            json.WriteStartObject("author");
            json.WriteString("@type", "Person");
            json.WriteString("name", verdict.ReviewerName);
            json.WriteString("url", $"{site}/reviewers/{verdict.ReviewerSlug}");
            json.WriteEndObject();
            if (verdict.Date is { } date)
                json.WriteString("datePublished", date);
            json.WriteStartObject("reviewRating");
            json.WriteString("@type", "Rating");
            json.WriteNumber("ratingValue", verdict.Verdict == "ship" ? ShipRating : SkipRating);
            json.WriteNumber("bestRating", ShipRating);
            json.WriteNumber("worstRating", SkipRating);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        json.WriteEndArray();
        // The visitors' ship share, as the pages show it: only from ten votes. Each vote is 0 or 100, so the share is their mean.
        if (tool.CommunityPercent is { } percent)
        {
            json.WriteStartObject("aggregateRating");
            json.WriteString("@type", "AggregateRating");
            json.WriteNumber("ratingValue", percent);
            json.WriteNumber("bestRating", 100);
            json.WriteNumber("worstRating", 0);
            json.WriteNumber("ratingCount", tool.CommunityVotes);
            json.WriteEndObject();
        }
    }

    /// <summary>
    /// The entry price as an Offer's price and ISO 4217 currency: "Free" is "0" (in US dollars, as Google's examples
    /// write a free app), "$20/mo" is "20" USD; a price that does not start with an amount in a known currency gives none.
    /// </summary>
    public static (string Price, string Currency)? Offer(string entryPrice)
    {
        if (entryPrice.Trim().Equals("free", StringComparison.OrdinalIgnoreCase))
            return ("0", "USD");
        var amount = Amount().Match(entryPrice);
        if (!amount.Success)
            return null;
        var currency = amount.Groups["symbol"].Value switch { "$" => "USD", "€" => "EUR", _ => "GBP" };
        return (decimal.Parse(amount.Groups["amount"].Value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture), currency);
    }

    [GeneratedRegex(@"^\s*(?<symbol>[$€£])\s?(?<amount>\d+(\.\d{1,2})?)(?![\d.])")]
    private static partial Regex Amount();

    public static byte[] Comparison(string site, string path, string title, IReadOnlyList<ToolCard> tools, IReadOnlyList<VerdictRow> verdicts) => Write(json =>
    {
        json.WriteString("@context", "https://schema.org");
        json.WriteString("@type", "ItemList");
        json.WriteString("name", title);
        json.WriteString("url", site + path);
        json.WriteStartArray("itemListElement");
        for (var i = 0; i < tools.Count; i++)
        {
            json.WriteStartObject();
            json.WriteString("@type", "ListItem");
            json.WriteNumber("position", i + 1);
            json.WriteStartObject("item");
            Application(json, site, tools[i], verdicts);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        json.WriteEndArray();
    });

    public static byte[] Tool(string site, ToolCard tool, IReadOnlyList<VerdictRow> verdicts) => Write(json =>
    {
        json.WriteString("@context", "https://schema.org");
        Application(json, site, tool, verdicts);
    });

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(8192);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            body(json);
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
