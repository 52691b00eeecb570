using System.Text.Json;
using Verdicts.Web.Content;
using Verdicts.Web.Data;
using Verdicts.Web.Pages.Shared;
using Verdicts.Web.Slices;
using Verdicts.Web.Voting;

namespace Verdicts.Web.Pages.Compare;

/// <summary>
/// The comparison page, for a curated comparison (<c>/compare/{slug}</c>) or any published tools joined by
/// <c>-vs-</c>; a generated address whose tools a curated comparison covers redirects there.
/// </summary>
/// <remarks>
/// The site's most visited page, so it is drawn by a Razor Slice (<c>Slices/Comparison.cshtml</c>) from a plain endpoint
/// rather than by a Razor Page: the page pipeline and its view buffer cost an uncached comparison much of its CPU
/// (bench/README.md). The model still runs its own queries, as the pages' models do.
/// </remarks>
public sealed class ComparisonPage
{
    public const string DefaultQuestion = "Which one should you ship with?";

    public sealed record ComparisonRow
    {
        public required string Slug { get; init; }
        public string? Title { get; init; }
        public string? Question { get; init; }
        public required string IntroHtml { get; init; }
        public required string Published { get; init; }
    }

    public sealed record PlanRow
    {
        public required string ToolSlug { get; init; }
        public required string Name { get; init; }
        public required string Price { get; init; }
        public string? Notes { get; init; }
    }

    public sealed record VerdictRow
    {
        public required string ToolSlug { get; init; }
        public required string Verdict { get; init; }
        public required string QuoteHtml { get; init; }
        public required string QuoteText { get; init; }
        public required string ReviewerSlug { get; init; }
        public required string ReviewerName { get; init; }
        public required string Lens { get; init; }

        /// <summary>The panel's verdicts on the given tools, reviewers in scorecard order.</summary>
        public static List<VerdictRow> Load(ReadSession db, IReadOnlyList<string> slugs) =>
            db.Query("""
                SELECT v.verdict, v.quote_html, v.quote_text, r.slug, r.name, r.lens, v.tool_slug
                FROM verdicts v JOIN reviewers r ON r.slug = v.reviewer_slug
                WHERE v.tool_slug IN (SELECT value FROM json_each(@slugs))
                ORDER BY r.sort_order IS NULL, r.sort_order, r.name
                """, new { slugs = SlugList.Json(slugs) }, row => Read(row, 0, row.GetString(6)));

        /// <summary>The verdict in the row's columns from <paramref name="first"/> on: verdict, quote HTML, quote text, and the reviewer's slug, name and lens.</summary>
        public static VerdictRow Read(Microsoft.Data.Sqlite.SqliteDataReader row, int first, string toolSlug) => new()
        {
            ToolSlug = toolSlug,
            Verdict = row.GetString(first),
            QuoteHtml = row.GetString(first + 1),
            QuoteText = row.GetString(first + 2),
            ReviewerSlug = row.GetString(first + 3),
            ReviewerName = row.GetString(first + 4),
            Lens = row.GetString(first + 5),
        };
    }

    /// <summary>One reviewer's row of the scorecard: a verdict (or none) per compared tool, in column order.</summary>
    public sealed record ScorecardRow(string ReviewerSlug, string ReviewerName, string Lens, IReadOnlyList<VerdictRow?> Verdicts)
    {
        public bool Splits { get; } = Verdicts.Where(v => v is not null).Select(v => v!.Verdict).Distinct().Count() > 1;
    }

    private readonly HttpContext context;
    private readonly VoteTallies tallies;

    private ComparisonPage(HttpContext context, VoteTallies tallies) => (this.context, this.tallies) = (context, tallies);

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapMethods("/compare/{slug}", [HttpMethods.Get, HttpMethods.Head], (string slug, HttpContext context, Database database, VoteTallies tallies) =>
        {
            using var db = database.Read();
            return new ComparisonPage(context, tallies).Load(db, slug);
        });

    public PageMeta Meta { get; private set; } = null!;
    public PageHead Head => PageHead.For(Meta, context);
    public ComparisonRow? Curated { get; private set; }
    public IReadOnlyList<ToolCard> Tools { get; private set; } = [];
    public ILookup<string, PlanRow> Plans { get; private set; } = Enumerable.Empty<PlanRow>().ToLookup(p => p.ToolSlug);
    public IReadOnlyList<ScorecardRow> Scorecard { get; private set; } = [];
    public string Title { get; private set; } = "";
    public string Question { get; private set; } = DefaultQuestion;

    public string SplitSummary
    {
        get
        {
            var splitters = Scorecard.Count(r => r.Splits);
            var judged = Scorecard.Count(r => r.Verdicts.Count(v => v is not null) > 1);
            if (judged == 0)
                return "No reviewer has judged more than one of these tools yet.";
            if (splitters == 0)
                return Tools.Count == 2 ? "The panel agrees on both." : $"The panel agrees on all {Words(Tools.Count)}.";
            return $"{splitters} of {judged} reviewers split.";
        }
    }

    /// <summary>The vote form for a tool on this page.</summary>
    public Microsoft.AspNetCore.Html.IHtmlContent VoteForm(string slug, string name) => Fragments.VoteForm(context.Request, slug, name);

    // Everything the page shows about its tools, in one statement over `picked(position, slug)`: the tools' cards (kind 1),
    // their plans (2) and the panel's verdicts (3), each row with its tool's column. Kinds share the columns, padded with
    // NULL; the page puts the rows in order. One statement rather than four reads one snapshot of the database without
    // a transaction around them, and on this, the most visited page, a statement's fixed cost is much of the work.
    private const string ToolRowsSql = $"""
        SELECT 1, p.position, {ToolCard.Columns}
          FROM picked p JOIN tools t ON t.slug = p.slug
        UNION ALL
        SELECT 2, p.position, tp.position, tp.name, tp.price, tp.notes, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
          FROM picked p JOIN tool_plans tp ON tp.tool_slug = p.slug
        UNION ALL
        SELECT 3, p.position, v.verdict, v.quote_html, v.quote_text, r.slug, r.name, r.lens, r.sort_order, NULL, NULL, NULL, NULL, NULL, NULL, NULL
          FROM picked p JOIN verdicts v ON v.tool_slug = p.slug JOIN reviewers r ON r.slug = v.reviewer_slug
        """;

    // A curated comparison (kind 0) with its tools' rows; no rows at all when no comparison has the slug.
    private const string CuratedRowsSql = $"""
        WITH picked(position, slug) AS (SELECT position, tool_slug FROM comparison_tools WHERE comparison_slug = @slug)
        SELECT 0, 0, c.slug, c.title, c.question, c.intro_html, c.published, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
          FROM comparisons c WHERE c.slug = @slug
        UNION ALL
        {ToolRowsSql}
        """;

    // The rows of tools named in the address, in the order named.
    private const string GeneratedRowsSql = $"""
        WITH picked(position, slug) AS (SELECT key, value FROM json_each(@slugs))
        {ToolRowsSql}
        """;

    private IResult Load(ReadSession db, string slug)
    {
        var rows = new PageRows(tallies);
        db.ForEachRow(CuratedRowsSql, new { slug }, rows.Add);
        if (rows.Comparison is { } curated)
        {
            Curated = curated;
        }
        else
        {
            var requested = slug.Split("-vs-");
            if (requested.Length is < 2 or > 4 || !requested.All(ContentParser.IsValidSlug))
                return Results.NotFound();
            // The slugs resolved, the curated page looked for and the rows read all see the database as it was at the first.
            db.BeginSnapshot();
            var resolved = Resolve(db, requested);
            if (resolved is null || resolved.Distinct(StringComparer.Ordinal).Count() != resolved.Count)
                return Results.NotFound();
            var curatedSlug = db.QueryFirstOrDefault<string>(
                "SELECT slug FROM comparisons WHERE tool_set = @set ORDER BY published DESC, slug LIMIT 1",
                new { set = ContentImporter.ToolSet(resolved) });
            if (curatedSlug is not null)
                return Results.Redirect($"/compare/{curatedSlug}", permanent: true);
            if (!resolved.SequenceEqual(requested, StringComparer.Ordinal))
                return Results.Redirect($"/compare/{string.Join("-vs-", resolved)}", permanent: true);
            db.ForEachRow(GeneratedRowsSql, new { slugs = SlugList.Json(resolved) }, rows.Add);
        }

        Tools = rows.Tools();
        if (Tools.Count < 2)
            return Results.NotFound();
        var slugs = Tools.Select(t => t.Slug).ToList();
        Plans = rows.Plans().ToLookup(p => p.ToolSlug, StringComparer.Ordinal);
        var verdicts = rows.Verdicts();
        Scorecard = verdicts.GroupBy(v => v.ReviewerSlug)
            .Select(g => new ScorecardRow(g.Key, g.First().ReviewerName, g.First().Lens,
                Tools.Select(t => g.FirstOrDefault(v => v.ToolSlug == t.Slug)).ToList()))
            .ToList();

        Title = ComparisonTitle.Of(Curated?.Title, Tools.Select(t => t.Name));
        Question = Curated?.Question ?? DefaultQuestion;
        var path = $"/compare/{Curated?.Slug ?? string.Join("-vs-", slugs)}";
        Meta = new PageMeta($"{Title}: {Question.TrimEnd('?')}? · Verdicts",
            $"{Title}: panel verdict, pricing read, reviewer split and community vote, side by side.", path)
        {
            JsonLd = JsonLd.Comparison(Title, Tools, verdicts),
        };
        CacheTags.TagTools(context, slugs);
        return SlicePage.Html(Comparison.Create(this));
    }

    /// <summary>The rows of <see cref="CuratedRowsSql"/> or <see cref="GeneratedRowsSql"/>, read by kind, then put in the page's order.</summary>
    private sealed class PageRows(VoteTallies tallies)
    {
        private readonly List<(long Position, ToolCard Tool)> tools = [];
        private readonly List<(long Position, long Order, PlanRow Plan)> plans = [];
        private readonly List<(long Position, long? ReviewerOrder, VerdictRow Verdict)> verdicts = [];

        public ComparisonRow? Comparison { get; private set; }

        public void Add(Microsoft.Data.Sqlite.SqliteDataReader row)
        {
            switch (row.GetInt64(0))
            {
                case 0:
                    Comparison = new ComparisonRow
                    {
                        Slug = row.GetString(2),
                        Title = row.IsDBNull(3) ? null : row.GetString(3),
                        Question = row.IsDBNull(4) ? null : row.GetString(4),
                        IntroHtml = row.GetString(5),
                        Published = row.GetString(6),
                    };
                    break;
                case 1:
                    tools.Add((row.GetInt64(1), ToolCard.Read(row, tallies, 2)));
                    break;
                case 2:
                    // The tool's slug is filled in from its card once all rows are read.
                    plans.Add((row.GetInt64(1), row.GetInt64(2), new PlanRow
                    {
                        ToolSlug = "",
                        Name = row.GetString(3),
                        Price = row.GetString(4),
                        Notes = row.IsDBNull(5) ? null : row.GetString(5),
                    }));
                    break;
                case 3:
                    // As with plans, the tool's slug is filled in once all rows are read.
                    verdicts.Add((row.GetInt64(1), row.IsDBNull(8) ? null : row.GetInt64(8), VerdictRow.Read(row, 2, toolSlug: "")));
                    break;
            }
        }

        /// <summary>The cards in column order.</summary>
        public List<ToolCard> Tools() => [.. tools.OrderBy(t => t.Position).Select(t => t.Tool)];

        /// <summary>Each tool's plans in their order, tools in column order.</summary>
        public List<PlanRow> Plans() => [.. plans.OrderBy(p => p.Position).ThenBy(p => p.Order)
            .Select(p => SlugAt(p.Position) is { } slug ? p.Plan with { ToolSlug = slug } : null).OfType<PlanRow>()];

        /// <summary>The verdicts, reviewers in scorecard order (as <see cref="VerdictRow.Load"/> gives them).</summary>
        public List<VerdictRow> Verdicts() => [.. verdicts
            .OrderBy(v => v.ReviewerOrder is null).ThenBy(v => v.ReviewerOrder).ThenBy(v => v.Verdict.ReviewerName, StringComparer.Ordinal)
            .ThenBy(v => v.Verdict.ReviewerSlug, StringComparer.Ordinal).ThenBy(v => v.Position)
            .Select(v => SlugAt(v.Position) is { } slug ? v.Verdict with { ToolSlug = slug } : null).OfType<VerdictRow>()];

        private string? SlugAt(long position)
        {
            foreach (var (at, tool) in tools)
            {
                if (at == position)
                    return tool.Slug;
            }
            return null;
        }
    }

    /// <summary>Current slugs for the requested ones (following former slugs), or null when any is unknown or a draft.</summary>
    private static List<string>? Resolve(ReadSession db, string[] requested)
    {
        var rows = db.Query<(string Requested, string Slug)>("""
            SELECT slug, slug FROM tools WHERE slug IN (SELECT value FROM json_each(@requested))
            UNION ALL
            SELECT alias, tool_slug FROM tool_aliases WHERE alias IN (SELECT value FROM json_each(@requested))
            """, new { requested = SlugList.Json(requested) }).ToDictionary(r => r.Requested, r => r.Slug, StringComparer.Ordinal);
        return requested.All(rows.ContainsKey) ? requested.Select(r => rows[r]).ToList() : null;
    }

    private static string Words(int count) => count switch { 3 => "three", 4 => "four", _ => count.ToString(System.Globalization.CultureInfo.InvariantCulture) };
}

/// <summary>
/// Structured data for search engines: the panel's quotes as reviews by the site, ratings only from real votes.
/// Written straight to a Utf8JsonWriter, which escapes HTML-sensitive characters, so it is safe in a script block
/// and cheap enough for every uncached render. It is kept as UTF-8, and written into the page as it is: as a string
/// (twice the bytes, decoded and encoded again) with a new buffer for each render, it was a large share of what an
/// uncached comparison allocated, and the site's collections under load grow with what it allocates.
/// </summary>
public static class JsonLd
{
    private static void Application(Utf8JsonWriter json, ToolCard tool, IEnumerable<ComparisonPage.VerdictRow> verdicts)
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

    public static byte[] Comparison(string title, IReadOnlyList<ToolCard> tools, IReadOnlyList<ComparisonPage.VerdictRow> verdicts) => Write(json =>
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

    public static byte[] Tool(ToolCard tool, IReadOnlyList<ComparisonPage.VerdictRow> verdicts) => Write(json =>
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
