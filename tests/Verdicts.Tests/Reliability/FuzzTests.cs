using System.Text;
using Verdicts.Tests.Infrastructure;
using Verdicts.Web.Content;

namespace Verdicts.Tests.Reliability;

/// <summary>
/// Random and mutated content files, from the shipped ones, a fixed number of them: the loader answers with errors,
/// never an exception or a hang, and never accepts a file that `check` rejects. The seed is in the test's output;
/// set VERDICTS_TEST_SEED to it to replay a failure.
/// </summary>
public sealed class FuzzTests(ITestOutputHelper output)
{
    private const int Files = 600;

    private static readonly string[] Fragments =
    [
        "---", "\n", "\r\n", "\t", ": ", "- ", "[", "]", "{", "}", "&a ", "*a", "!!str ", "|", ">", "\"", "'", "#", "%", "@", "`",
        "\0", "\u202E", "\uFEFF", "\uD800", "é", "名", "😀", "<script>", "javascript:", "](", "![", "**", "> ", "    ", "~~~", "<!--",
        "name: x\n", "draft: yes\n", "verdict: ship\n", "tools: [a, a]\n", "published: 2026-02-30\n", "aliases: [x]\n", "\n---\n",
    ];

    private static byte[] Mutate(byte[] original, Random random)
    {
        var bytes = original.ToList();
        for (var n = random.Next(1, 8); n > 0; n--)
        {
            var at = bytes.Count == 0 ? 0 : random.Next(bytes.Count);
            switch (random.Next(6))
            {
                case 0 when bytes.Count > 0:
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 1 when bytes.Count > 0:
                    bytes.RemoveRange(at, Math.Min(bytes.Count - at, random.Next(1, 40)));
                    break;
                case 2:
                    bytes.InsertRange(at, Encoding.UTF8.GetBytes(Fragments[random.Next(Fragments.Length)]));
                    break;
                case 3 when bytes.Count > 0:
                    var length = Math.Min(bytes.Count - at, random.Next(1, 80));
                    bytes.InsertRange(random.Next(bytes.Count), bytes.GetRange(at, length));
                    break;
                case 4:
                    bytes.InsertRange(at, Enumerable.Repeat((byte)"[{>-*"[random.Next(5)], random.Next(1, 5000)));
                    break;
                default:
                    var noise = new byte[random.Next(1, 30)];
                    random.NextBytes(noise);
                    bytes.InsertRange(at, noise);
                    break;
            }
        }
        return [.. bytes];
    }

    [Fact]
    public async Task Mutated_content_files_get_errors_never_exceptions_hangs_or_a_different_answer_from_check()
    {
        var shipped = Path.Combine(Verdicts.Web.VerdictsOptions.FindRepositoryRoot(AppContext.BaseDirectory), "content");
        var seeds = Directory.GetFiles(shipped, "*.md", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(shipped, f).Replace('\\', '/'))
            .Where(p => ContentParser.KindOf(p) is not null)
            .Select(p => (Path: p, Bytes: File.ReadAllBytes(Path.Combine(shipped, p))))
            .ToList();
        var seed = TestSeed.Choose();
        var random = new Random(seed);
        var rejected = 0;
        // The shipped content in a folder of its own, so cross-file rules see a real site around the mutated file.
        using var content = new TestContent();
        foreach (var (p, b) in seeds)
            content.Bytes(p, b);

        for (var tried = 1; tried <= Files; tried++)
        {
            var (path, original) = seeds[random.Next(seeds.Count)];
            var bytes = random.Next(20) == 0 ? RandomBytes(random) : Mutate(original, random);
            var kind = ContentParser.KindOf(path)!.Value;

            // Each parse runs against a generous deadline: a hang would fail the test instead of stalling it.
            var parse = Task.Run(() => ContentParser.Parse(path, kind, bytes));
            var finished = await Task.WhenAny(parse, Task.Delay(TimeSpan.FromSeconds(30)));
            Assert.True(finished == parse, $"parsing a mutation of {path} hung (seed {seed})");
            var parsed = await parse;
            Assert.True(parsed.IsValid || parsed.Errors.Count > 0, "a file was neither accepted nor given an error");
            Assert.All(parsed.Errors, e => Assert.True(e.Line >= 1 && e.Column >= 1, $"bad position in {e}"));
            if (!parsed.IsValid)
                rejected++;

            // Now and then, the same bytes on disk through `check`: a file the loader rejects, check rejects with the
            // same errors; a file the loader accepts, check rejects only by the cross-file rules both apply.
            if (tried % 25 == 0)
            {
                content.Bytes(path, bytes);
                var checkErrors = ContentChecker.Check(content.Root).Errors.Where(e => e.Path == path).Select(e => e.ToString()).Order(StringComparer.Ordinal).ToList();
                if (!parsed.IsValid)
                    Assert.Equal(parsed.Errors.Select(e => e.ToString()).Order(StringComparer.Ordinal), checkErrors);
                else
                    Assert.All(checkErrors, e => Assert.Matches("does not exist|already|draft|is spelled|is the slug", e));
                content.Bytes(path, original);
            }
        }
        output.WriteLine($"{Files} mutated files, {rejected} rejected with errors");
        // Both answers were exercised: some mutations broke a file and some left it valid.
        Assert.InRange(rejected, 1, Files - 1);
    }

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(0, 2000)];
        random.NextBytes(bytes);
        return bytes;
    }
}
