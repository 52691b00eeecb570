using Microsoft.Extensions.DependencyInjection;
using Verdicts.Tests.Infrastructure;
using Verdicts.Web.Content;

namespace Verdicts.Tests.Content;

public sealed class ContentProgressTests
{
    [Fact]
    public void Before_the_folder_is_listed_the_line_says_so()
    {
        Assert.Equal("listing the content folder", new ContentProgress().ToString());
    }

    [Fact]
    public void The_counts_read_with_grouped_digits()
    {
        var progress = new ContentProgress();
        progress.Begin(55_004);
        for (var i = 0; i < 12_345; i++)
            progress.Add(new ParsedFile($"tools/t{i}.md", ContentKind.Tool, "", null, []));
        progress.Add(new ParsedFile("tools/broken.md", ContentKind.Tool, "", null, [new ContentError("tools/broken.md", 1, 1, "a"), new ContentError("tools/broken.md", 2, 1, "b")]));
        Assert.Equal("read 12 346 of 55 004 files, 2 errors", progress.ToString());
    }

    [Fact]
    public void Check_counts_every_file_it_reads_and_their_errors()
    {
        using var content = TestContent.Sample().File("tools/broken.md", "---\nname: Broken\n---\n");
        var progress = new ContentProgress();

        ContentChecker.Check(content.Root, progress);

        // The broken tool misses three keys; errors found later, across files, are not counted while reading.
        Assert.Equal("read 11 of 11 files, 3 errors", progress.ToString());
    }

    [Fact]
    public async Task The_first_load_counts_every_file_it_reads_and_their_errors()
    {
        using var content = TestContent.Sample().File("tools/broken.md", "---\nname: Broken\n---\n");
        await using var app = new VerdictsApp(content);
        app.CreateClient().Dispose();

        var progress = app.Services.GetRequiredService<ContentReloader>().FirstLoadProgress;

        Assert.Equal("read 11 of 11 files, 3 errors", progress.ToString());
    }
}
