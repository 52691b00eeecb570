using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace Verdicts.Web.Content;

/// <summary>
/// Tells the reloader when to look: the file watcher names the files it saw change, a short debounce lets a burst of
/// saves arrive, and a full rescan runs every few seconds regardless, since watchers can die or overflow. It only hints:
/// what changed is always decided by the reloader's own scan.
/// </summary>
public sealed class ContentWatcher(IOptions<VerdictsOptions> options, ContentReloader reloader, ILogger<ContentWatcher> logger)
    : IHostedService, IDisposable
{
    // Let a burst of saves (or an editor's write-then-rename) arrive before scanning.
    private static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(15);

    private readonly string root = options.Value.ContentPath;
    private readonly TimeSpan rescanInterval = TimeSpan.FromSeconds(options.Value.RescanSeconds);
    private readonly Channel<bool> hints = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    // Paths the watcher named since the last scan; a full scan instead when it cannot say (folders, overflow).
    private readonly ConcurrentDictionary<string, byte> hintedPaths = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource stopping = new();
    private int fullScanRequested;
    private TimeSpan lastFullScan;
    private FileSystemWatcher? watcher;
    private Task? loop;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.WatchFiles)
            StartWatcher();
        loop = Task.Run(() => RunAsync(stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await stopping.CancelAsync();
        watcher?.Dispose();
        if (loop is not null)
            await loop.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    // The container may dispose this before or after the host stops it; the token source is left to the
    // collector (it holds no timer), so a late StopAsync or a pending delay never meets a disposed one.
    public void Dispose()
    {
        stopping.Cancel();
        watcher?.Dispose();
    }

    /// <summary>Has the whole folder scanned soon, without waiting for it.</summary>
    public void RequestFullScan()
    {
        Interlocked.Exchange(ref fullScanRequested, 1);
        hints.Writer.TryWrite(true);
    }

    private void Hint(string fullPath)
    {
        var relative = Path.GetRelativePath(root, fullPath).Replace('\\', '/');
        // git's own files in a clone (ContentClone) change on every fetch and are never content.
        if (relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) || relative == ".git" || relative.StartsWith(".git/", StringComparison.Ordinal))
            return;
        if (!ContentParser.IsMarkdownName(relative) || Directory.Exists(fullPath))
        {
            // A folder (or something that may have been one): its files are unknown, so look at everything.
            if (ContentParser.KindOf(relative + "/x.md") is not null || !Path.GetFileName(relative).StartsWith('.') && !relative.EndsWith('~'))
                Interlocked.Exchange(ref fullScanRequested, 1);
            else
                return;
        }
        else
        {
            hintedPaths.TryAdd(relative, 0);
        }
        hints.Writer.TryWrite(true);
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var hinted = false;
            using (var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                // The periodic full scan is the safety net for a dead or overflowing watcher (whose errors already ask
                // for one); on a large folder it costs real time, so it is spaced to take at most 1% of one core.
                wait.CancelAfter(rescanInterval > lastFullScan * 100 ? rescanInterval : lastFullScan * 100);
                try
                {
                    await hints.Reader.ReadAsync(wait.Token);
                    hinted = true;
                    await Task.Delay(Debounce, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    if (cancellationToken.IsCancellationRequested)
                        return;
                }
            }
            while (hints.Reader.TryRead(out _))
            {
            }
            var full = !hinted | Interlocked.Exchange(ref fullScanRequested, 0) == 1;
            var paths = hintedPaths.Keys.ToList();
            foreach (var path in paths)
                hintedPaths.TryRemove(path, out _);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var settling = reloader.Reload(full ? null : paths);
            if (full)
                lastFullScan = clock.Elapsed;
            if (settling.Count > 0)
                HintLater(settling);
        }
    }

    // Files written too recently to trust are looked at again once they have had time to settle.
    private void HintLater(IReadOnlyList<string> paths) =>
        _ = Task.Delay(ContentReloader.QuietPeriod + TimeSpan.FromMilliseconds(5), stopping.Token)
            .ContinueWith(_ =>
            {
                foreach (var path in paths)
                    Hint(Path.Combine(root, path));
            }, CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);

    private void StartWatcher()
    {
        if (!Directory.Exists(root))
            return;
        try
        {
            watcher = new FileSystemWatcher(root)
            {
                IncludeSubdirectories = true,
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size,
                InternalBufferSize = 64 * 1024,
            };
            watcher.Changed += (_, e) => Hint(e.FullPath);
            watcher.Created += (_, e) => Hint(e.FullPath);
            watcher.Deleted += (_, e) => Hint(e.FullPath);
            watcher.Renamed += (_, e) =>
            {
                Hint(e.OldFullPath);
                Hint(e.FullPath);
            };
            watcher.Error += (_, e) =>
            {
                logger.LogWarning(e.GetException(), "Content watcher failed; periodic rescans keep the site current");
                RequestFullScan();
            };
            watcher.EnableRaisingEvents = true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            logger.LogWarning(ex, "Cannot watch {ContentPath}; changes are picked up by periodic rescans only", root);
            watcher?.Dispose();
            watcher = null;
        }
    }
}
