using System.Net;
using Verdicts.Tests.Infrastructure;

namespace Verdicts.Tests.Pages.Admin.Content;

public sealed class IndexTests
{
    private static List<string> Paths(AngleSharp.Html.Dom.IHtmlDocument page) =>
        page.QuerySelectorAll(".file-list li").Select(l => l.GetAttribute("data-path")!).ToList();

    [Fact]
    public async Task The_file_list_narrows_by_kind_and_by_part_of_the_path_as_typed()
    {
        using var content = TestContent.Sample();
        var all = Directory.EnumerateFiles(content.Root, "*.md", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(content.Root, f).Replace('\\', '/')).Order(StringComparer.Ordinal).ToList();
        await using var app = AdminSession.App(content);
        var admin = await AdminSession.SignIn(app);

        var everything = await admin.GetPage("/admin/content");
        Assert.Equal(all, Paths(everything));
        Assert.Equal($"{all.Count} files", everything.QuerySelector("#files-title + .muted").Text());
        Assert.Null(everything.QuerySelector(".pagination"));

        var tools = await admin.GetPage("/admin/content?kind=tool");
        Assert.Equal(all.Where(p => p.StartsWith("tools/", StringComparison.Ordinal)), Paths(tools));
        Assert.Equal("tool", tools.QuerySelector("#content-kind option[selected]")?.GetAttribute("value"));
        Assert.Equal($"Tools ({all.Count(p => p.StartsWith("tools/", StringComparison.Ordinal))})", tools.QuerySelector("#content-kind option[selected]").Text());

        var alpha = await admin.GetPage("/admin/content?path=ALPHA");
        Assert.Equal(all.Where(p => p.Contains("alpha", StringComparison.Ordinal)), Paths(alpha));
        Assert.Equal("ALPHA", alpha.QuerySelector("#content-path")?.GetAttribute("value"));
        // No wildcards: a % or _ is just a character, which no path here has.
        Assert.Empty(Paths(await admin.GetPage("/admin/content?path=%25")));
        Assert.Empty(Paths(await admin.GetPage("/admin/content?path=_")));
        Assert.Equal(all.Where(p => p.StartsWith("verdicts/alpha/", StringComparison.Ordinal)),
            Paths(await admin.GetPage("/admin/content?kind=verdict&path=alpha/")));

        using var bogus = await admin.Get("/admin/content?kind=bogus");
        Assert.Equal(HttpStatusCode.BadRequest, bogus.StatusCode);
        Assert.StartsWith("Kind must be one of", Html.Parse(await bogus.Content.ReadAsStringAsync()).QuerySelector("main p.lede").Text(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_long_list_of_files_comes_a_hundred_to_a_page_keeping_its_filter()
    {
        using var content = TestContent.Sample();
        for (var i = 0; i < 120; i++)
            content.Tool($"extra-{i:000}", $"Extra {i}");
        var tools = Directory.EnumerateFiles(content.PathOf("tools"), "*.md")
            .Select(f => "tools/" + Path.GetFileName(f)).Order(StringComparer.Ordinal).ToList();
        await using var app = AdminSession.App(content);
        var admin = await AdminSession.SignIn(app);

        var first = await admin.GetPage("/admin/content?kind=tool");
        var second = await admin.GetPage("/admin/content?kind=tool&page=2");

        Assert.Equal(tools.Take(100), Paths(first));
        Assert.Equal(tools.Skip(100), Paths(second));
        Assert.Equal("/admin/content?kind=tool&page=2", first.QuerySelector(".pagination a[rel='next']")?.GetAttribute("href"));
        Assert.Equal("/admin/content?kind=tool", second.QuerySelector(".pagination a[rel='prev']")?.GetAttribute("href"));
        using var beyond = await admin.Get("/admin/content?kind=tool&page=3");
        Assert.Equal(HttpStatusCode.NotFound, beyond.StatusCode);
    }
}
