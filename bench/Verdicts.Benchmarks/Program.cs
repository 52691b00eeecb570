using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Running;
using Verdicts.Web.Content;

BenchmarkSwitcher.FromAssembly(typeof(ContentBenchmarks).Assembly).Run(args);

/// <summary>
/// The loader's and renderer's hot paths, one file at a time, on text shaped like the shipped content:
/// regressions here show before they reach the whole-site figures of bench/run.
/// </summary>
[MemoryDiagnoser]
public class ContentBenchmarks
{
    private static readonly byte[] Tool = Encoding.UTF8.GetBytes("""
        ---
        name: "SmolLM3"
        category: Developer Tools
        tagline: "A 3B open model with a switchable reasoning mode, small enough to run on a laptop or a phone"
        vendor: Hugging Face
        website: https://huggingface.co/HuggingFaceTB/SmolLM3-3B
        license: Apache-2.0
        tags: [open-weights, on-device, small-model]
        released: 2025-07-08
        pricing:
          entry: Free
          plans:
            - name: Open weights
              price: Free
              notes: Download from the Hugging Face Hub
        ---
        SmolLM3 is a **3-billion-parameter** open model. It runs on a laptop or a recent phone, switches a
        step-by-step reasoning mode on and off, and reads long documents. See [the model card](https://huggingface.co/).

        - quantised builds for llama.cpp and Ollama
        - Apache-2.0 licence

        """);

    private static readonly byte[] Verdict = Encoding.UTF8.GetBytes("""
        ---
        verdict: ship
        date: 2026-11-12
        ---
        The primitive is clean: weights, a tokenizer and a model card with ablations. The first ten minutes are
        `ollama pull` and a prompt, not three environment variables and a credit card. That earns the ship.

        """);

    private static readonly string Markdown = Encoding.UTF8.GetString(Tool).Split("---")[2];

    [Benchmark]
    public ParsedFile ParseTool() => ContentParser.Parse("tools/smollm3.md", ContentKind.Tool, Tool);

    [Benchmark]
    public ParsedFile ParseVerdict() => ContentParser.Parse("verdicts/smollm3/ines-valdivia.md", ContentKind.Verdict, Verdict);

    [Benchmark]
    public string RenderMarkdown() => MarkdownRenderer.ToHtml(Markdown);

    [Benchmark]
    public string PlainText() => MarkdownRenderer.ToPlainText(Markdown);
}
