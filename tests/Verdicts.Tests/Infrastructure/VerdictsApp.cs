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
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            builder.UseSetting(key, value);
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
