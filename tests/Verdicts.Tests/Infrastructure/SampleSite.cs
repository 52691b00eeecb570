namespace Verdicts.Tests.Infrastructure;

/// <summary>
/// One site for all the tests of a class that only read it (<c>IClassFixture&lt;SampleSite&gt;</c>): starting a site
/// is most of a page test's time, and a test that changes nothing needs no site of its own. On the sample content, or on
/// the content a subclass gives.
/// </summary>
public class SampleSite : IAsyncDisposable
{
    public SampleSite()
        : this(TestContent.Sample())
    {
    }

    protected SampleSite(TestContent content, IReadOnlyDictionary<string, string?>? settings = null)
    {
        Content = content;
        App = new VerdictsApp(content, settings);
    }

    public TestContent Content { get; }

    public VerdictsApp App { get; }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        Content.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>The real site as a child process on the sample content, shared by the tests of a class that only read it.</summary>
public sealed class SampleSiteProcess : IAsyncLifetime
{
    private readonly TestContent content = TestContent.Sample();
    private SiteProcess? site;

    public SiteProcess Site => site ?? throw new InvalidOperationException("the site has not started");

    public async ValueTask InitializeAsync() => site = await SiteProcess.StartAsync(content);

    public ValueTask DisposeAsync()
    {
        site?.Dispose();
        content.Dispose();
        return ValueTask.CompletedTask;
    }
}
