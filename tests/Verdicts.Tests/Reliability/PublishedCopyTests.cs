using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Verdicts.Tests.Infrastructure;

namespace Verdicts.Tests.Reliability;

/// <summary>The site as it is deployed: a published copy, started from a folder that is not its own (as a service manager may).</summary>
public sealed class PublishedCopyTests
{
    [Fact]
    public async Task A_published_copy_started_from_another_folder_reads_its_own_settings_and_serves_its_files()
    {
        using var content = TestContent.Sample();
        var published = Path.Combine(content.Scratch, "site");
        await PublishAsync(published);
        // The copy's own appsettings.json names the site's address; read from anywhere else, the pages would not show it.
        var settingsPath = Path.Combine(published, "appsettings.json");
        var settings = JsonNode.Parse(await File.ReadAllTextAsync(settingsPath, TestContext.Current.CancellationToken))!;
        settings["Verdicts"]!["SiteUrl"] = "https://published.example";
        await File.WriteAllTextAsync(settingsPath, settings.ToJsonString(), TestContext.Current.CancellationToken);

        using var site = await SiteProcess.StartPublishedAsync(published, content);
        using var client = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None });
        var home = Html.Parse(await client.GetStringAsync(new Uri(site.BaseUrl + "/"), TestContext.Current.CancellationToken));
        Assert.Equal("https://published.example/", home.QuerySelector("link[rel=canonical]")?.GetAttribute("href"));

        // Before, such a copy answered its files 200 with an empty body: the page came unstyled.
        var stylesheet = home.QuerySelector("link[rel=stylesheet]")!.GetAttribute("href")!;
        using var css = await client.GetAsync(new Uri(site.BaseUrl + stylesheet), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        Assert.Equal("text/css", css.Content.Headers.ContentType?.MediaType);
        Assert.Equal(
            await File.ReadAllBytesAsync(Path.Combine(published, "wwwroot", "css", "site.css"), TestContext.Current.CancellationToken),
            await css.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
    }

    // `dotnet publish` of the build the tests run against (its configuration is the name of the folder above net10.0).
    private static async Task PublishAsync(string target)
    {
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        var project = Path.Combine(Web.VerdictsOptions.FindRepositoryRoot(AppContext.BaseDirectory), "src", "Verdicts.Web");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "publish", project, "--no-build", "-c", configuration, "-o", target, "--nologo", "-v", "quiet" })
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));
        Assert.True(process.ExitCode == 0, $"dotnet publish failed:\n{await output}\n{await errors}");
    }
}
