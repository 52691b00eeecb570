using Microsoft.AspNetCore.OutputCaching;
using Verdicts.Web.Content;

namespace Verdicts.Web.Pages;

/// <summary>Drops every cached page when the content changes, so a reload is visible at once.</summary>
public sealed class CacheEviction(ContentReloader reloader, IOutputCacheStore cache, ILogger<CacheEviction> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        reloader.Reloaded += Evict;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        reloader.Reloaded -= Evict;
        return Task.CompletedTask;
    }

    private void Evict()
    {
        try
        {
            cache.EvictByTagAsync(CacheTags.Content, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Could not evict cached pages after a content reload");
        }
    }
}
