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
        app.MapMethods("/feed.xml", GetAndHead.Methods, FeedAsync);
        app.MapMethods("/sitemap.xml", GetAndHead.Methods, SitemapAsync);
        // The Sitemap line needs an absolute address, so without a configured one there is none.
        app.MapMethods("/robots.txt", GetAndHead.Methods, (IOptions<VerdictsOptions> options) =>
            Results.Text("User-agent: *\nAllow: /\nDisallow: /admin\nDisallow: /api/\n"
                + (options.Value.SiteUrl is { Length: > 0 } site ? $"Sitemap: {site}/sitemap.xml\n" : ""), "text/plain; charset=utf-8"));
    }

    private sealed record FeedEntry
    {
        public required string Slug { get; init; }
        public required string Title { get; init; }
        public required string Published { get; init; }
        public required string Updated { get; init; }
        public required string IntroHtml { get; init; }
    }

    // When a page's content last changed, from the dates the content files give: a tool's is the later of its `checked`
    // day and its verdicts' `date`s; a comparison's the later of its `published` day and its tools'; a category's, a
    // generated comparison's and the home page's the latest of their tools'; a reviewer's their latest verdict's. Files
    // that give no date give none (their import time is not when they were written). Not materialized: each use reads the
    // tools it needs by key rather than scanning a copy of every tool's row (a scan per generated pair at 10 000 tools).
    private const string ToolDates = """
        WITH tool_dates AS NOT MATERIALIZED (
            SELECT t.slug, t.category_slug,
                   nullif(max(coalesce(t.checked, ''), coalesce((SELECT max(v.date) FROM verdicts v WHERE v.tool_slug = t.slug), '')), '') AS lastmod
              FROM tools t)
        """;

    private const string ComparisonUpdated = """
        max(c.published, coalesce((SELECT max(d.lastmod) FROM comparison_tools ct JOIN tool_dates d ON d.slug = ct.tool_slug
                                    WHERE ct.comparison_slug = c.slug), ''))
        """;

    private sealed record SitemapRow
    {
        public required string Path { get; init; }
        public string? LastModified { get; init; }
    }

    private static async Task<IResult> FeedAsync(Database database, IOptions<VerdictsOptions> options)
    {
        using var connection = database.Open();
        var entries = (await connection.QueryAsync<FeedEntry>($"""
            {ToolDates}
            SELECT c.slug, {ComparisonTitle.Sql} AS Title, c.published, {ComparisonUpdated} AS Updated, c.intro_html AS IntroHtml
            FROM comparisons c ORDER BY c.published DESC, c.slug LIMIT 50
            """)).ToList();
        var site = options.Value.SiteUrl;
        var xml = Write(writer =>
        {
            writer.WriteStartElement("feed", "http://www.w3.org/2005/Atom");
            writer.WriteElementString("title", "Verdicts: AI tool comparisons");
            writer.WriteElementString("id", site + "/");
            writer.WriteElementString("updated", AtomDate(entries.Select(e => e.Updated).DefaultIfEmpty("2026-01-01").Max(StringComparer.Ordinal)!));
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
                writer.WriteElementString("updated", AtomDate(entry.Updated));
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
        var rows = (await connection.QueryAsync<SitemapRow>($"""
            {ToolDates}
            SELECT '/compare/' || c.slug AS Path, {ComparisonUpdated} AS LastModified FROM comparisons c
            UNION ALL SELECT '/compare/' || p.a || '-vs-' || p.b, (SELECT max(d.lastmod) FROM tool_dates d WHERE d.slug IN (p.a, p.b))
              FROM tool_pairs p
             WHERE NOT EXISTS (SELECT 1 FROM comparisons c WHERE c.tool_set = p.a || ' ' || p.b)
            UNION ALL SELECT '/tools/' || slug, lastmod FROM tool_dates
            UNION ALL SELECT '/categories/' || category_slug, max(lastmod) FROM tool_dates GROUP BY category_slug
            UNION ALL SELECT '/reviewers/' || r.slug, (SELECT max(v.date) FROM verdicts v WHERE v.reviewer_slug = r.slug) FROM reviewers r
            """)).ToList();
        var latest = rows.Select(r => r.LastModified).Max(StringComparer.Ordinal);
        rows.InsertRange(0, [new SitemapRow { Path = "/", LastModified = latest }, new SitemapRow { Path = "/categories", LastModified = latest }]);
        var site = options.Value.SiteUrl;
        var xml = Write(writer =>
        {
            writer.WriteStartElement("urlset", "http://www.sitemaps.org/schemas/sitemap/0.9");
            foreach (var row in rows)
            {
                writer.WriteStartElement("url");
                writer.WriteElementString("loc", site + row.Path);
                if (row.LastModified is { } day)
                    writer.WriteElementString("lastmod", day);
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
