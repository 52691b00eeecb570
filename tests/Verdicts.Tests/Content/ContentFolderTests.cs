using Verdicts.Tests.Infrastructure;
using Verdicts.Web.Content;

namespace Verdicts.Tests.Content;

public sealed class ContentFolderTests
{
    [Fact]
    public void Files_read_on_every_core_are_each_read_as_they_would_be_one_by_one()
    {
        using var content = new TestContent();
        for (var i = 0; i < 300; i++)
        {
            // Sizes vary a lot, so the workers finish out of order.
            content.Tool($"tool-{i:D3}", $"Tool {i}", extra: $"tags: [{string.Join(", ", Enumerable.Repeat("x", i % 7 * 40))}]\n");
        }
        content.File("tools/broken.md", "---\nname: [\n---\n");
        var files = ContentFolder.Scan(content.Root).Select(f => (File: f, Kind: ContentParser.KindOf(f.Path)!.Value)).ToList();
        var progress = new ContentProgress();

        var read = ContentFolder.ReadAll(content.Root, files, progress);

        Assert.All(read, r => Assert.Equal(r.Stamp.Path, r.Parsed.Path));
        var oneByOne = files.Select(f => ContentFolder.Read(content.Root, f.File, f.Kind)).OrderBy(r => r.Path, StringComparer.Ordinal).ToList();
        Assert.Equal(oneByOne.Select(r => (r.Path, r.Sha256, r.IsValid, r.Errors.Count)),
            read.Select(r => r.Parsed).OrderBy(r => r.Path, StringComparer.Ordinal).Select(r => (r.Path, r.Sha256, r.IsValid, r.Errors.Count)));
        Assert.Single(read, r => !r.Parsed.IsValid);
        Assert.Equal($"read 301 of 301 files, {oneByOne.Sum(r => r.Errors.Count)} {(oneByOne.Sum(r => r.Errors.Count) == 1 ? "error" : "errors")}", progress.ToString());
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
