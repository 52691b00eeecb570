using System.Text;
using Microsoft.Extensions.Options;

namespace Verdicts.Web.Content;

/// <summary>
/// Keeps the database in step with the content folder through one pipeline: scan, parse what changed, resolve what
/// the change touches, import what differs. The first load at start-up is the same pipeline with nothing known yet; a single edit is
/// a scan of the files the watcher named, and costs what it touches, not what the folder holds. <see cref="ContentWatcher"/>
/// says when to run it.
/// </summary>
public sealed class ContentReloader(IOptions<VerdictsOptions> options, ContentImporter importer, ILogger<ContentReloader> logger, TimeProvider time)
    : IHostedService
{
    /// <summary>A file written this recently may still be half-written: its previous version is kept until it settles.</summary>
    public static readonly TimeSpan QuietPeriod = TimeSpan.FromMilliseconds(10);

    private readonly string root = options.Value.ContentPath;
    private readonly Dictionary<string, (ScannedFile Stamp, ParsedFile Parsed)> tracked = new(StringComparer.Ordinal);
    private readonly Lock gate = new();
    private HashSet<string> misplaced = new(StringComparer.Ordinal);
    private HashSet<string> reportedErrors = [];
    private ContentSnapshot? snapshot;
    private bool folderMissingReported;
    private long generation;

    /// <summary>Raised after each import that changed something, on the reload thread.</summary>
    public event Action? Reloaded;

    public ContentSnapshot Snapshot => Volatile.Read(ref snapshot) ?? ContentSnapshot.Empty;

    public DateTimeOffset? LastReload { get; private set; }

    /// <summary>Counts imports; lets a caller that changed a file wait until the site has taken it in.</summary>
    public long Generation => Interlocked.Read(ref generation);

    public string ContentRoot => root;

    /// <summary>How far the first load has read, for `import`'s progress line.</summary>
    public ContentProgress FirstLoadProgress { get; } = new();

    public Task StartAsync(CancellationToken cancellationToken)
    {
        Reload(null, QuietPeriod);
        FirstLoadGarbage.Release(Snapshot.Files.Count);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Scans now, on the caller's thread, without waiting for recently written files to settle: for writers
    /// such as the admin editor whose writes are atomic renames, so the next page already shows the change.
    /// </summary>
    /// <param name="paths">The content-relative files the caller changed; without them the whole folder is scanned.</param>
    public void ReloadNow(IReadOnlyCollection<string>? paths = null) => Reload(paths, TimeSpan.Zero);

    /// <summary>Runs the pipeline once; never throws, since the database still holds the last good content.</summary>
    /// <param name="paths">The files known to have changed; null to scan the whole folder.</param>
    /// <returns>The files written too recently to read yet, to look at again once they settle.</returns>
    public IReadOnlyList<string> Reload(IReadOnlyCollection<string>? paths, TimeSpan? quietPeriod = null)
    {
        try
        {
            List<string> settling;
            lock (gate)
            {
                if (!Import(paths, quietPeriod ?? QuietPeriod, out settling))
                    return settling;
            }
            Reloaded?.Invoke();
            return settling;
        }
        catch (Exception ex)
        {
            // Whatever went wrong, the database still holds the last good content and the site goes on serving it.
            logger.LogError(ex, "Content reload failed; the site keeps serving the last good content");
            return [];
        }
    }

    /// <returns>Whether anything changed.</returns>
    private bool Import(IReadOnlyCollection<string>? paths, TimeSpan quietPeriod, out List<string> settling)
    {
        settling = [];
        if (!Directory.Exists(root))
        {
            if (!folderMissingReported)
                logger.LogError("Content folder {ContentPath} does not exist; serving the content already in the database", root);
            folderMissingReported = true;
            return false;
        }
        folderMissingReported = false;

        // Scan: the whole folder, or only the named files.
        var previous = snapshot;
        var named = paths?.ToHashSet(StringComparer.Ordinal);
        var whole = named is null || previous is null;
        var scanned = whole ? ContentFolder.Scan(root) : [.. named!.Select(p => ContentFolder.Stat(root, p)).OfType<ScannedFile>()];
        var now = time.GetUtcNow();
        // Every file, for a first load; after that only what changed is handed on.
        var files = previous is null ? new List<ParsedFile>(scanned.Count) : null;
        var toRead = new List<(ScannedFile File, ContentKind Kind)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var untracked = new List<ScannedFile>();
        foreach (var file in scanned)
        {
            // A file read before needs no second look at its name: it is content, of the kind it was.
            var known = tracked.TryGetValue(file.Path, out var entry);
            if (known && entry.Stamp == file)
            {
                seen.Add(file.Path);
                files?.Add(entry.Parsed);
                continue;
            }
            if (!known)
                untracked.Add(file);
            if (ContentParser.KindOf(file.Path) is not { } kind)
                continue;
            seen.Add(file.Path);
            if (previous is not null && now - file.LastWriteUtc < quietPeriod)
                settling.Add(file.Path);
            else
                toRead.Add((file, kind));
        }
        var misplacedErrors = ContentChecker.Misplaced(untracked).ToList();
        var misplacedNow = misplacedErrors.Select(e => e.Path).ToHashSet(StringComparer.Ordinal);
        if (!whole)
        {
            // Files not named this time keep the place they had.
            misplacedNow.UnionWith(misplaced.Where(p => !named!.Contains(p)));
            misplacedErrors = [.. misplacedNow.Select(p => new ContentError(p, 1, 1, ContentParser.NotLoadedBecause(p)))];
        }

        // Parse what is new or changed; a file saved again unchanged only gets its new stamp.
        var justRead = ContentFolder.ReadAll(root, toRead, previous is null ? FirstLoadProgress : null);
        var changed = new List<(ScannedFile Stamp, ParsedFile Parsed)>();
        foreach (var (stamp, parsed) in justRead)
        {
            if (tracked.TryGetValue(stamp.Path, out var entry) && entry.Parsed.Sha256 == parsed.Sha256)
            {
                tracked[stamp.Path] = (stamp, entry.Parsed);
                files?.Add(entry.Parsed);
            }
            else
            {
                changed.Add((stamp, parsed));
                files?.Add(parsed);
            }
        }
        var gone = (whole ? tracked.Keys : named!.Where(tracked.ContainsKey)).Where(p => !seen.Contains(p)).ToList();
        if (previous is not null && changed.Count == 0 && gone.Count == 0 && misplacedNow.SetEquals(misplaced))
            return false;

        // Resolve: every file on the first load; after that, only the files the change can touch. Then import what
        // differs from what the database holds.
        var changedPaths = changed.Select(c => c.Stamp.Path).Concat(gone).ToHashSet(StringComparer.Ordinal);
        var changedFiles = changed.ToDictionary(c => c.Stamp.Path, c => c.Parsed, StringComparer.Ordinal);
        ParsedFile? FileAt(string path) =>
            changedFiles.TryGetValue(path, out var file) ? file : changedPaths.Contains(path) ? null : tracked.GetValueOrDefault(path).Parsed;
        var next = previous is null
            ? ContentResolver.Resolve(files!, StoredLastGood)
            : ContentResolver.ResolveEdit(previous, FileAt, changedPaths,
                changedPaths.Select(path => tracked.GetValueOrDefault(path).Parsed).OfType<ParsedFile>(), path => LastGood(previous, path));
        importer.Import(previous, next, misplacedErrors, now, file => SourceOf(file, changedFiles));

        // Written: the site serves the rendered text from the database, so memory keeps only the Markdown, and a
        // file's text is kept only until it is stored. If the import failed, nothing is remembered and the next scan
        // reads those files again.
        var written = next.Edit is { } edit
            ? edit.Rejudged.Select(path => ContentParser.KindOf(path) is { } kind ? next.AcceptedAt(path, kind) : null).OfType<ContentDocument>()
            : next.Documents;
        foreach (var document in written)
            document.Body.DropRendering();
        foreach (var (stamp, parsed) in changed)
            tracked[stamp.Path] = (stamp, parsed with { Source = null });
        foreach (var path in gone)
            tracked.Remove(path);
        misplaced = misplacedNow;
        Report(next.Errors.Concat(misplacedErrors));
        Volatile.Write(ref snapshot, next);
        LastReload = now;
        Interlocked.Increment(ref generation);
        logger.LogInformation("Content loaded: {Tools} tools, {Reviewers} reviewers, {Verdicts} verdicts, {Comparisons} comparisons, {Errors} errors",
            next.Tools.Count, next.Reviewers.Count, next.Verdicts.Count, next.Comparisons.Count, next.Errors.Count + misplacedErrors.Count);
        return true;
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

    private static ContentDocument? LastGood(ContentSnapshot live, string path) =>
        ContentParser.KindOf(path) is { } kind ? live.AcceptedAt(path, kind) : null;

    /// <summary>Straight after a restart, the last good version of a broken file is the one the database kept.</summary>
    private ContentDocument? StoredLastGood(string path)
    {
        if (ContentParser.KindOf(path) is not { } kind)
            return null;
        var source = importer.StoredGoodSource(path);
        return source is null ? null : ContentParser.Parse(path, kind, Encoding.UTF8.GetBytes(source)).Document;
    }

    private void Report(IEnumerable<ContentError> errors)
    {
        var current = errors.Select(e => e.ToString()).ToHashSet(StringComparer.Ordinal);
        foreach (var error in current.Where(e => !reportedErrors.Contains(e)))
            logger.LogWarning("{ContentError}", error);
        reportedErrors = current;
    }
}
