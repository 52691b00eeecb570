using System.Net;
using System.Text.Json;
using AngleSharp.Html.Dom;
using Verdicts.Tests.Infrastructure;

namespace Verdicts.Tests.Pages;

/// <summary>One site for the name-search tests: the bundled content's names, which the typos are about.</summary>
public sealed class SearchCatalogue : IAsyncLifetime
{
    public TestContent Content { get; } = new TestContent()
        .Reviewer("ines-valdivia", "Ines Valdivia", "Developer experience", 1)
        .Reviewer("kwame-boateng", "Kwame Boateng", "Competition", 2)
        .Tool("phi-3-mini", "Phi-3 Mini").Tool("phi-4", "Phi-4").Tool("phi-4-mini", "Phi-4-mini")
        .Tool("gemma-3-4b", "Gemma 3 (4B)").Tool("gemma-3-12b", "Gemma 3 (12B)").Tool("gemma-3n-e4b", "Gemma 3n (E4B)")
        .Tool("llama-3-1-8b", "Llama 3.1 (8B)").Tool("llama-3-2-3b", "Llama 3.2 (3B)")
        .Tool("github-copilot", "GitHub Copilot").Tool("cursor", "Cursor").Tool("aider", "Aider")
        .Tool("ollama", "Ollama").Tool("vllm", "vLLM")
        .Tool("smollm3", "SmolLM3").Tool("qwen2-5-3b", "Qwen2.5-3B").Tool("qwen3-4b", "Qwen3-4B").Tool("qwen3-8b", "Qwen3-8B")
        .Tool("deepseek-r1-distill-qwen-7b", "DeepSeek-R1-Distill-Qwen-7B")
        .Tool("secret", "Secret Sauce", tagline: "Not out yet", extra: "draft: true\n")
        .Comparison("smollm3-or-qwen2-5-3b", ["smollm3", "qwen2-5-3b"], "2026-09-29")
        .Comparison("copilot-or-cursor", ["github-copilot", "cursor"], "2026-08-01")
        .Comparison("hidden-pair", ["ollama", "vllm"], "2026-08-02", extra: "draft: true\n");

    public VerdictsApp App { get; private set; } = null!;

    public ValueTask InitializeAsync()
    {
        // More tools starting "Llama" than the type-ahead may offer.
        for (var i = 1; i <= 10; i++)
            Content.Tool($"llama-variant-{i}", $"Llama Variant {i}");
        App = new VerdictsApp(Content);
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        Content.Dispose();
    }
}

/// <summary>Search by name: typos forgiven, exact names first, tools, comparisons and reviewers, "A vs B".</summary>
public sealed class NameSearchTests(SearchCatalogue catalogue) : IClassFixture<SearchCatalogue>
{
    private Task<IHtmlDocument> Search(string query, HttpStatusCode status = HttpStatusCode.OK) =>
        catalogue.App.CreateClient().GetPage("/search?q=" + Uri.EscapeDataString(query), status);

    private static List<string> Tools(IHtmlDocument page) =>
        [.. page.QuerySelectorAll(".search-results li").Select(l => l.GetAttribute("data-tool")!)];

    private async Task<List<(string Name, string Kind, string Url)>> Suggestions(string query)
    {
        using var response = await catalogue.App.CreateClient().Get("/api/search?q=" + Uri.EscapeDataString(query));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return [.. json.RootElement.EnumerateArray().Select(e =>
            (e.GetProperty("name").GetString()!, e.GetProperty("kind").GetString()!, e.GetProperty("url").GetString()!))];
    }

    [Theory]
    [InlineData("phi3 mini", "phi-3-mini")]
    [InlineData("gema 3", "gemma-3-4b")]
    [InlineData("lama 3.2", "llama-3-2-3b")]
    [InlineData("copilt", "github-copilot")]
    [InlineData("olloma", "ollama")] // a wrong letter
    [InlineData("olama", "ollama")] // a missing letter
    [InlineData("ollamma", "ollama")] // a letter too many
    [InlineData("olalma", "ollama")] // two letters swapped
    [InlineData("vlml", "vllm")] // swapped in a four-letter name, which keeps just one trigram of it
    [InlineData("aidre", "aider")]
    [InlineData("curser", "cursor")]
    [InlineData("smolm3", "smollm3")]
    [InlineData("qwen 2.5 3b", "qwen2-5-3b")]
    [InlineData("qwn3 8b", "qwen3-8b")] // a missing letter in a short word, which then keeps no trigram of the name
    [InlineData("pho 4", "phi-4")] // a wrong letter in a three-letter word
    [InlineData("fhi 4", "phi-4")] // the first letter wrong in a three-letter word
    [InlineData("ph 4", "phi-4")] // a two-letter word, which has no trigram at all
    [InlineData("dee seek", "deepseek-r1-distill-qwen-7b")] // a word split in two, with a letter missing
    [InlineData("deep sek", "deepseek-r1-distill-qwen-7b")] // a word split in two, with a letter missing from its second half
    public async Task A_tool_is_found_first_despite_a_typo_or_other_spacing(string query, string tool)
    {
        Assert.Equal(tool, Tools(await Search(query)).FirstOrDefault());
        Assert.Equal($"/tools/{tool}", (await Suggestions(query)).FirstOrDefault().Url);
    }

    [Fact]
    public async Task Gema_3_finds_every_Gemma_3_and_no_other_model()
    {
        var found = Tools(await Search("gema 3"));
        Assert.Equal(["gemma-3-4b", "gemma-3-12b", "gemma-3n-e4b"], found);
    }

    [Theory]
    [InlineData("Phi-4", "phi-4", "phi-4-mini")]
    [InlineData("phi 4", "phi-4", "phi-4-mini")]
    [InlineData("ollama", "ollama", "llama-3-1-8b")]
    public async Task The_exact_name_comes_before_names_it_starts_or_resembles(string query, string first, string later)
    {
        var found = Tools(await Search(query));
        Assert.Equal(first, found[0]);
        Assert.Contains(later, found);
    }

    [Fact]
    public async Task Names_starting_with_the_query_come_before_typos()
    {
        // "llama" starts Llama 3.1 and Llama 3.2; "ollama" is one letter away.
        var found = Tools(await Search("llama 3"));
        Assert.Equal(["llama-3-1-8b", "llama-3-2-3b"], found.Take(2).Order(StringComparer.Ordinal));
        Assert.DoesNotContain("ollama", found.Take(2));
    }

    [Fact]
    public async Task Comparisons_and_reviewers_are_found_and_labelled_by_kind()
    {
        var page = await Search("kwame");
        Assert.Equal(["kwame-boateng"], page.QuerySelectorAll("[data-reviewer]").Select(l => l.GetAttribute("data-reviewer")));
        Assert.Equal("Reviewers", page.QuerySelector("#reviewers-found").Text());
        Assert.Empty(Tools(page));
        Assert.Equal(("Kwame Boateng", "Reviewer", "/reviewers/kwame-boateng"), (await Suggestions("kwame")).Single());
        Assert.Equal("/reviewers/ines-valdivia", (await Suggestions("inez")).Single().Url);

        var copilot = await Search("copilot");
        Assert.Equal(["github-copilot"], Tools(copilot));
        Assert.Equal(["copilot-or-cursor"], copilot.QuerySelectorAll("[data-comparison]").Select(l => l.GetAttribute("data-comparison")));
        Assert.Equal("GitHub Copilot vs Cursor", copilot.QuerySelector("[data-comparison] a").Text());
        Assert.Equal("Comparisons", copilot.QuerySelector("#comparisons-found").Text());
        Assert.Equal([("GitHub Copilot", "Tool", "/tools/github-copilot"), ("GitHub Copilot vs Cursor", "Comparison", "/compare/copilot-or-cursor")],
            await Suggestions("copilot"));
    }

    [Theory]
    [InlineData("smollm3 vs qwen")]
    [InlineData("SmolLM3 versus Qwen2.5-3B")]
    [InlineData("smolm3 or qwen 2.5")]
    [InlineData("qwen2.5-3b vs. smollm3")]
    public async Task A_vs_B_offers_the_curated_comparison_first(string query)
    {
        var page = await Search(query);
        var offer = page.QuerySelector(".search-offer a");
        Assert.Equal("/compare/smollm3-or-qwen2-5-3b", offer?.GetAttribute("href"));
        Assert.Equal("curated", offer?.GetAttribute("data-offer"));
        Assert.Equal("SmolLM3 vs Qwen2.5-3B", offer.Text());
        Assert.Equal(("SmolLM3 vs Qwen2.5-3B", "Comparison", "/compare/smollm3-or-qwen2-5-3b"), (await Suggestions(query))[0]);
        // Each side's tools are listed too, and the offered comparison is not listed twice.
        Assert.Contains("smollm3", Tools(page));
        Assert.Contains("qwen2-5-3b", Tools(page));
        Assert.DoesNotContain("smollm3-or-qwen2-5-3b", page.QuerySelectorAll("[data-comparison]").Select(l => l.GetAttribute("data-comparison")));
    }

    [Theory]
    [InlineData("olama vs vllm", "/compare/ollama-vs-vllm", "Ollama vs vLLM")]
    [InlineData("vllm or ollama", "/compare/vllm-vs-ollama", "vLLM vs Ollama")]
    [InlineData("aider vs cursor vs copilt vs phi-4", "/compare/aider-vs-cursor-vs-github-copilot-vs-phi-4", "Aider vs Cursor vs GitHub Copilot vs Phi-4")]
    public async Task A_vs_B_without_a_curated_comparison_offers_the_generated_one(string query, string address, string title)
    {
        var offer = (await Search(query)).QuerySelector(".search-offer a");
        Assert.Equal(address, offer?.GetAttribute("href"));
        Assert.Equal("generated", offer?.GetAttribute("data-offer"));
        Assert.Equal(title, offer.Text());
        Assert.Equal(address, (await Suggestions(query))[0].Url);
        // The address it offers is a page.
        await catalogue.App.CreateClient().GetPage(address);
    }

    [Theory]
    [InlineData("aider vs cursor vs ollama vs vllm vs phi-4")] // five tools: a comparison takes two to four
    [InlineData("ollama vs ollama")]
    [InlineData("ollama vs nothing-like-it")]
    [InlineData("vs ollama")]
    public async Task No_comparison_is_offered_for_one_five_or_unknown_tools(string query)
    {
        Assert.Null((await Search(query)).QuerySelector(".search-offer"));
        Assert.DoesNotContain(await Suggestions(query), s => s.Kind == "Comparison" && s.Url.Contains("-vs-", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("secret sauce")]
    [InlineData("secrt sauce")]
    [InlineData("Secret")]
    [InlineData("se sauce")] // the ranges read for short words: first two letters, and after the first letter
    [InlineData("xec sauce")]
    [InlineData("ollama vs secret sauce")]
    [InlineData("hidden pair")]
    public async Task Drafts_are_never_found(string query)
    {
        var page = await Search(query);
        Assert.DoesNotContain("secret", Tools(page));
        Assert.Null(page.QuerySelector("[data-comparison='hidden-pair']"));
        Assert.Null(page.QuerySelector(".search-offer"));
        Assert.DoesNotContain(await Suggestions(query), s => s.Url.Contains("secret", StringComparison.Ordinal) || s.Url.Contains("hidden", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Type_ahead_answers_are_few_and_cacheable()
    {
        Assert.Equal(8, (await Suggestions("llama")).Count);
        Assert.Empty(await Suggestions(""));
        using var response = await catalogue.App.CreateClient().Get("/api/search?q=llama");
        Assert.Equal("public, max-age=300", response.Headers.CacheControl?.ToString());
    }

    public static TheoryData<string> OddQueries => new()
    {
        "", " ", "\"", "\"\"\"", "*", "**", "NEAR(", "NEAR(a b", "name:ollama", "ollama OR", "(", ")", "^", "'", "-", "a AND",
        "\u0000", "\uFFFF", "\uFFFE", "gem\uFFFEma", "\uFDD0", "\U0010FFFE", "\U0001F600", "%", "\\", new string('x', 2000), string.Concat(Enumerable.Repeat("ollama vs ", 300)),
        string.Join(' ', Enumerable.Range(0, 500).Select(i => $"w{i}")),
    };

    [Theory]
    [InlineData("gem\u0001ma", "gem ma")]
    [InlineData("\u0000alpha\u007F", "alpha")]
    [InlineData("a\u0085b\u009Fc", "a b c")]
    [InlineData("gem\uFFFEma\uFDD0", "gem ma")]
    public async Task Control_characters_and_noncharacters_come_back_as_spaces(string query, string shown)
    {
        // HTML allows neither in a page, even as character references: the search box would make the page invalid.
        using var page = await catalogue.App.CreateClient().Get("/search?q=" + Uri.EscapeDataString(query));
        var box = Html.Parse(await page.Content.ReadAsStringAsync()).QuerySelector("#search-q")!;
        Assert.Equal(shown, box.GetAttribute("value"));
    }

    [Theory]
    [MemberData(nameof(OddQueries))]
    public async Task Odd_queries_get_an_answer_never_a_500(string query)
    {
        using var page = await catalogue.App.CreateClient().Get("/search?q=" + Uri.EscapeDataString(query));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("id=\"search-q\"", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True((await Suggestions(query)).Count <= 8);
    }
}

/// <summary>Search over descriptions and quotes, and hostile input on the page.</summary>
public sealed class SearchTests(SearchTests.Site site) : IClassFixture<SearchTests.Site>
{
    /// <summary>The sample with phones and quantised weights in names, descriptions and quotes; the tests only read it.</summary>
    public sealed class Site() : SampleSite(Content());

    private static TestContent Content() => TestContent.Sample()
        .Tool("alpha", "Alpha", tagline: "Quantised weights for phones")
        .Tool("beta", "Beta", tagline: "Hosted service", body: "Runs on phones too, eventually.")
        .Verdict("gamma", "ada", "ship", "Best quantised runtime I have used.");

    [Fact]
    public async Task Search_ranks_matches_in_names_and_taglines_above_descriptions_and_quotes()
    {
        var app = site.App;
        var page = await app.CreateClient().GetPage("/search?q=phones");
        Assert.Equal(["alpha", "beta"], page.QuerySelectorAll(".search-results li").Select(l => l.GetAttribute("data-tool")));
        Assert.Equal("phones", page.QuerySelector(".search-results mark").Text());

        var quoted = await app.CreateClient().GetPage("/search?q=quantis");
        Assert.Equal(["alpha", "gamma"], quoted.QuerySelectorAll(".search-results li").Select(l => l.GetAttribute("data-tool")).Order());
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\"")]
    [InlineData("*")]
    [InlineData("alpha OR")]
    [InlineData("NEAR(alpha beta)")]
    [InlineData("title:alpha")]
    [InlineData("\")) OR 1=1 --")]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("%00%0D%0A")]
    public async Task Empty_and_hostile_queries_are_answered_safely(string query)
    {
        var app = site.App;
        var page = await app.CreateClient().GetPage("/search?q=" + Uri.EscapeDataString(query));
        Assert.Empty(page.QuerySelectorAll("main script, main img"));
        Assert.Equal(query.Trim().Length > 200 ? query.Trim()[..200] : query.Trim(), page.QuerySelector("#search-q")?.GetAttribute("value"));
    }

    [Fact]
    public async Task A_very_long_query_is_cut_and_still_answered()
    {
        var app = site.App;
        var page = await app.CreateClient().GetPage("/search?q=" + new string('a', 5000));
        Assert.Equal(200, page.QuerySelector("#search-q")?.GetAttribute("value")?.Length);
    }
}

/// <summary>The name index follows edits: renamed tools, the comparisons titled by them, removed and new reviewers.</summary>
public sealed class NameSearchReloadTests
{
    [Fact]
    public async Task A_renamed_tool_is_found_by_its_new_name_and_its_comparison_by_the_new_title()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        var client = app.CreateClient();
        async Task<string[]> Found(string q, string attribute)
        {
            var page = await client.GetPage("/search?q=" + Uri.EscapeDataString(q));
            return [.. page.QuerySelectorAll($"[{attribute}]").Select(e => e.GetAttribute(attribute)!)];
        }
        Assert.Equal(["alpha"], await Found("alpah", "data-tool"));

        var generation = app.Reloader.Generation;
        content.Tool("alpha", "Zeppelin Works", tagline: "The first tool").Reviewer("cy", "Cy Park").Delete("reviewers/bo.md")
            .Delete("verdicts/alpha/bo.md").Delete("verdicts/beta/bo.md");
        await app.WaitForReloadAfter(generation);

        Assert.Equal(["alpha"], await Found("zepelin", "data-tool"));
        Assert.Equal(["alpha-or-beta"], await Found("zeppelin works", "data-comparison"));
        Assert.DoesNotContain("alpha", await Found("alpah", "data-tool"));
        Assert.Equal(["cy"], await Found("cy park", "data-reviewer"));
        Assert.Empty(await Found("bo chen", "data-reviewer"));
        // What an edit leaves is what a first load writes.
        using var connection = app.Database.Open();
        var rows = Dapper.SqlMapper.Query<string>(connection, "SELECT kind || ' ' || slug || ' ' || name FROM search_names ORDER BY 1").ToList();
        Assert.Equal(["comparison alpha-or-beta Zeppelin Works vs Beta", "reviewer ada Ada Lane", "reviewer cy Cy Park",
            "tool alpha Zeppelin Works", "tool beta Beta", "tool gamma Gamma"], rows);
    }
}
