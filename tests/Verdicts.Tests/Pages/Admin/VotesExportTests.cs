using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Dapper;
using Verdicts.Tests.Infrastructure;

namespace Verdicts.Tests.Pages.Admin;

public sealed class VotesExportTests
{
    private const string Export = "/admin/votes?handler=Csv";

    private sealed record Cast(string Tool, string Voter, string Choice, string At, string? Network);

    /// <summary>Writes votes straight into the votes table, as the vote writer would have.</summary>
    private static void Insert(VerdictsApp app, IEnumerable<Cast> votes)
    {
        using var connection = app.Database.OpenWrites();
        connection.Execute("INSERT INTO votes (tool_slug, voter, choice, voted_at, network) VALUES (@Tool, @Voter, @Choice, @At, @Network)", votes);
    }

    private static string Voter() => Guid.NewGuid().ToString("N");

    private static List<(string Admin, string Action, string Path, string? Detail)> Audit(VerdictsApp app)
    {
        using var connection = app.Database.ReadWrites();
        return connection.Query<(string, string, string, string?)>("SELECT admin, action, path, detail FROM audit ORDER BY id").ToList();
    }

    [Fact]
    public async Task An_anonymous_visitor_is_sent_to_the_login_page_and_a_script_gets_401()
    {
        using var content = TestContent.Sample();
        await using var app = AdminSession.App(content);
        var voter = Voter();
        Insert(app, [new("alpha", voter, "ship", "2026-03-01T10:00:00.000Z", null)]);

        using var anonymous = await app.NoRedirects().Get(Export);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Export, UriKind.Relative));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var script = await app.NoRedirects().SendAsync(request);

        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.Equal("/admin/login", new Uri(new Uri("http://localhost"), anonymous.Headers.Location!).AbsolutePath);
        Assert.Equal(HttpStatusCode.Unauthorized, script.StatusCode);
        Assert.DoesNotContain("tool,choice", await anonymous.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain("tool,choice", await script.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(Audit(app));
    }

    [Fact]
    public async Task The_votes_page_links_to_the_export()
    {
        using var content = TestContent.Sample();
        await using var app = AdminSession.App(content);
        var admin = await AdminSession.SignIn(app);

        var page = await admin.GetPage("/admin/votes");

        Assert.NotNull(page.QuerySelector($"a[href='{Export}']"));
    }

    [Fact]
    public async Task The_export_has_one_row_per_current_vote_with_tool_choice_day_and_network_and_never_the_visitor()
    {
        using var content = TestContent.Sample();
        await using var app = AdminSession.App(content);
        var network = new string('c', 32);
        var cast = new List<Cast>
        {
            new("alpha", Voter(), "ship", "2026-03-01T10:00:00.000Z", network),
            new("alpha", Voter(), "skip", "2026-03-01T23:59:59.999Z", network),
            new("beta", Voter(), "ship", "2026-02-28T00:00:00.000Z", null),
            new("gamma", Voter(), "skip", "2026-03-02T08:30:00.000Z", new string('0', 32)),
        };
        // Enough rows to cross the writer's buffer several times over.
        for (var i = 0; i < 3000; i++)
            cast.Add(new("beta", Voter(), i % 3 == 0 ? "skip" : "ship", $"2026-01-{1 + i % 28:00}T12:00:00.000Z", i % 2 == 0 ? null : network));
        Insert(app, cast);
        var admin = await AdminSession.SignIn(app);

        using var response = await admin.Get(Export);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("votes.csv", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        Assert.True(response.Headers.CacheControl?.NoStore, $"Cache-Control: {response.Headers.CacheControl}");
        var body = await response.Content.ReadAsStringAsync();
        var lines = body.Split("\r\n");
        Assert.Equal("tool,choice,day,network", lines[0]);
        Assert.Equal("", lines[^1]);
        var expected = cast.Select(v => $"{v.Tool},{v.Choice},{v.At[..10]},{v.Network}").Order(StringComparer.Ordinal);
        Assert.Equal(expected, lines[1..^1].Order(StringComparer.Ordinal));
        // Not in the table's key order, which starts with the visitor: by day.
        var days = lines[1..^1].Select(l => l.Split(',')[2]).ToList();
        Assert.Equal(days.Order(StringComparer.Ordinal), days);
        Assert.All(cast, v => Assert.DoesNotContain(v.Voter, body, StringComparison.Ordinal));
        Assert.Equal(("ada", "export-votes", "votes", $"{cast.Count.ToString(CultureInfo.InvariantCulture)} rows"), Assert.Single(Audit(app)));
    }

    [Fact]
    public async Task An_export_the_audit_log_refuses_is_not_made_and_says_so()
    {
        using var content = TestContent.Sample();
        await using var app = AdminSession.App(content);
        var admin = await AdminSession.SignIn(app);

        using (app.RefuseAuditRows())
        {
            using var refused = await admin.Get(Export);

            await Html.RefusedForNow(refused, "the export could not be recorded and was not made");
        }
        Assert.Empty(Audit(app));
    }

    [Fact]
    public async Task An_empty_table_exports_the_header_alone()
    {
        using var content = TestContent.Sample();
        await using var app = AdminSession.App(content);
        var admin = await AdminSession.SignIn(app);

        using var response = await admin.Get(Export);

        Assert.Equal("tool,choice,day,network\r\n", await response.Content.ReadAsStringAsync());
        Assert.Equal(("ada", "export-votes", "votes", "0 rows"), Assert.Single(Audit(app)));
    }

    [Theory]
    // Values a spreadsheet would run as a formula start with an apostrophe; a carriage return also needs quotes.
    [InlineData("=1+2", "'=1+2")]
    [InlineData("+1", "'+1")]
    [InlineData("-1", "'-1")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\tx", "'\tx")]
    [InlineData("\rx", "\"'\rx\"")]
    [InlineData("=HYPERLINK(\"http://evil.example\",\"x\")", "\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\"")]
    public async Task A_value_a_spreadsheet_would_run_as_a_formula_is_exported_as_text(string value, string exported)
    {
        using var content = TestContent.Sample();
        await using var app = AdminSession.App(content);
        // Neither column can hold such a value through the vote form; written straight into the table, both are exported safely.
        Insert(app, [new(value, Voter(), "ship", "2026-03-01T10:00:00.000Z", value)]);
        var admin = await AdminSession.SignIn(app);

        using var response = await admin.Get(Export);

        Assert.Equal($"tool,choice,day,network\r\n{exported},ship,2026-03-01,{exported}\r\n", await response.Content.ReadAsStringAsync());
    }
}
