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

/// <summary>What goes over the wire: content codings, HTTP validators and lifetimes, fingerprinted files, the favicon.</summary>
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

    [Fact]
    public async Task Pages_link_fingerprinted_files_that_are_cached_a_year_and_compressed()
    {
        var (page, html) = await Fetch("/");
        page.Dispose();
        var document = Html.Parse(Encoding.UTF8.GetString(html));
        var stylesheet = document.QuerySelector("link[rel=stylesheet]")!.GetAttribute("href")!;
        var scripts = document.QuerySelectorAll("script[src]").Select(s => s.GetAttribute("src")!).ToList();
        Assert.NotEmpty(scripts);
        foreach (var address in scripts.Append(stylesheet))
        {
            var path = address.Split('?')[0];
            var file = await File.ReadAllBytesAsync(Path.Combine(RepositoryRoot(), "wwwroot", path.TrimStart('/')));
            var fingerprint = Convert.ToBase64String(SHA256.HashData(file)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            Assert.Equal(path + "?v=" + fingerprint, address);

            var (response, body) = await Fetch(address, "br, gzip");
            using (response)
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Equal("public, max-age=31536000, immutable", response.Headers.CacheControl?.ToString());
                Assert.Equal("br", response.Content.Headers.ContentEncoding.Single());
                Assert.Equal(file, Decode(body, "br"));
            }
        }
        // An address with an old fingerprint names other bytes than it did: kept a day, not a year.
        var (stale, _) = await Fetch("/css/site.css?v=not-the-current-one");
        using (stale)
            Assert.Equal("public, max-age=86400", stale.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task The_admin_editor_script_is_linked_fingerprinted()
    {
        var admin = await AdminSession.SignIn(site.App);
        var html = await admin.GetStringAsync(new Uri("/admin/content/tools/alpha.md", UriKind.Relative));
        var document = Html.Parse(html);
        var editor = document.QuerySelectorAll("script[src]").Select(s => s.GetAttribute("src")!).Single(s => s.StartsWith("/js/editor.bundle.js", StringComparison.Ordinal));
        Assert.Matches(@"^/js/editor\.bundle\.js\?v=[A-Za-z0-9_-]{43}$", editor);
        using var response = await admin.Get(editor);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("public, max-age=31536000, immutable", response.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task The_favicon_is_served_and_linked()
    {
        var (ico, icoBody) = await Fetch("/favicon.ico");
        using (ico)
        {
            Assert.Equal(HttpStatusCode.OK, ico.StatusCode);
            Assert.Equal("image/x-icon", ico.Content.Headers.ContentType?.MediaType);
            Assert.Equal(new byte[] { 0, 0, 1, 0 }, icoBody[..4]);
        }
        var (page, html) = await Fetch("/");
        page.Dispose();
        var document = Html.Parse(Encoding.UTF8.GetString(html));
        var svg = document.QuerySelector("link[rel=icon][type='image/svg+xml']")!.GetAttribute("href")!;
        var (icon, iconBody) = await Fetch(svg);
        using (icon)
        {
            Assert.Equal("image/svg+xml", icon.Content.Headers.ContentType?.MediaType);
            Assert.StartsWith("<svg", Encoding.UTF8.GetString(iconBody), StringComparison.Ordinal);
        }
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !Directory.Exists(Path.Combine(directory.FullName, "wwwroot")))
            directory = directory.Parent;
        return directory!.FullName;
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
