using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Verdicts.Tests.Infrastructure;

namespace Verdicts.Tests.Pages;

/// <summary>One site for the tests that only read: compression, validators and lifetimes are the same for every request.</summary>
public sealed class WireSite : IAsyncDisposable
{
    public TestContent Content { get; } = TestContent.Sample();

    public VerdictsApp App { get; }

    public WireSite() => App = AdminSession.App(Content);

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        Content.Dispose();
    }
}

/// <summary>What goes over the wire: content codings, HTTP validators and lifetimes, fingerprinted files (MapStaticAssets), the favicon.</summary>
public sealed class WireTests(WireSite site) : IClassFixture<WireSite>
{
    private const string Page = "/compare/alpha-or-beta";

    private static HttpRequestMessage Get(string path, string? acceptEncoding = null, string? ifNoneMatch = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        if (acceptEncoding is not null)
            request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
        if (ifNoneMatch is not null)
            request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        return request;
    }

    private static byte[] Decode(byte[] body, string? coding)
    {
        using var input = new MemoryStream(body);
        using Stream decoder = coding switch
        {
            "br" => new BrotliStream(input, CompressionMode.Decompress),
            "gzip" => new GZipStream(input, CompressionMode.Decompress),
            null => input,
            _ => throw new InvalidOperationException("unexpected coding " + coding),
        };
        using var output = new MemoryStream();
        decoder.CopyTo(output);
        return output.ToArray();
    }

    private static string ETagOf(byte[] bytes) =>
        "\"" + Convert.ToBase64String(SHA256.HashData(bytes), 0, 16).TrimEnd('=').Replace('+', '-').Replace('/', '_') + "\"";

    private async Task<(HttpResponseMessage Response, byte[] Body)> Fetch(string path, string? acceptEncoding = null, string? ifNoneMatch = null)
    {
        using var request = Get(path, acceptEncoding, ifNoneMatch);
        var response = await site.App.CreateClient().SendAsync(request);
        return (response, await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("br, gzip", "br")]
    [InlineData("gzip, deflate, br, zstd", "br")]
    [InlineData("gzip", "gzip")]
    [InlineData("br;q=0, gzip", "gzip")]
    [InlineData("*", "br")]
    [InlineData("identity", null)]
    [InlineData(null, null)]
    public async Task Pages_are_compressed_in_the_best_coding_asked_for_and_decode_to_the_same_page(string? acceptEncoding, string? expected)
    {
        var (plainResponse, plain) = await Fetch(Page);
        var (response, body) = await Fetch(Page, acceptEncoding);
        using (plainResponse)
        using (response)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(expected, response.Content.Headers.ContentEncoding.SingleOrDefault());
            Assert.Contains("Accept-Encoding", response.Headers.Vary);
            Assert.Equal(Encoding.UTF8.GetString(plain), Encoding.UTF8.GetString(Decode(body, expected)));
            if (expected is not null)
                Assert.True(body.Length < plain.Length / 2, $"{expected} gave {body.Length} bytes for a {plain.Length}-byte page");
            Assert.Equal(body.Length, response.Content.Headers.ContentLength);
        }
    }

    [Fact]
    public async Task A_cache_hit_serves_the_stored_compressed_bytes_with_an_etag_over_them()
    {
        var (first, firstBody) = await Fetch("/tools/alpha", "br, gzip");
        var (second, secondBody) = await Fetch("/tools/alpha", "gzip, br");
        using (first)
        using (second)
        {
            Assert.True(second.Headers.Contains("Age"), "the second request should be answered from the output cache");
            Assert.Equal(firstBody, secondBody);
            Assert.Equal(ETagOf(secondBody), second.Headers.ETag?.Tag);
            Assert.False(second.Headers.ETag!.IsWeak);
            Assert.Equal(first.Headers.ETag, second.Headers.ETag);
        }
        // Each coding is its own representation, with its own tag.
        var (plain, plainBody) = await Fetch("/tools/alpha");
        using (plain)
        {
            Assert.Equal(ETagOf(plainBody), plain.Headers.ETag?.Tag);
            Assert.NotEqual(first.Headers.ETag, plain.Headers.ETag);
        }
    }

    [Fact]
    public async Task A_matching_if_none_match_gets_a_304_with_the_validators_and_security_headers()
    {
        var (first, _) = await Fetch("/tools/beta", "br");
        var tag = first.Headers.ETag!.Tag;
        first.Dispose();

        var (response, body) = await Fetch("/tools/beta", "br", ifNoneMatch: tag);
        using (response)
        {
            Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
            Assert.Empty(body);
            Assert.Equal(tag, response.Headers.ETag?.Tag);
            Assert.Equal("public, max-age=60", response.Headers.CacheControl?.ToString());
            Assert.Contains("Accept-Encoding", response.Headers.Vary);
            Assert.StartsWith("default-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        }
        // The tag of another coding does not match this one.
        var (other, _) = await Fetch("/tools/beta", "gzip", ifNoneMatch: tag);
        using (other)
            Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public async Task Compressed_answers_carry_the_security_headers()
    {
        var (response, _) = await Fetch("/", "br");
        using (response)
        {
            Assert.Equal("br", response.Content.Headers.ContentEncoding.Single());
            Assert.StartsWith("default-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
            Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        }
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/tools/alpha")]
    [InlineData(Page)]
    [InlineData("/search?q=alpha")]
    [InlineData("/api/tools/alpha")]
    public async Task Public_answers_are_kept_a_minute_by_anyone(string path)
    {
        var (response, _) = await Fetch(path, "gzip");
        using (response)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("public, max-age=60", response.Headers.CacheControl?.ToString());
            Assert.NotNull(response.Headers.ETag);
        }
    }

    [Fact]
    public async Task Admin_pages_and_a_visitors_own_votes_are_never_stored_nor_compressed()
    {
        var admin = await AdminSession.SignIn(site.App);
        foreach (var path in new[] { "/admin", "/admin/content" })
        {
            using var request = Get(path, "br, gzip");
            using var response = await admin.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True(response.Headers.CacheControl?.NoStore, path + " should be no-store");
            Assert.Null(response.Headers.ETag);
            Assert.Empty(response.Content.Headers.ContentEncoding);
        }
        var (login, _) = await Fetch("/admin/login", "br, gzip");
        using (login)
        {
            Assert.True(login.Headers.CacheControl?.NoStore);
            Assert.Empty(login.Content.Headers.ContentEncoding);
        }
        var (mine, _) = await Fetch("/votes/mine", "br, gzip");
        using (mine)
        {
            Assert.True(mine.Headers.CacheControl?.NoStore);
            Assert.Null(mine.Headers.ETag);
            Assert.Empty(mine.Content.Headers.ContentEncoding);
        }
    }

    /// <summary>The project's wwwroot, whose files MapStaticAssets serves.</summary>
    private static readonly string WebRoot =
        Path.Combine(Verdicts.Web.VerdictsOptions.FindRepositoryRoot(AppContext.BaseDirectory), "src", "Verdicts.Web", "wwwroot");

    /// <summary>The file a fingerprinted address names: <c>/css/site.abc123.css</c> is <c>css/site.css</c>, when that exists.</summary>
    private static string? FileNamedBy(string address)
    {
        var match = System.Text.RegularExpressions.Regex.Match(address, @"^/(?<name>[a-z0-9/_-]+(\.[a-z]+)*)\.(?<print>[a-z0-9]{6,})\.(?<ext>[a-z]+)$");
        if (!match.Success)
            return null;
        var file = match.Groups["name"].Value + "." + match.Groups["ext"].Value;
        return File.Exists(Path.Combine(WebRoot, file)) ? file : null;
    }

    private async Task<List<string>> LinkedFiles(string path, HttpClient? client = null)
    {
        using var response = await (client ?? site.App.CreateClient()).Get(path);
        var document = Html.Parse(await response.Content.ReadAsStringAsync());
        return document.QuerySelectorAll("link[rel=stylesheet], link[rel=icon][type='image/svg+xml']").Select(l => l.GetAttribute("href")!)
            .Concat(document.QuerySelectorAll("script[src]").Select(s => s.GetAttribute("src")!))
            .ToList();
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/tools/alpha")]
    [InlineData(Page)]
    [InlineData("/search?q=alpha")]
    [InlineData("/no/such/page")]
    [InlineData("/admin/login")]
    public async Task Pages_link_their_files_by_fingerprinted_addresses(string path)
    {
        var linked = await LinkedFiles(path);
        var files = linked.Select(address => FileNamedBy(address) ?? throw new Xunit.Sdk.XunitException($"{path} links {address}, not a fingerprinted file")).ToList();
        Assert.Contains("css/site.css", files);
        if (!path.StartsWith("/admin", StringComparison.Ordinal))
            Assert.Equal(["css/site.css", "favicon.svg", "js/picker.js", "js/site.js"], files.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("br", "br")]
    [InlineData("gzip", "gzip")]
    [InlineData("gzip, deflate, br, zstd", "br")]
    [InlineData("identity", null)]
    [InlineData(null, null)]
    public async Task Fingerprinted_files_are_kept_a_year_and_sent_in_the_coding_asked_for(string? acceptEncoding, string? expected)
    {
        foreach (var address in await LinkedFiles("/"))
        {
            var file = await File.ReadAllBytesAsync(Path.Combine(WebRoot, FileNamedBy(address)!));
            var (response, body) = await Fetch(address, acceptEncoding);
            using (response)
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                var cacheControl = response.Headers.CacheControl!;
                Assert.Equal(TimeSpan.FromDays(365), cacheControl.MaxAge);
                Assert.Contains(cacheControl.Extensions, e => e.Name == "immutable");
                Assert.Equal(expected, response.Content.Headers.ContentEncoding.SingleOrDefault());
                Assert.Contains("Accept-Encoding", response.Headers.Vary);
                Assert.Equal(file, Decode(body, expected));
                Assert.Equal(body.Length, response.Content.Headers.ContentLength);
                if (expected is not null && file.Length > 4096)
                    Assert.True(body.Length < file.Length / 2, $"{expected} gave {body.Length} bytes for the {file.Length} of {address}");
            }
        }
    }

    [Fact]
    public async Task A_file_answers_a_matching_if_none_match_with_a_304_and_every_answer_carries_the_security_headers()
    {
        var stylesheet = (await LinkedFiles("/")).Single(a => a.StartsWith("/css/", StringComparison.Ordinal));
        var (first, _) = await Fetch(stylesheet, "br");
        var tag = first.Headers.ETag!.Tag;
        using (first)
            AssertSecurityHeaders(first);

        var (response, body) = await Fetch(stylesheet, "br", ifNoneMatch: tag);
        using (response)
        {
            Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
            // Answered from the file's own build-time validators, not from a copy in the page cache.
            Assert.False(response.Headers.Contains("Age"));
            Assert.Empty(body);
            Assert.Equal(tag, response.Headers.ETag?.Tag);
            Assert.Equal(TimeSpan.FromDays(365), response.Headers.CacheControl?.MaxAge);
            AssertSecurityHeaders(response);
        }
        // The tag of the Brotli bytes does not match the gzip ones.
        var (other, _) = await Fetch(stylesheet, "gzip", ifNoneMatch: tag);
        using (other)
            Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    private static void AssertSecurityHeaders(HttpResponseMessage response)
    {
        Assert.StartsWith("default-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
    }

    [Fact]
    public async Task A_head_request_for_a_file_gets_its_headers_without_a_body()
    {
        var script = (await LinkedFiles("/")).First(a => a.StartsWith("/js/", StringComparison.Ordinal));
        using var request = new HttpRequestMessage(HttpMethod.Head, new Uri(script, UriKind.Relative));
        request.Headers.TryAddWithoutValidation("Accept-Encoding", "br");
        using var response = await site.App.CreateClient().SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(TimeSpan.FromDays(365), response.Headers.CacheControl?.MaxAge);
        Assert.NotNull(response.Headers.ETag);
        AssertSecurityHeaders(response);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("/css/site.css")]
    [InlineData("/css/site.css?v=not-the-current-one")]
    public async Task An_address_without_the_fingerprint_serves_the_file_but_is_never_kept_a_year(string address)
    {
        var (response, body) = await Fetch(address, "gzip");
        using (response)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(WebRoot, "css", "site.css")), Decode(body, "gzip"));
            // Revalidated by its ETag on every use: the name alone never tells which bytes it holds.
            Assert.True(response.Headers.CacheControl?.NoCache, $"{address}: {response.Headers.CacheControl}");
            Assert.NotNull(response.Headers.ETag);
        }
    }

    [Theory]
    [InlineData("/css/nope.css")]
    [InlineData("/css/site.0000000000.css")]
    [InlineData("/wwwroot/css/site.css")]
    [InlineData("/src/Verdicts.Web/wwwroot/css/site.css")]
    [InlineData("/Verdicts.Web.dll")]
    [InlineData("/appsettings.json")]
    [InlineData("/Verdicts.Web.staticwebassets.endpoints.json")]
    [InlineData("/css/..%2f..%2fappsettings.json")]
    [InlineData("/css/%2e%2e/%2e%2e/Program.cs")]
    public async Task A_path_to_no_file_in_wwwroot_is_a_404_in_the_sites_page(string path)
    {
        var (response, body) = await Fetch(path);
        using (response)
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
            Assert.NotNull(Html.Parse(Encoding.UTF8.GetString(body)).QuerySelector("section.error-page h1"));
        }
    }

    [Fact]
    public async Task The_admin_editor_script_is_linked_fingerprinted()
    {
        var admin = await AdminSession.SignIn(site.App);
        var editor = (await LinkedFiles("/admin/content/tools/alpha.md", admin)).Single(s => s.StartsWith("/js/editor.bundle.", StringComparison.Ordinal));
        Assert.Equal("js/editor.bundle.js", FileNamedBy(editor));
        using var response = await admin.Get(editor);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(TimeSpan.FromDays(365), response.Headers.CacheControl?.MaxAge);
    }

    [Fact]
    public async Task The_favicon_is_served_by_its_plain_name_for_a_short_while_and_linked()
    {
        var (ico, icoBody) = await Fetch("/favicon.ico");
        using (ico)
        {
            Assert.Equal(HttpStatusCode.OK, ico.StatusCode);
            Assert.Equal("image/x-icon", ico.Content.Headers.ContentType?.MediaType);
            Assert.Equal(new byte[] { 0, 0, 1, 0 }, icoBody[..4]);
            // Browsers ask for it by this name, so it is never kept long.
            Assert.InRange(ico.Headers.CacheControl?.MaxAge ?? TimeSpan.Zero, TimeSpan.FromMinutes(1), TimeSpan.FromDays(1));
            Assert.DoesNotContain(ico.Headers.CacheControl!.Extensions, e => e.Name == "immutable");
        }
        var (page, html) = await Fetch("/");
        page.Dispose();
        var document = Html.Parse(Encoding.UTF8.GetString(html));
        Assert.Equal("/favicon.ico", document.QuerySelector("link[rel=icon][sizes='32x32']")!.GetAttribute("href"));
        var svg = document.QuerySelector("link[rel=icon][type='image/svg+xml']")!.GetAttribute("href")!;
        Assert.Equal("favicon.svg", FileNamedBy(svg));
        var (icon, iconBody) = await Fetch(svg);
        using (icon)
        {
            Assert.Equal("image/svg+xml", icon.Content.Headers.ContentType?.MediaType);
            Assert.StartsWith("<svg", Encoding.UTF8.GetString(iconBody), StringComparison.Ordinal);
        }
    }
}

/// <summary>Validators after a change: a site of its own, since votes and edits change what every page shows.</summary>
public sealed class WireChangeTests
{
    [Fact]
    public async Task A_vote_or_a_content_change_makes_the_old_etag_stale()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        var client = app.CreateClient();

        async Task<(HttpStatusCode Status, string? Tag, string Text)> Ask(string? tag)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/tools/alpha", UriKind.Relative));
            request.Headers.TryAddWithoutValidation("Accept-Encoding", "gzip");
            if (tag is not null)
                request.Headers.TryAddWithoutValidation("If-None-Match", tag);
            using var response = await client.SendAsync(request);
            var body = await response.Content.ReadAsByteArrayAsync();
            var text = "";
            if (body.Length > 0)
            {
                using var decoder = new StreamReader(new GZipStream(new MemoryStream(body), CompressionMode.Decompress), Encoding.UTF8);
                text = await decoder.ReadToEndAsync();
            }
            return (response.StatusCode, response.Headers.ETag?.Tag, text);
        }

        var (_, original, _) = await Ask(null);
        Assert.Equal(HttpStatusCode.NotModified, (await Ask(original)).Status);

        using (var vote = await client.SendAsync(VoteRequest.Post("alpha", "ship", address: "203.0.113.7")))
            Assert.True(vote.IsSuccessStatusCode || vote.StatusCode == HttpStatusCode.SeeOther, $"the vote was refused: {vote.StatusCode}");
        var (afterVote, votedTag, _) = await Ask(original);
        Assert.Equal(HttpStatusCode.OK, afterVote);
        Assert.NotEqual(original, votedTag);
        Assert.Equal(HttpStatusCode.NotModified, (await Ask(votedTag)).Status);

        content.Tool("alpha", "Alpha", tagline: "Changed on disk");
        await VerdictsApp.Eventually(async () => (await Ask(votedTag)) is { Status: HttpStatusCode.OK } answer
            && answer.Text.Contains("Changed on disk", StringComparison.Ordinal) && answer.Tag != votedTag,
            "a full answer with a new tag after the edit");
    }
}
