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
}
