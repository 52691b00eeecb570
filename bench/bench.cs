#:sdk Microsoft.NET.Sdk.Web
#:package Microsoft.Data.Sqlite
#:property TargetFramework=net10.0
#:property Nullable=enable
#:property TreatWarningsAsErrors=false
#:property PublishAot=false

// Helpers for bench/run, one file so the benchmark needs nothing but the SDK:
//   generate --tools N DIR        synthetic content: N tools, four verdicts each, one comparison per two tools
//   plaintext --port P [--root DIR]  Kestrel answering a plain-text 200 at / (the baseline for the vote figure) and, with
//                                 --root, every file under DIR at its path from bytes read at start: the ceiling for any
//                                 ASP.NET Core site serving the same page
//   edit-latency --content DIR --url URL --edits N   edit one tool at a time, poll its page until it shows
//   count-votes DB                rows in the votes table
//   search-latency --url URL --tools N --queries Q   typo, prefix and "A vs B" searches one after another: median and p99 ms
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;

var command = args.FirstOrDefault() ?? "";
string Option(string name, string fallback) =>
    args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() ?? fallback;

switch (command)
{
    case "generate":
        Generate(int.Parse(Option("--tools", "10000"), CultureInfo.InvariantCulture), args[^1]);
        break;
    case "plaintext":
        var app = WebApplication.Create([$"--urls=http://127.0.0.1:{Option("--port", "5300")}", "--Logging:LogLevel:Default=Warning"]);
        app.MapGet("/", () => Results.Text("Hello, World!"));
        if (Option("--root", "") is { Length: > 0 } root)
        {
            foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
            {
                var bytes = File.ReadAllBytes(file);
                app.MapGet("/" + Path.GetRelativePath(root, file), (HttpContext context) =>
                {
                    context.Response.ContentType = "text/html; charset=utf-8";
                    context.Response.ContentLength = bytes.Length;
                    return context.Response.Body.WriteAsync(bytes).AsTask();
                });
            }
        }
        app.Run();
        break;
    case "edit-latency":
        await EditLatency(Option("--content", ""), Option("--url", ""), int.Parse(Option("--edits", "20"), CultureInfo.InvariantCulture));
        break;
    case "search-latency":
        await SearchLatency(Option("--url", ""), int.Parse(Option("--tools", "10000"), CultureInfo.InvariantCulture),
            int.Parse(Option("--queries", "200"), CultureInfo.InvariantCulture));
        break;
    case "count-votes":
        using (var connection = new SqliteConnection($"Data Source={args[1]};Mode=ReadOnly;Pooling=false"))
        {
            connection.Open();
            using var count = connection.CreateCommand();
            count.CommandText = "SELECT count(*) FROM votes";
            Console.WriteLine(count.ExecuteScalar());
        }
        break;
    default:
        Console.Error.WriteLine("usage: bench.cs generate|plaintext|edit-latency|search-latency|count-votes ...");
        return 2;
}
return 0;

static string ToolSlug(int i) => $"tool-{i:D5}";

static void Generate(int tools, string root)
{
    var utf8 = new UTF8Encoding(false);
    string[] reviewers = ["dev-lens", "competition-lens", "market-lens", "buyer-lens"];
    string[] lenses = ["Developer experience", "Competition", "Where the market goes", "The buyer"];
    string[] categories = ["Developer Tools", "Inference Runtimes", "Coding Assistants", "Vector Databases", "Agents", "Evaluation"];
    Directory.CreateDirectory(Path.Combine(root, "reviewers"));
    Directory.CreateDirectory(Path.Combine(root, "tools"));
    Directory.CreateDirectory(Path.Combine(root, "comparisons"));
    for (var r = 0; r < reviewers.Length; r++)
    {
        File.WriteAllText(Path.Combine(root, "reviewers", reviewers[r] + ".md"),
            $"---\nname: Reviewer {r + 1}\nlens: {lenses[r]}\norder: {r + 1}\n---\nReviews tools through the {lenses[r].ToLowerInvariant()} lens.\n", utf8);
    }
    Parallel.For(0, tools, i =>
    {
        var slug = ToolSlug(i);
        File.WriteAllText(Path.Combine(root, "tools", slug + ".md"), $"""
            ---
            name: "Tool {i}"
            category: {categories[i % categories.Length]}
            tagline: "Synthetic tool number {i}, for load tests"
            vendor: Vendor {i % 97}
            license: Apache-2.0
            tags: [synthetic, bench]
            released: 2025-{1 + i % 12:D2}-{1 + i % 28:D2}
            pricing:
              entry: Free
              plans:
                - name: Team
                  price: ${10 + i % 40}/mo
                  notes: per seat
            ---
            Tool {i} is a **synthetic** entry. It exists so the benchmark has realistic amounts of text to
            parse, render and serve: a paragraph with some *emphasis*, a [link](https://example.com/tools/{i}),
            and a list.

            - fast to start
            - easy to drop in

            """, utf8);
        var folder = Path.Combine(root, "verdicts", slug);
        Directory.CreateDirectory(folder);
        for (var r = 0; r < reviewers.Length; r++)
        {
            File.WriteAllText(Path.Combine(folder, reviewers[r] + ".md"),
                $"---\nverdict: {((i + r) % 3 == 0 ? "skip" : "ship")}\ndate: 2026-0{1 + r}-1{r}\n---\n" +
                $"Reviewer {r + 1} on tool {i}: the primitive is clear, the docs are adequate and the pricing is honest. " +
                "It earns its place when the team needs something that works this week, and loses it when scale matters.\n", utf8);
        }
        if (i % 2 == 0 && i + 1 < tools)
        {
            File.WriteAllText(Path.Combine(root, "comparisons", $"pair-{i / 2:D5}.md"),
                $"---\ntools: [{slug}, {ToolSlug(i + 1)}]\npublished: 2026-{1 + i % 12:D2}-{1 + i % 28:D2}\n---\nTwo synthetic tools side by side.\n", utf8);
        }
    });
    Console.WriteLine($"generated {tools} tools, {tools * 4} verdicts, {tools / 2} comparisons in {root}");
}

static async Task EditLatency(string content, string url, int edits)
{
    using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
    var samples = new List<double>();
    var random = new Random(7);
    var tools = Directory.GetFiles(Path.Combine(content, "tools"), "*.md").Select(Path.GetFileNameWithoutExtension).ToArray();
    for (var n = 0; n < edits; n++)
    {
        var slug = tools[random.Next(tools.Length)];
        var path = Path.Combine(content, "tools", slug + ".md");
        var marker = $"edited-{Guid.NewGuid():N}";
        var text = await File.ReadAllTextAsync(path);
        var start = text.IndexOf("tagline: \"", StringComparison.Ordinal) + "tagline: \"".Length;
        var end = text.IndexOf('"', start);
        var edited = text[..start] + marker + text[end..];
        // As an editor saves: write a temporary file beside it, then rename over the original.
        var temporary = Path.Combine(content, "tools", $".{slug}.md.swp");
        await File.WriteAllTextAsync(temporary, edited);
        var clock = Stopwatch.StartNew();
        File.Move(temporary, path, overwrite: true);
        while (true)
        {
            var page = await client.GetStringAsync($"{url}/tools/{slug}");
            if (page.Contains(marker, StringComparison.Ordinal))
                break;
            if (clock.Elapsed > TimeSpan.FromSeconds(10))
                throw new TimeoutException($"edit of {slug} did not show within 10 s");
            await Task.Delay(5);
        }
        samples.Add(clock.Elapsed.TotalMilliseconds);
        await Task.Delay(300);
    }
    samples.Sort();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{samples[samples.Count / 2]:F0}"));
}

// Searches for generated tools ("Tool N") as visitors type them: a letter dropped, two swapped, a prefix, "A vs B".
// Every query differs, so against the site with its output cache disabled each one is searched. Prints the median and
// p99 ms of the results page, then of the type-ahead's /api/search.
static async Task SearchLatency(string url, int tools, int queries)
{
    using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
    var random = new Random(11);
    string Typed(int n)
    {
        var i = random.Next(tools);
        return (n % 4) switch
        {
            0 => $"tol {i}",
            1 => $"otol {i}",
            2 => $"tool {i / 10}",
            _ => $"tool {i} vs tool {random.Next(tools)}",
        };
    }
    foreach (var path in new[] { "/search?q=", "/api/search?q=" })
    {
        var samples = new List<double>();
        for (var n = 0; n < queries + 10; n++)
        {
            var clock = Stopwatch.StartNew();
            using var response = await client.GetAsync(url + path + Uri.EscapeDataString(Typed(n)));
            response.EnsureSuccessStatusCode();
            await response.Content.ReadAsByteArrayAsync();
            // The first few warm the site up.
            if (n >= 10)
                samples.Add(clock.Elapsed.TotalMilliseconds);
        }
        samples.Sort();
        Console.Write(string.Create(CultureInfo.InvariantCulture, $"{samples[samples.Count / 2]:F2} {samples[(int)(samples.Count * 0.99)]:F2} "));
    }
    Console.WriteLine();
}
