using Verdicts.Tests.Infrastructure;
using Verdicts.Web.Content;

namespace Verdicts.Tests.Content;

public sealed class ContentFolderTests
{
    [Fact]
    public void Files_parsed_on_every_core_come_back_in_the_order_given_and_as_read_one_by_one()
    {
        using var content = new TestContent();
        for (var i = 0; i < 300; i++)
        {
            // Sizes vary a lot, so the workers finish out of order.
            content.Tool($"tool-{i:D3}", $"Tool {i}", extra: $"tags: [{string.Join(", ", Enumerable.Repeat("x", i % 7 * 40))}]\n");
        }
        content.File("tools/broken.md", "---\nname: [\n---\n");
        var files = ContentFolder.Scan(content.Root)
            .Select(f => (File: f, Kind: ContentParser.KindOf(f.Path)!.Value))
            .OrderByDescending(f => f.File.Path, StringComparer.Ordinal)
            .ToList();

        var read = ContentFolder.ReadInOrder(content.Root, files).ToList();

        Assert.Equal(files.Select(f => f.File.Path), read.Select(r => r.Path));
        var oneByOne = files.Select(f => ContentFolder.Read(content.Root, f.File, f.Kind)).ToList();
        Assert.Equal(oneByOne.Select(r => (r.Sha256, r.IsValid, r.Errors.Count)), read.Select(r => (r.Sha256, r.IsValid, r.Errors.Count)));
        Assert.Single(read, r => !r.IsValid);
    }

    [Fact]
    public void A_reader_that_stops_early_gets_what_it_asked_for()
    {
        using var content = new TestContent();
        for (var i = 0; i < 100; i++)
            content.Tool($"tool-{i:D3}");
        var files = ContentFolder.Scan(content.Root).Select(f => (File: f, Kind: ContentKind.Tool)).OrderBy(f => f.File.Path, StringComparer.Ordinal).ToList();

        var first = ContentFolder.ReadInOrder(content.Root, files).Take(3).Select(r => r.Path).ToList();

        Assert.Equal(["tools/tool-000.md", "tools/tool-001.md", "tools/tool-002.md"], first);
        Assert.Empty(ContentFolder.ReadInOrder(content.Root, []));
    }

    [Theory]
    [InlineData("grown a little", 40)]
    [InlineData("grown to many times its size", 20_000)]
    [InlineData("shrunk", -200)]
    public void A_file_that_changed_size_after_the_scan_is_read_as_it_is_now(string _, int change)
    {
        using var content = new TestContent();
        content.Tool("alpha", "Alpha", body: new string('a', 300));
        var scanned = ContentFolder.Scan(content.Root).Single();
        var now = TestContent.ToolText("Alpha", body: new string('b', 300 + change));
        File.WriteAllText(content.PathOf("tools/alpha.md"), now);

        var read = ContentFolder.Read(content.Root, scanned, ContentKind.Tool);

        Assert.NotEqual(scanned.Length, new FileInfo(content.PathOf("tools/alpha.md")).Length);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(now))), read.Sha256);
        Assert.Equal(new string('b', 300 + change), Assert.IsType<ToolDocument>(read.Document).Body.Markdown);
    }

    [Fact]
    public void A_file_that_grew_past_the_limit_after_the_scan_is_refused_without_reading_it_all()
    {
        using var content = new TestContent();
        content.Tool("alpha", "Alpha");
        var scanned = ContentFolder.Scan(content.Root).Single();
        File.WriteAllText(content.PathOf("tools/alpha.md"), TestContent.ToolText("Alpha", body: new string('b', (int)ContentParser.MaxFileBytes)));

        var read = ContentFolder.Read(content.Root, scanned, ContentKind.Tool);

        Assert.Null(read.Document);
        Assert.Equal("tools/alpha.md:1:1: error: file is larger than 1 MiB; content files are limited to 1 MiB", Assert.Single(read.Errors).ToString());
    }
}
