using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.DependencyInjection;
using Verdicts.Web.Content;
using Verdicts.Web.Data;
using Verdicts.Web.Pages;
using Verdicts.Web.Voting;

namespace Verdicts.Tests.Infrastructure;

/// <summary>The whole site on its own content folder and its own SQLite file, so tests run in parallel without leaking.</summary>
public sealed class VerdictsApp(TestContent content, IReadOnlyDictionary<string, string?>? settings = null) : WebApplicationFactory<Program>
{
    public TestContent Content { get; } = content;

    public string DatabasePath { get; } = Path.Combine(content.Scratch, "verdicts.db");

    /// <summary>
    /// The PostgreSQL database the site writes to: the one its settings name, else its content's own when the whole suite
    /// runs on PostgreSQL (<see cref="PostgresServer.EverySite"/>); null on SQLite alone.
    /// </summary>
    public string? Postgres { get; } = settings?.GetValueOrDefault("Verdicts:Postgres")
        ?? (PostgresServer.EverySite ? PostgresServer.Shared.DatabaseFor(content.Scratch) : null);

    public Database Database => Services.GetRequiredService<Database>();

    /// <summary>The site's clock, in place of the system's, when set.</summary>
    public TimeProvider? Clock { get; init; }

    public ContentReloader Reloader => Services.GetRequiredService<ContentReloader>();

    public VoteTallies Tallies => Services.GetRequiredService<VoteTallies>();

    /// <summary>
    /// Has the vote writer count these tools' votes again, as it does after an admin or an import changes them: for votes
    /// a test wrote straight into the database. They count on the open day.
    /// </summary>
    public Task Recount(params string[] tools) => Services.GetRequiredService<VoteWriter>().RecountAsync(tools);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Verdicts:ContentPath", Content.Root);
        builder.UseSetting("Verdicts:DatabasePath", DatabasePath);
        builder.UseSetting("Verdicts:RescanSeconds", "0.5");
        builder.UseSetting("Serilog:MinimumLevel:Default", "Warning");
        builder.UseSetting("Verdicts:MailPickupPath", MailFolder);
        // Mail is built only from the configured address; tests that need another (or none) say so in their settings.
        builder.UseSetting("Verdicts:SiteUrl", "http://localhost");
        if (Postgres is not null)
            builder.UseSetting("Verdicts:Postgres", Postgres);
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            builder.UseSetting(key, value);
        builder.ConfigureServices(services =>
        {
            services.AddSingleton<IStartupFilter, TestClientAddress>();
            if (Clock is not null)
                services.AddSingleton(Clock);
        });
    }

    public string MailFolder => Path.Combine(Content.Scratch, "mail");

    /// <summary>The messages the site has sent so far, oldest first.</summary>
    public IReadOnlyList<MimeKit.MimeMessage> Mail() => Directory.Exists(MailFolder)
        ? Directory.GetFiles(MailFolder, "*.eml").Order(StringComparer.Ordinal).Select(f => MimeKit.MimeMessage.Load(f)).ToList()
        : [];

    /// <summary>The messages sent once the site's outbox has tried every message queued so far at least once.</summary>
    public async Task<IReadOnlyList<MimeKit.MimeMessage>> DeliveredMail()
    {
        await Eventually(() =>
        {
            using var connection = Database.ReadWrites();
            return Task.FromResult(Dapper.SqlMapper.ExecuteScalar<long>(connection,
                "SELECT count(*) FROM mail_outbox WHERE outcome IS NULL AND attempts = 0") == 0);
        }, "the outbox has tried every queued message");
        return Mail();
    }

    /// <summary>
    /// The test server has no real peer address; a request may name one in X-Test-Client-IP, so tests can act
    /// as several visitors or a proxy. Added before the site's own middleware, exactly like a real connection.
    /// </summary>
    private sealed class TestClientAddress : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                if (System.Net.IPAddress.TryParse(context.Request.Headers["X-Test-Client-IP"].ToString(), out var address))
                    context.Connection.RemoteIpAddress = address;
                return nextMiddleware(context);
            });
            next(app);
        };
    }

    /// <summary>
    /// At the vote writer's next commit, just after the site's first eviction of the tools it changed, stores a page copy
    /// tagged with each of <paramref name="tools"/> straight into the output cache, as a render that read the old tally
    /// just before the commit would be; gives back the keys they were stored under, by tool. Stored from the commit's own
    /// notice rather than once the request returns, so that it always falls between the first eviction and the follow-up,
    /// however loaded the machine.
    /// </summary>
    public Task<Dictionary<string, string>> StoreLateCopiesAtNextCommit(params string[] tools)
    {
        var writer = Services.GetRequiredService<VoteWriter>();
        var cache = Services.GetRequiredService<IOutputCacheStore>();
        var stored = new TaskCompletionSource<Dictionary<string, string>>(TaskCreationOptions.RunContinuationsAsynchronously);
        void Store(IReadOnlyCollection<string> changed)
        {
            writer.Committed -= Store;
            var keys = tools.ToDictionary(t => t, _ => "late-copy-" + Guid.NewGuid().ToString("N"));
            foreach (var (tool, key) in keys)
                cache.SetAsync(key, "old tally"u8.ToArray(), [CacheTags.Tool(tool)], TimeSpan.FromMinutes(10), CancellationToken.None).AsTask().GetAwaiter().GetResult();
            stored.TrySetResult(keys);
        }
        writer.Committed += Store;
        return stored.Task;
    }

    /// <summary>Whether the output cache still holds the entry stored under <paramref name="key"/>.</summary>
    public async Task<bool> IsCached(string key) =>
        await Services.GetRequiredService<IOutputCacheStore>().GetAsync(key, CancellationToken.None) is not null;

    // The default limit of the waits below: a safety net against a hang, never reached by a passing test, so it can be
    // generous; 10 s was reached on a 2-core machine shared with other builds (load average 60) by tests that were right.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>Waits until the site has imported something newer than <paramref name="since"/>, or fails after a generous limit.</summary>
    public async Task WaitForReloadAfter(long since, TimeSpan? limit = null)
    {
        var deadline = DateTime.UtcNow + (limit ?? Patience);
        while (Reloader.Generation <= since)
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException("the site did not reload the content");
            await Task.Delay(20);
        }
    }

    /// <summary>Polls until <paramref name="condition"/> holds; the limit is a safety net, not a performance check.</summary>
    public static async Task Eventually(Func<Task<bool>> condition, string what, TimeSpan? limit = null)
    {
        var deadline = DateTime.UtcNow + (limit ?? Patience);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"timed out waiting until {what}");
            await Task.Delay(25);
        }
    }
}
