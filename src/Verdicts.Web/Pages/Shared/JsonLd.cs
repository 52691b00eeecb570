using System.Text.Json;
using Verdicts.Web.Data;

namespace Verdicts.Web.Pages.Shared;

/// <summary>
/// Structured data for search engines: the panel's quotes as reviews by the site, ratings only from real votes.
/// Written straight to a Utf8JsonWriter, which escapes HTML-sensitive characters, so it is safe in a script block
/// and cheap enough for every uncached render. It is kept as UTF-8, and written into the page as it is: as a string
/// (twice the bytes, decoded and encoded again) with a new buffer for each render, it was a large share of what an
/// uncached comparison allocated, and the site's collections under load grow with what it allocates.
/// </summary>
public static class JsonLd
{
    private static void Application(Utf8JsonWriter json, ToolCard tool, IEnumerable<VerdictRow> verdicts)
    {
        json.WriteString("@type", "SoftwareApplication");
        json.WriteString("name", tool.Name);
        json.WriteString("applicationCategory", tool.Category);
        json.WriteString("description", tool.Tagline);
        json.WriteString("url", $"/tools/{tool.Slug}");
        if (tool.Vendor is not null)
        {
            json.WriteStartObject("publisher");
            json.WriteString("@type", "Organization");
            json.WriteString("name", tool.Vendor);
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
            json.WriteString("@type", "Organization");
            json.WriteString("name", "Verdicts");
            json.WriteEndObject();
            json.WriteEndObject();
        }
        json.WriteEndArray();
        // The raw share with its count: a rating's consumers weigh it by ratingCount themselves.
        if (Figures.ShipPercent(tool.CommunityShip, tool.CommunitySkip) is { } percent)
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

    public static byte[] Comparison(string title, IReadOnlyList<ToolCard> tools, IReadOnlyList<VerdictRow> verdicts) => Write(json =>
    {
        json.WriteString("@context", "https://schema.org");
        json.WriteString("@type", "ItemList");
        json.WriteString("name", title);
        json.WriteStartArray("itemListElement");
        for (var i = 0; i < tools.Count; i++)
        {
            json.WriteStartObject();
            json.WriteString("@type", "ListItem");
            json.WriteNumber("position", i + 1);
            json.WriteStartObject("item");
            Application(json, tools[i], verdicts);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        json.WriteEndArray();
    });

    public static byte[] Tool(ToolCard tool, IReadOnlyList<VerdictRow> verdicts) => Write(json =>
    {
        json.WriteString("@context", "https://schema.org");
        Application(json, tool, verdicts);
    });

    // One buffer and writer per thread, reset for each document; only the finished JSON is copied out.
    [ThreadStatic]
    private static (System.Buffers.ArrayBufferWriter<byte> Buffer, Utf8JsonWriter Json)? perThread;

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        var (buffer, json) = perThread ??= NewWriter();
        buffer.ResetWrittenCount();
        json.Reset(buffer);
        json.WriteStartObject();
        body(json);
        json.WriteEndObject();
        json.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    private static (System.Buffers.ArrayBufferWriter<byte>, Utf8JsonWriter) NewWriter()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(8192);
        return (buffer, new Utf8JsonWriter(buffer));
    }
}
