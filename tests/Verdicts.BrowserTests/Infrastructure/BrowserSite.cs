using System.Net;
using System.Net.Sockets;
using Deque.AxeCore.Playwright;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Playwright;
using Verdicts.Tests.Infrastructure;

[assembly: AssemblyFixture(typeof(Verdicts.BrowserTests.Infrastructure.SharedBrowser))]

namespace Verdicts.BrowserTests.Infrastructure;

/// <summary>
/// The site on a real loopback port with its own content and database, and Debian's Chromium driven by Playwright.
/// Where Chromium is missing every browser test reports as skipped with the install hint; it never passes silently.
/// </summary>
public class BrowserSite : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";
    public const string MissingChromium = "chromium is not installed: run `apt-get install -y chromium` as root (.ci/run does this)";

    private SiteFactory? factory;

    // Closed with the site, as closing a browser of its own closed them when each class had one.
    private readonly List<IBrowserContext> contexts = [];

    public TestContent Content { get; } = TestContent.Sample()
        .Reviewer("cy", "Cy Park", "Where the market goes", 3)
        .Verdict("alpha", "cy", "skip").Verdict("beta", "cy", "ship").Verdict("gamma", "cy", "ship")
        .Tool("delta", "Delta", category: "Inference Runtimes", tagline: "A runtime for phones and laptops", entry: "$9/mo")
        .Comparison("runtimes", ["gamma", "delta", "alpha"], "2026-05-01");

    public const string AdminName = "ada";
    public const string AdminPassword = "correct horse";

    public string BaseUrl { get; private set; } = "";

    /// <summary>Settings beyond the test defaults, for a site set up differently.</summary>
    protected virtual IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>();

    public IBrowser? Browser { get; private set; }

    public static string ScreenshotFolder { get; } = Path.Combine(Web.VerdictsOptions.FindRepositoryRoot(AppContext.BaseDirectory), "tests", "Verdicts.BrowserTests", "TestResults", "screenshots");

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
            return;
        var port = FreePort();
        factory = new SiteFactory(Content, port, Settings);
        factory.UseKestrel(port);
        factory.StartServer();
        BaseUrl = $"http://127.0.0.1:{port}";
        Browser = await SharedBrowser.Get();
    }

    /// <summary>A fresh page (own cookies) that fails the test on any request leaving this machine's site.</summary>
    public async Task<IPage> NewPage(int width = 1280, bool javaScript = true, ColorScheme colorScheme = ColorScheme.Light)
    {
        if (Browser is null)
            Assert.Skip(MissingChromium);
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = 900 },
            JavaScriptEnabled = javaScript,
            ColorScheme = colorScheme,
            BaseURL = BaseUrl,
        });
        lock (contexts)
            contexts.Add(context);
        var page = await context.NewPageAsync();
        page.Request += (_, request) =>
        {
            var uri = new Uri(request.Url);
            if (uri.Scheme is "http" or "https" && uri.Authority != new Uri(BaseUrl).Authority)
                ForeignRequests.Add(request.Url);
        };
        return page;
    }

    public List<string> ForeignRequests { get; } = [];

    public static async Task AssertNoAxeViolations(IPage page)
    {
        // axe runs as a script in the page: on a page opened without JavaScript it never answers, so fail instead of hanging.
        Deque.AxeCore.Commons.AxeResult results;
        try
        {
            results = await page.RunAxe().WaitAsync(TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException)
        {
            throw new Xunit.Sdk.XunitException($"axe did not finish on {page.Url} within 60 s; it cannot run on a page opened with JavaScript off");
        }
        var problems = results.Violations.Select(v => $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}");
        Assert.True(results.Violations.Length == 0, $"axe-core violations on {page.Url}:\n" + string.Join('\n', problems));
    }

    /// <summary>
    /// The page passes axe in light and dark mode at 1280 px and in light mode at 360 px, never scrolls sideways, and
    /// fetches nothing from another host; the light-mode shots are kept under <paramref name="name"/>.
    /// </summary>
    public async Task AssertWorksAtBothWidths(string name, string path)
    {
        foreach (var (width, scheme) in new[] { (1280, ColorScheme.Light), (360, ColorScheme.Light), (1280, ColorScheme.Dark) })
        {
            var page = await NewPage(width, colorScheme: scheme);
            await page.GotoAsync(path);
            await AssertNoAxeViolations(page);
            if (scheme == ColorScheme.Light)
                await Screenshot(page, name);
            var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
            Assert.True(overflow <= 0, $"{path} scrolls sideways by {overflow}px at {width}px");
            await page.Context.CloseAsync();
        }
        Assert.Empty(ForeignRequests);
    }

    /// <summary>
    /// Waits until the page has gone to the address and its document has been parsed. Playwright's WaitForURLAsync then
    /// waits for the load event, and twice in loaded CI runs it waited 30 s, with the network idle, for an event that had
    /// already fired. The document's readyState is read from the page itself instead.
    /// </summary>
    public static async Task WaitForPage(IPage page, string url)
    {
        await page.WaitForURLAsync(url, new() { WaitUntil = WaitUntilState.Commit });
        await page.WaitForFunctionAsync("document.readyState !== 'loading'");
    }

    /// <summary>Signs in through the login form the admin area sends a visitor to, checking that form with axe on the way.</summary>
    public static async Task SignIn(IPage page)
    {
        await page.GotoAsync("/admin");
        await BrowserSite.WaitForPage(page, "**/admin/login**");
        await AssertNoAxeViolations(page);
        await page.GetByLabel("Name").FillAsync(AdminName);
        await page.GetByLabel("Password").FillAsync(AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await BrowserSite.WaitForPage(page, "**/admin");
    }

    public static async Task Screenshot(IPage page, string name)
    {
        Directory.CreateDirectory(ScreenshotFolder);
        var width = page.ViewportSize?.Width ?? 0;
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, $"{name}-{width}.png"), FullPage = true });
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var context in contexts)
            await context.CloseAsync();
        if (factory is not null)
            await factory.DisposeAsync();
        Content.Dispose();
        GC.SuppressFinalize(this);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class SiteFactory(TestContent content, int port, IReadOnlyDictionary<string, string> settings) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Testing");
            builder.UseSetting("Verdicts:ContentPath", content.Root);
            builder.UseSetting("Verdicts:DatabasePath", Path.Combine(content.Scratch, "verdicts.db"));
            builder.UseSetting("Serilog:MinimumLevel:Default", "Warning");
            builder.UseSetting("urls", $"http://127.0.0.1:{port}");
            builder.UseSetting("Verdicts:Admins:0:Name", AdminName);
            builder.UseSetting("Verdicts:Admins:0:PasswordHash", Web.Admin.AdminAccounts.Hash(AdminPassword));
            foreach (var (key, value) in settings)
                builder.UseSetting(key, value);
        }
    }
}

/// <summary>
/// One Chromium for the whole run, launched on first use and closed when the run ends (an xunit assembly fixture): each
/// test opens its own context, which keeps its cookies and storage apart, so the classes need no browser of their own.
/// </summary>
public sealed class SharedBrowser : IAsyncDisposable
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static IPlaywright? playwright;
    private static IBrowser? browser;

    public static async Task<IBrowser> Get()
    {
        await Gate.WaitAsync();
        try
        {
            if (browser is null)
            {
                playwright = await Playwright.CreateAsync();
                browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
                {
                    ExecutablePath = BrowserSite.ChromiumPath,
                    Headless = true,
                    // As root Chromium needs --no-sandbox; the rest keep it from calling home on a machine with no network.
                    Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
                });
            }
            return browser;
        }
        finally
        {
            Gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (browser is not null)
            await browser.DisposeAsync();
        playwright?.Dispose();
    }
}

/// <summary>The same site with lists cut short, as a large catalogue has them: pages of one, typed names to compare.</summary>
public sealed class LargeCatalogueSite : BrowserSite
{
    protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["Verdicts:ListPageSize"] = "1",
        ["Verdicts:HomeToolsPerCategory"] = "1",
        ["Verdicts:CompareListLimit"] = "2",
    };
}
