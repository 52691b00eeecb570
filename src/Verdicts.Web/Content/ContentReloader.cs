using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace Verdicts.Web.Content;

/// <summary>
/// Keeps the database in step with the content folder: a full import at start-up, then a rescan whenever the
/// file watcher hints at a change and every few seconds regardless, since watchers can die or overflow.
/// A rescan re-reads only files whose size or time changed, so an edit shows within a fraction of a second.
/// </summary>
public sealed class ContentReloader : IHostedService, IDisposable
{
    // A file written this recently may still be half-written: keep its previous version until it settles.
    private static readonly TimeSpan QuietPeriod = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(15);

    private readonly string root;
    private readonly TimeSpan rescanInterval;
    private readonly bool watchFiles;
    private readonly ContentImporter importer;
    private readonly ILogger<ContentReloader> logger;
    private readonly TimeProvider time;
    private readonly Channel<bool> hints = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    // Paths the watcher named since the last scan; a full scan instead when it cannot say (folders, overflow).
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> hintedPaths = new(StringComparer.Ordinal);
    private int fullScanRequested;
    private TimeSpan lastFullScan;
    private readonly Dictionary<string, (ScannedFile Stamp, ParsedFile Parsed)> tracked = new(StringComparer.Ordinal);
    private readonly Lock gate = new();
    private readonly CancellationTokenSource stopping = new();
    private HashSet<string> misplaced = new(StringComparer.Ordinal);
    private List<ContentError> misplacedErrors = [];
    private HashSet<string> reportedErrors = [];
    private ContentSnapshot? snapshot;
    private FileSystemWatcher? watcher;
    private Task? loop;
    private bool folderMissingReported;

    public ContentReloader(IOptions<VerdictsOptions> options, ContentImporter importer,
        ILogger<ContentReloader> logger, TimeProvider time)
    {
        root = options.Value.ContentPath;
        rescanInterval = TimeSpan.FromSeconds(options.Value.RescanSeconds);
        watchFiles = options.Value.WatchFiles;
        this.importer = importer;
        this.logger = logger;
        this.time = time;
    }

    /// <summary>Raised after each import that changed something, on the reload thread.</summary>
    public event Action? Reloaded;

    public ContentSnapshot Snapshot => Volatile.Read(ref snapshot) ?? ContentSnapshot.Empty;

    public DateTimeOffset? LastReload { get; private set; }

    /// <summary>Counts imports; lets a caller that changed a file wait until the site has taken it in.</summary>
    public long Generation => Interlocked.Read(ref generation);

    private long generation;

    public string ContentRoot => root;

    /// <summary>How far the first load has read, for `import`'s progress line.</summary>
    public ContentProgress FirstLoadProgress { get; } = new();

    public Task StartAsync(CancellationToken cancellationToken)
    {
        SafeReload(QuietPeriod, null);
        // The first load parses every file and leaves most of what it allocated behind as garbage, with the heap grown
        // to hold it. Collect and give that memory back once, before serving, so the site's peak memory stays low.
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
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
    // collector (it holds no timer), so a late StopAsync or a pending settle delay never meets a disposed one.
    public void Dispose()
    {
        stopping.Cancel();
        watcher?.Dispose();
    }

    public void RequestReload()
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

    /// <summary>
    /// Scans now, on the caller's thread, without waiting for recently written files to settle: for writers
    /// such as the admin editor whose writes are atomic renames, so the next page already shows the change.
    /// </summary>
    /// <param name="paths">The content-relative files the caller changed; without them the whole folder is scanned.</param>
    public void ReloadNow(IReadOnlyCollection<string>? paths = null) =>
        SafeReload(TimeSpan.Zero, paths is null ? null : new HashSet<string>(paths, StringComparer.Ordinal));

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
                    // Let a burst of saves (or an editor's write-then-rename) arrive before scanning.
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
            SafeReload(QuietPeriod, full ? null : paths.ToHashSet(StringComparer.Ordinal));
        }
    }

    private void SafeReload(TimeSpan quietPeriod, HashSet<string>? onlyPaths)
    {
        try
        {
            Reload(quietPeriod, onlyPaths);
        }
        catch (Exception ex)
        {
            // Whatever went wrong, the database still holds the last good content and the site goes on serving it.
            logger.LogError(ex, "Content reload failed; the site keeps serving the last good content");
        }
    }

    /// <param name="onlyPaths">The files the watcher named; null for a full scan of the folder.</param>
    private void Reload(TimeSpan quietPeriod, HashSet<string>? onlyPaths)
    {
        lock (gate)
        {
            if (!Directory.Exists(root))
            {
                if (!folderMissingReported)
                    logger.LogError("Content folder {ContentPath} does not exist; serving the content already in the database", root);
                folderMissingReported = true;
                return;
            }
            folderMissingReported = false;

            if (onlyPaths is not null && snapshot is not null && TryReplaceInPlace(onlyPaths, quietPeriod) is { } replaced)
            {
                if (!replaced)
                    return;
            }
            else if (!ReloadFolder(quietPeriod, onlyPaths))
            {
                return;
            }
        }
        Reloaded?.Invoke();
    }

    /// <returns>Whether anything changed.</returns>
    private bool ReloadFolder(TimeSpan quietPeriod, HashSet<string>? onlyPaths)
    {
        List<ScannedFile> scanned;
        if (onlyPaths is null || snapshot is null)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            scanned = ContentFolder.Scan(root);
            lastFullScan = clock.Elapsed;
        }
        else
        {
            // Everything as it was, except the named files, looked at afresh (gone if they no longer exist).
            scanned = tracked.Values.Select(t => t.Stamp).Where(s => !onlyPaths.Contains(s.Path))
                .Concat(misplaced.Where(p => !onlyPaths.Contains(p)).Select(p => new ScannedFile(p, 0, default, false)))
                .Concat(onlyPaths.Select(p => ContentFolder.Stat(root, p)).OfType<ScannedFile>())
                .ToList();
        }
        var now = time.GetUtcNow();
        var settling = false;
        var files = new List<ParsedFile>(scanned.Count);
        var toRead = new List<(ScannedFile File, ContentKind Kind)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in scanned)
        {
            if (ContentParser.KindOf(file.Path) is not { } kind)
                continue;
            seen.Add(file.Path);
            var known = tracked.TryGetValue(file.Path, out var entry);
            if (known && entry.Stamp == file)
            {
                files.Add(entry.Parsed);
            }
            else if (now - file.LastWriteUtc < quietPeriod && snapshot is not null)
            {
                settling = true;
                if (known)
                    files.Add(entry.Parsed);
            }
            else
            {
                toRead.Add((file, kind));
            }
        }
        var misplacedNow = ContentChecker.Misplaced(scanned).ToList();
        var misplacedPaths = misplacedNow.Select(e => e.Path).ToHashSet(StringComparer.Ordinal);
        if (snapshot is null)
        {
            // Nothing loaded yet, so every file was read: parse, resolve and write them together.
            misplacedErrors = misplacedNow;
            misplaced = misplacedPaths;
            LoadEverything(toRead, now);
            return true;
        }
        var justRead = toRead.AsParallel().Select(f => (Stamp: f.File, Parsed: ContentFolder.Read(root, f.File, f.Kind))).ToList();
        files.AddRange(justRead.Select(r => r.Parsed));
        var gone = tracked.Keys.Where(p => !seen.Contains(p)).ToList();
        if (settling)
            HintLater(scanned.Where(f => now - f.LastWriteUtc < quietPeriod).Select(f => f.Path).ToList());
        if (justRead.Count == 0 && gone.Count == 0 && misplacedPaths.SetEquals(misplaced))
            return false;

        misplacedErrors = misplacedNow;
        misplaced = misplacedPaths;
        Commit(ContentResolver.Resolve(files, LastGood, snapshot), justRead, gone, now);
        return true;
    }

    /// <summary>
    /// The usual edit: files that already loaded are saved again, still valid, with nothing another file depends on
    /// changed (a tool keeps its aliases and draft state; a comparison's tools are all still there). Such files are
    /// swapped into the snapshot as they are, without resolving every file again. Returns null when the edit needs
    /// the whole folder's rules (a file added, deleted, broken or moved); true when something was replaced.
    /// </summary>
    private bool? TryReplaceInPlace(HashSet<string> paths, TimeSpan quietPeriod)
    {
        var current = snapshot!;
        var now = time.GetUtcNow();
        var replaced = new List<(ScannedFile Stamp, ParsedFile Parsed)>();
        var settling = new List<string>();
        foreach (var path in paths)
        {
            var stamp = ContentFolder.Stat(root, path);
            if (ContentParser.KindOf(path) is not { } kind)
            {
                // Not content; it only matters if it is a stray Markdown file appearing or going away.
                if (ContentParser.IsMisplaced(path) && (stamp is not null) != misplaced.Contains(path))
                    return null;
                continue;
            }
            if (stamp is null || !tracked.TryGetValue(path, out var entry))
                return null;
            if (entry.Stamp == stamp)
                continue;
            if (now - stamp.LastWriteUtc < quietPeriod)
            {
                settling.Add(path);
                continue;
            }
            var parsed = ContentFolder.Read(root, stamp, kind);
            if (parsed.Sha256 == entry.Parsed.Sha256)
            {
                // Touched, or saved without a change: only its stamp is new.
                tracked[path] = (stamp, entry.Parsed);
                continue;
            }
            if (!CanReplaceInPlace(current, entry.Parsed, parsed))
                return null;
            replaced.Add((stamp, parsed));
        }
        if (settling.Count > 0)
            HintLater(settling);
        if (replaced.Count == 0)
            return false;

        var byPath = replaced.ToDictionary(r => r.Parsed.Path, r => r.Parsed, StringComparer.Ordinal);
        var next = new ContentSnapshot
        {
            Tools = Replace(current.Tools, replaced),
            Reviewers = Replace(current.Reviewers, replaced),
            Verdicts = Replace(current.Verdicts, replaced),
            Comparisons = Replace(current.Comparisons, replaced),
            Files = current.Files.Select(f => byPath.TryGetValue(f.Path, out var p) ? f with { Sha256 = p.Sha256 } : f).ToList(),
            Errors = current.Errors,
        };
        Commit(next, replaced, [], now);
        return true;
    }

    private static bool CanReplaceInPlace(ContentSnapshot current, ParsedFile before, ParsedFile after) =>
        after.IsValid && current.AcceptedAt(before.Path, before.Kind) is { } accepted && accepted.Sha256 == before.Sha256
        && ContentResolver.FitsInPlace(current, accepted, after.Document!);

    private static IReadOnlyDictionary<string, T> Replace<T>(IReadOnlyDictionary<string, T> documents, List<(ScannedFile Stamp, ParsedFile Parsed)> replaced)
        where T : ContentDocument
    {
        var mine = replaced.Select(r => r.Parsed.Document).OfType<T>().ToList();
        if (mine.Count == 0)
            return documents;
        var copy = new Dictionary<string, T>(documents, StringComparer.OrdinalIgnoreCase);
        foreach (var document in mine)
            copy[document.Slug] = document;
        return copy;
    }

    /// <summary>
    /// The first load: files are parsed on every core and handed over in resolve order, and each is judged and written
    /// as soon as it arrives, so the single writer works while the parsers do rather than after them. Each document
    /// lets its rendered text go once written. If the write fails nothing is remembered, so the next scan starts over.
    /// </summary>
    private void LoadEverything(List<(ScannedFile File, ContentKind Kind)> toRead, DateTimeOffset now)
    {
        var ordered = ContentResolver.InResolveOrder(toRead, f => f.File.Path, f => f.Kind).ToList();
        var justRead = new List<(ScannedFile Stamp, ParsedFile Parsed)>(ordered.Count);
        FirstLoadProgress.Begin(ordered.Count);
        ContentSnapshot next;
        using (var import = importer.BeginFullImport(now))
        {
            var resolution = new ContentResolution(ordered.Where(f => f.Kind == ContentKind.Tool).Select(f => f.File.Path),
                path => StoredLastGood(path, import));
            var i = 0;
            foreach (var parsed in ContentFolder.ReadInOrder(root, ordered))
            {
                FirstLoadProgress.Add(parsed);
                var (status, accepted) = resolution.Add(parsed);
                import.Add(status, accepted, parsed.Source);
                accepted?.Body.DropRendering();
                parsed.Document?.Body.DropRendering();
                justRead.Add((ordered[i++].File, parsed.Source is null ? parsed : parsed with { Source = null }));
            }
            next = resolution.Finish();
            import.Commit(next, misplacedErrors);
        }
        Publish(next, justRead, [], now);
    }

    /// <summary>
    /// Writes the snapshot, then serves it and remembers the files as read. If the write fails nothing is remembered,
    /// so the next scan reads those files again. A file's text is kept only until it is stored.
    /// </summary>
    private void Commit(ContentSnapshot next, List<(ScannedFile Stamp, ParsedFile Parsed)> justRead, List<string> gone, DateTimeOffset now)
    {
        var sources = justRead.Select(r => r.Parsed).Where(p => p.Source is not null).ToDictionary(p => p.Path, StringComparer.Ordinal);
        importer.Import(snapshot!, next, misplacedErrors, now, file => SourceOf(file, sources));
        foreach (var (_, parsed) in justRead)
        {
            // Written now: the site serves the rendered text from the database, so memory keeps only the Markdown.
            parsed.Document?.Body.DropRendering();
        }
        Publish(next, [.. justRead.Select(r => (r.Stamp, r.Parsed.Source is null ? r.Parsed : r.Parsed with { Source = null }))], gone, now);
    }

    /// <summary>After a committed import: remember the files as read, report the errors, and serve the new snapshot.</summary>
    private void Publish(ContentSnapshot next, List<(ScannedFile Stamp, ParsedFile Parsed)> justRead, List<string> gone, DateTimeOffset now)
    {
        foreach (var (stamp, parsed) in justRead)
            tracked[stamp.Path] = (stamp, parsed);
        foreach (var path in gone)
            tracked.Remove(path);
        Report(next.Errors.Concat(misplacedErrors));
        Volatile.Write(ref snapshot, next);
        LastReload = now;
        Interlocked.Increment(ref generation);
        logger.LogInformation("Content loaded: {Tools} tools, {Reviewers} reviewers, {Verdicts} verdicts, {Comparisons} comparisons, {Errors} errors",
            next.Tools.Count, next.Reviewers.Count, next.Verdicts.Count, next.Comparisons.Count, next.Errors.Count + misplacedErrors.Count);
    }

    /// <summary>
    /// The text of an accepted file. A file can become accepted without having changed (say its tool came back);
    /// its text is then read again, and kept only if it is still the version that was accepted.
    /// </summary>
    private byte[]? SourceOf(FileStatus file, Dictionary<string, ParsedFile> justRead)
    {
        if (justRead.TryGetValue(file.Path, out var parsed))
            return parsed.Sha256 == file.Sha256 ? parsed.Source : null;
        if (ContentFolder.Stat(root, file.Path) is not { } stamp)
            return null;
        var again = ContentFolder.Read(root, stamp, file.Kind);
        return again.Sha256 == file.Sha256 ? again.Source : null;
    }

    private void HintLater(List<string> paths) =>
        _ = Task.Delay(QuietPeriod + TimeSpan.FromMilliseconds(5), stopping.Token)
            .ContinueWith(_ => paths.ForEach(p => Hint(root + "/" + p)), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);

    private ContentDocument? LastGood(string path) =>
        ContentParser.KindOf(path) is { } kind ? Snapshot.AcceptedAt(path, kind) : null;

    /// <summary>
    /// Straight after a restart, the last good version of a broken file is the one the database kept. It is read through
    /// the first load's own transaction: a new database is written through a rollback journal, whose writer can lock
    /// other connections out until it commits.
    /// </summary>
    private static ContentDocument? StoredLastGood(string path, ContentImporter.FullImport import)
    {
        if (ContentParser.KindOf(path) is not { } kind)
            return null;
        var source = import.GoodSource(path);
        return source is null ? null : ContentParser.Parse(path, kind, Encoding.UTF8.GetBytes(source)).Document;
    }

    private void Report(IEnumerable<ContentError> errors)
    {
        var current = errors.Select(e => e.ToString()).ToHashSet(StringComparer.Ordinal);
        foreach (var error in current.Where(e => !reportedErrors.Contains(e)))
            logger.LogWarning("{ContentError}", error);
        reportedErrors = current;
    }

    private void StartWatcher()
    {
        if (!watchFiles || !Directory.Exists(root))
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
                RequestReload();
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
