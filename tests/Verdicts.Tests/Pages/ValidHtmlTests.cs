using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Verdicts.Tests.Infrastructure;

namespace Verdicts.Tests.Pages;

/// <summary>
/// Every page the site links to, public and admin, on the bundled content, is valid HTML by the Nu Html Checker (the
/// W3C's validator, run locally from <c>tests/nu</c>): one crawl, one run of the checker over all the pages it found.
/// </summary>
public sealed class ValidHtmlTests
{
    public const string Missing = "Java or the Nu Html Checker is missing: run `apt-get install -y default-jre-headless` and "
        + "`npm ci --prefix tests/nu` (.ci/run does both)";

    // Enough pages of each kind (the first two segments of the path) to see every template, without checking all 150
    // edit pages or every generated comparison the "Add a tool" links lead to.
    private const int PagesPerKind = 4;

    private static readonly string Root = Web.VerdictsOptions.FindRepositoryRoot(AppContext.BaseDirectory);

    [Fact]
    public async Task Every_public_and_admin_page_is_valid_html()
    {
        var checker = Path.Combine(Root, "tests", "nu", "node_modules", "vnu-jar", "build", "dist", "vnu.jar");
        if (!File.Exists(checker) || !OnPath("java"))
            Assert.Skip(Missing);

        using var content = Bundled();
        using var app = AdminSession.App(content);
        var pages = Path.Combine(content.Scratch, "pages");
        Directory.CreateDirectory(pages);

        var visitor = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var found = await Crawl(visitor, ["/", "/compare", "/search?q=gemma", "/no-such-page", "/compare/smollm3-vs-smollm3",
            "/compare/a-vs-b-vs-c-vs-d-vs-e"], path => !path.StartsWith("/admin", StringComparison.Ordinal), pages);
        var admin = await AdminSession.SignIn(app);
        found.AddRange(await Crawl(admin, ["/admin"], path => path.StartsWith("/admin", StringComparison.Ordinal)
            && !path.StartsWith("/admin/logout", StringComparison.OrdinalIgnoreCase), pages));
        found.Add(await Save(pages, "admin-conflict", await ConflictPage(admin, content)));

        Assert.True(found.Count > 40, $"the crawl found only {found.Count} pages: {string.Join(", ", found)}");
        Assert.Contains(found, f => f.Contains("admin_history", StringComparison.Ordinal));
        // A page with one known error, so a checker that read nothing (or nothing useful) cannot pass the test.
        await File.WriteAllTextAsync(Path.Combine(pages, "canary.html"), "<!DOCTYPE html><html lang=\"en\"><title>t</title><p>a</span></html>");
        var errors = RunChecker(checker, pages);
        Assert.Contains(errors, e => e.StartsWith("canary.html:", StringComparison.Ordinal) && e.Contains("span", StringComparison.Ordinal));
        errors.RemoveAll(e => e.StartsWith("canary.html:", StringComparison.Ordinal));
        Assert.True(errors.Count == 0, $"the Nu checker found {errors.Count} errors in {found.Count} pages:\n" + string.Join('\n', errors));
    }

    /// <summary>The repository's own content, copied so the site can write beside it.</summary>
    private static TestContent Bundled()
    {
        var content = new TestContent();
        var shipped = Path.Combine(Root, "content");
        foreach (var file in Directory.EnumerateFiles(shipped, "*.md", SearchOption.AllDirectories))
            content.File(Path.GetRelativePath(shipped, file), File.ReadAllText(file));
        return content;
    }

    /// <summary>Follows same-site links breadth first from <paramref name="start"/>, saving each HTML page it reads.</summary>
    private static async Task<List<string>> Crawl(HttpClient client, string[] start, Func<string, bool> follow, string folder)
    {
        var queue = new Queue<string>(start);
        var seen = new HashSet<string>(start, StringComparer.Ordinal);
        var perKind = new Dictionary<string, int>(StringComparer.Ordinal);
        var saved = new List<string>();
        while (queue.TryDequeue(out var path))
        {
            using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
            Assert.True((int)response.StatusCode < 500, $"{path} answered {(int)response.StatusCode}");
            if (response.Content.Headers.ContentType?.MediaType != "text/html")
                continue;
            var html = await response.Content.ReadAsStringAsync();
            saved.Add(await Save(folder, path, html));
            foreach (var link in Html.Parse(html).QuerySelectorAll("a[href]").Select(a => a.GetAttribute("href")!))
            {
                var target = link.Split('#')[0];
                if (!target.StartsWith('/') || target.StartsWith("//", StringComparison.Ordinal) || !follow(target) || !seen.Add(target))
                    continue;
                var kind = string.Join('/', target.Split('?')[0].Split('/').Take(3));
                if (perKind.GetValueOrDefault(kind) >= PagesPerKind)
                    continue;
                perKind[kind] = perKind.GetValueOrDefault(kind) + 1;
                queue.Enqueue(target);
            }
        }
        return saved;
    }

    /// <summary>The answer to saving a tool whose file changed on disk since the editor opened it.</summary>
    private static async Task<string> ConflictPage(HttpClient admin, TestContent content)
    {
        const string Tool = "tools/smollm3.md";
        var form = (await admin.GetPage($"/admin/content/{Tool}")).QuerySelector("form.editor-form")!;
        var opened = content.Read(Tool);
        content.File(Tool, opened + "\nChanged on disk meanwhile.\n");
        using var response = await admin.Submit(form, "Save", null, ("Text", opened + "\nAnd changed in the editor.\n"));
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private static async Task<string> Save(string folder, string path, string html)
    {
        var name = string.Concat(path.Trim('/').Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' ? c : '_'));
        var file = Path.Combine(folder, (name.Length == 0 ? "home" : name[..Math.Min(name.Length, 120)]) + $"-{Guid.NewGuid():N}"[..9] + ".html");
        await File.WriteAllTextAsync(file, html);
        return Path.GetFileName(file);
    }

    /// <summary>Runs the checker once over every saved page; its errors as "file:line:column: message".</summary>
    private static List<string> RunChecker(string checker, string folder)
    {
        var start = new ProcessStartInfo("java") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[] { "-jar", checker, "--errors-only", "--format", "json", "--skip-non-html", folder })
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(3)), "the Nu checker did not finish within 3 minutes");
        using var report = JsonDocument.Parse(output.Result);
        return [.. report.RootElement.GetProperty("messages").EnumerateArray()
            .Where(m => m.GetProperty("type").GetString() is "error" or "non-document-error")
            .Select(m => $"{Path.GetFileName(m.TryGetProperty("url", out var url) ? url.GetString() : "")}:"
                + $"{(m.TryGetProperty("lastLine", out var line) ? line.GetInt32() : 0)}:"
                + $"{(m.TryGetProperty("firstColumn", out var column) ? column.GetInt32() : 0)}: {m.GetProperty("message").GetString()}")];
    }

    private static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Any(dir => File.Exists(Path.Combine(dir, program)));
}
