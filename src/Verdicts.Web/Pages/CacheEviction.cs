using System.Collections.Concurrent;
using Microsoft.AspNetCore.OutputCaching;
using Verdicts.Web.Content;
using Verdicts.Web.Voting;

namespace Verdicts.Web.Pages;

/// <summary>
/// Drops cached pages when what they show changes: everything on a content reload, the pages of a tool after
/// its votes commit or an admin withdraws some. Tools' pages are evicted at once and once more a moment later, since a
/// page that read the old tally just before the commit may be stored just after the first eviction; the follow-up
/// passes coalesce.
/// </summary>
public sealed class CacheEviction(ContentReloader reloader, VoteWriter votes, IOutputCacheStore cache, ILogger<CacheEviction> logger) : IHostedService
{
    private static readonly TimeSpan FollowUp = TimeSpan.FromMilliseconds(150);

    private readonly ConcurrentDictionary<string, byte> followUp = new(StringComparer.Ordinal);
    private int followUpScheduled;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        reloader.Reloaded += EvictContent;
        votes.Committed += ToolsChanged;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        reloader.Reloaded -= EvictContent;
        votes.Committed -= ToolsChanged;
        return Task.CompletedTask;
    }

    private void EvictContent() => Evict(CacheTags.Content);

    /// <summary>Call after committing a change to these tools' votes.</summary>
    public void ToolsChanged(IReadOnlyCollection<string> tools)
    {
        foreach (var tool in tools)
        {
            Evict(CacheTags.Tool(tool));
            followUp.TryAdd(tool, 0);
        }
        if (Interlocked.Exchange(ref followUpScheduled, 1) == 0)
            _ = Task.Delay(FollowUp).ContinueWith(_ => EvictFollowUp(), TaskScheduler.Default);
    }

    private void EvictFollowUp()
    {
        Volatile.Write(ref followUpScheduled, 0);
        foreach (var tool in followUp.Keys)
        {
            followUp.TryRemove(tool, out _);
            Evict(CacheTags.Tool(tool));
        }
    }

    private void Evict(string tag)
    {
        try
        {
            cache.EvictByTagAsync(tag, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Could not evict cached pages tagged {Tag}", tag);
        }
    }
}
