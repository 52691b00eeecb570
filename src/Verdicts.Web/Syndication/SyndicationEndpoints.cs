using System.Globalization;
using System.Text;
using System.Xml;
using Dapper;
using Microsoft.Extensions.Options;
using Verdicts.Web.Data;

namespace Verdicts.Web.Syndication;

/// <summary>The Atom feed, the sitemap and robots.txt: what crawlers and feed readers fetch.</summary>
public static class SyndicationEndpoints
{
    public static void MapSyndication(this IEndpointRouteBuilder app)
    {
        app.MapGet("/feed.xml", FeedAsync);
        app.MapGet("/sitemap.xml", SitemapAsync);
        // The Sitemap line needs an absolute address, so without a configured one there is none.
        app.MapGet("/robots.txt", (IOptions<VerdictsOptions> options) =>
            Results.Text("User-agent: *\nAllow: /\nDisallow: /admin\nDisallow: /api/\n"
                + (options.Value.SiteUrl is { Length: > 0 } site ? $"Sitemap: {site}/sitemap.xml\n" : ""), "text/plain; charset=utf-8"));
    }

    private sealed record FeedEntry
    {
        public required string Slug { get; init; }
        public required string Title { get; init; }
        public required string Published { get; init; }
        public required string IntroHtml { get; init; }
    }

    private static async Task<IResult> FeedAsync(Database database, IOptions<VerdictsOptions> options)
    {
        using var connection = database.Open();
        var entries = (await connection.QueryAsync<FeedEntry>($"""
            SELECT c.slug, {ComparisonTitle.Sql} AS Title, c.published, c.intro_html AS IntroHtml
            FROM comparisons c ORDER BY c.published DESC, c.slug LIMIT 50
            """)).ToList();
        var site = options.Value.SiteUrl;
        var xml = Write(writer =>
        {
            writer.WriteStartElement("feed", "http://www.w3.org/2005/Atom");
            writer.WriteElementString("title", "Verdicts: AI tool comparisons");
            writer.WriteElementString("id", site + "/");
            writer.WriteElementString("updated", AtomDate(entries.FirstOrDefault()?.Published ?? "2026-01-01"));
            Link(writer, site + "/feed.xml", "self");
            Link(writer, site + "/", "alternate");
            writer.WriteStartElement("author");
            writer.WriteElementString("name", "Verdicts");
            writer.WriteEndElement();
            foreach (var entry in entries)
            {
                writer.WriteStartElement("entry");
                writer.WriteElementString("title", entry.Title);
                writer.WriteElementString("id", $"{site}/compare/{entry.Slug}");
                Link(writer, $"{site}/compare/{entry.Slug}", "alternate");
                writer.WriteElementString("published", AtomDate(entry.Published));
                writer.WriteElementString("updated", AtomDate(entry.Published));
                writer.WriteStartElement("summary");
                writer.WriteAttributeString("type", "html");
                writer.WriteString(entry.IntroHtml);
                writer.WriteEndElement();
                writer.WriteEndElement();
            }
            writer.WriteEndElement();
        });
        return Results.Text(xml, "application/atom+xml; charset=utf-8");
    }

    private static async Task<IResult> SitemapAsync(Database database, IOptions<VerdictsOptions> options)
    {
        using var connection = database.Open();
        // Besides the curated comparisons: each pair of tools a curated comparison puts side by side, where no curated page is
        // that pair, as the generated page the alternatives link to, at its canonical address (slugs sorted, as in tool_pairs).
        var paths = (await connection.QueryAsync<string>("""
            SELECT '/compare/' || slug FROM comparisons
            UNION ALL SELECT '/compare/' || p.a || '-vs-' || p.b FROM tool_pairs p
             WHERE NOT EXISTS (SELECT 1 FROM comparisons c WHERE c.tool_set = p.a || ' ' || p.b)
            UNION ALL SELECT '/tools/' || slug FROM tools
            UNION ALL SELECT DISTINCT '/categories/' || category_slug FROM tools
            UNION ALL SELECT '/reviewers/' || slug FROM reviewers
            """)).Prepend("/categories").Prepend("/").ToList();
        var site = options.Value.SiteUrl;
        var xml = Write(writer =>
        {
            writer.WriteStartElement("urlset", "http://www.sitemaps.org/schemas/sitemap/0.9");
            foreach (var path in paths)
            {
                writer.WriteStartElement("url");
                writer.WriteElementString("loc", site + path);
                writer.WriteEndElement();
            }
            writer.WriteEndElement();
        });
        return Results.Text(xml, "application/xml; charset=utf-8");
    }

    private static void Link(XmlWriter writer, string href, string rel)
    {
        writer.WriteStartElement("link");
        writer.WriteAttributeString("rel", rel);
        writer.WriteAttributeString("href", href);
        writer.WriteEndElement();
    }

    private static string AtomDate(string isoDate) =>
        Iso.Day(DateOnly.ParseExact(isoDate, "yyyy-MM-dd", CultureInfo.InvariantCulture)) + "T00:00:00Z";

    private static string Write(Action<XmlWriter> body)
    {
        var builder = new StringBuilder();
        using (var writer = XmlWriter.Create(builder, new XmlWriterSettings { Indent = true, Encoding = Encoding.UTF8 }))
        {
            writer.WriteStartDocument();
            body(writer);
            writer.WriteEndDocument();
        }
        // StringBuilder output declares UTF-16; the response is UTF-8.
        return builder.ToString().Replace("encoding=\"utf-16\"", "encoding=\"utf-8\"", StringComparison.Ordinal);
    }
}
