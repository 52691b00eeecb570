using System.Text;

namespace Verdicts.Tests.Infrastructure;

/// <summary>A content folder of its own in the temp directory, filled through small builders that write Markdown.</summary>
public sealed class TestContent : IDisposable
{
    public TestContent()
    {
        Root = Path.Combine(Path.GetTempPath(), "verdicts-tests", Guid.NewGuid().ToString("N"), "content");
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    /// <summary>The folder above the content folder, free for a database file or other scratch files.</summary>
    public string Scratch => Path.GetDirectoryName(Root)!;

    public string PathOf(string relative) => Path.Combine(Root, relative);

    public TestContent File(string relative, string text)
    {
        var path = PathOf(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllText(path, text, new UTF8Encoding(false));
        return this;
    }

    public TestContent Bytes(string relative, byte[] bytes)
    {
        var path = PathOf(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllBytes(path, bytes);
        return this;
    }

    public TestContent Delete(string relative)
    {
        System.IO.File.Delete(PathOf(relative));
        return this;
    }

    public string Read(string relative) => System.IO.File.ReadAllText(PathOf(relative));

    public TestContent Tool(string slug, string? name = null, string category = "Developer Tools", string? tagline = null,
        string entry = "Free", string extra = "", string body = "A tool worth a look.") =>
        File($"tools/{slug}.md", ToolText(name ?? Title(slug), category, tagline ?? $"The {Title(slug)} tagline", entry, extra, body));

    public static string ToolText(string name, string category = "Developer Tools", string tagline = "A tagline", string entry = "Free",
        string extra = "", string body = "A tool worth a look.") =>
        $"---\nname: \"{name}\"\ncategory: {category}\ntagline: \"{tagline}\"\npricing:\n  entry: \"{entry}\"\n{extra}---\n{body}\n";

    public TestContent Reviewer(string slug, string? name = null, string lens = "Developer experience", int? order = null) =>
        File($"reviewers/{slug}.md", $"---\nname: {name ?? Title(slug)}\nlens: {lens}\n{(order is null ? "" : $"order: {order}\n")}---\nA reviewer.\n");

    public TestContent Verdict(string tool, string reviewer, string verdict = "ship", string quote = "Clear call, well argued.") =>
        File($"verdicts/{tool}/{reviewer}.md", $"---\nverdict: {verdict}\n---\n{quote}\n");

    public TestContent Comparison(string slug, string[] tools, string published = "2026-01-01", string extra = "", string body = "Why compare them.") =>
        File($"comparisons/{slug}.md", $"---\ntools: [{string.Join(", ", tools)}]\npublished: {published}\n{extra}---\n{body}\n");

    /// <summary>SmolLM3 with the facts its model card states (checked with the search tool; what it does not state is left out).</summary>
    public TestContent SmolLM3() => Tool("smollm3", "SmolLM3", tagline: "A 3B open model", extra: """
        license: Apache-2.0
        released: 2025-07-08
        specs:
          parameters: 3B
          parameters_billions: 3
          inputs: [text]
          open_weights: true
        sources:
          - https://huggingface.co/HuggingFaceTB/SmolLM3-3B

        """);

    /// <summary>Gemma 3 4B with the facts Google's Gemma pages state; its memory at 4-bit is left out, no model card in reach states it.</summary>
    public TestContent Gemma3Small() => Tool("gemma-3-4b", "Gemma 3 4B", tagline: "Google's 4B open model that reads images", extra: """
        license: Gemma Terms of Use
        released: 2025-03-12
        specs:
          parameters: 4B
          parameters_billions: 4
          inputs: [text, image]
          open_weights: true
        sources:
          - https://ai.google.dev/gemma/docs/core

        """);

    /// <summary>Three tools, two reviewers and a comparison: enough for most page tests.</summary>
    public static TestContent Sample() => new TestContent()
        .Reviewer("ada", "Ada Lane", "Developer experience", 1)
        .Reviewer("bo", "Bo Chen", "Competition", 2)
        .Tool("alpha", "Alpha", tagline: "The first tool")
        .Tool("beta", "Beta", tagline: "The second tool", entry: "$20/mo")
        .Tool("gamma", "Gamma", category: "Inference Runtimes", tagline: "The third tool")
        .Verdict("alpha", "ada", "ship").Verdict("alpha", "bo", "ship")
        .Verdict("beta", "ada", "ship").Verdict("beta", "bo", "skip")
        .Comparison("alpha-or-beta", ["alpha", "beta"], "2026-03-01", "featured: true\n");

    public void Dispose()
    {
        try
        {
            Directory.Delete(Scratch, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static string Title(string slug) => string.Join(' ', slug.Split('-').Select(p => char.ToUpperInvariant(p[0]) + p[1..]));
}
