using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Verdicts.Web.Content;
using Verdicts.Web.Data;

namespace Verdicts.Tests.Infrastructure;

/// <summary>The whole site on its own content folder and its own SQLite file, so tests run in parallel without leaking.</summary>
public sealed class VerdictsApp(TestContent content, IReadOnlyDictionary<string, string?>? settings = null) : WebApplicationFactory<Program>
{
    public TestContent Content { get; } = content;

    public string DatabasePath { get; } = Path.Combine(content.Scratch, "verdicts.db");

    public Database Database => Services.GetRequiredService<Database>();

    public ContentReloader Reloader => Services.GetRequiredService<ContentReloader>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Verdicts:ContentPath", Content.Root);
        builder.UseSetting("Verdicts:DatabasePath", DatabasePath);
        builder.UseSetting("Verdicts:RescanSeconds", "0.5");
        builder.UseSetting("Serilog:MinimumLevel:Default", "Warning");
        builder.UseSetting("Verdicts:MailPickupPath", MailFolder);
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            builder.UseSetting(key, value);
        builder.ConfigureServices(services => services.AddSingleton<IStartupFilter, TestClientAddress>());
    }

    public string MailFolder => Path.Combine(Content.Scratch, "mail");

    /// <summary>The messages the site has sent so far, oldest first.</summary>
    public IReadOnlyList<MimeKit.MimeMessage> Mail() => Directory.Exists(MailFolder)
        ? Directory.GetFiles(MailFolder, "*.eml").Order(StringComparer.Ordinal).Select(f => MimeKit.MimeMessage.Load(f)).ToList()
        : [];

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

    /// <summary>Waits until the site has imported something newer than <paramref name="since"/>, or fails after a generous limit.</summary>
    public async Task WaitForReloadAfter(long since, TimeSpan? limit = null)
    {
        var deadline = DateTime.UtcNow + (limit ?? TimeSpan.FromSeconds(10));
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
        var deadline = DateTime.UtcNow + (limit ?? TimeSpan.FromSeconds(10));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"timed out waiting until {what}");
            await Task.Delay(25);
        }
    }
}
