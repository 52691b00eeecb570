namespace Verdicts.Web.Content;

public enum FileState { Loaded, Draft, Stale, Rejected }

/// <summary>How one file fared: Stale means its current text was rejected and its last good version is served.</summary>
public sealed record FileStatus(string Path, ContentKind Kind, FileState State, string Sha256);

/// <summary>Everything that loaded, after the cross-file rules, plus every error found on the way.</summary>
public sealed class ContentSnapshot
{
    public required IReadOnlyDictionary<string, ToolDocument> Tools { get; init; }
    public required IReadOnlyDictionary<string, ReviewerDocument> Reviewers { get; init; }
    public required IReadOnlyDictionary<string, VerdictDocument> Verdicts { get; init; }
    public required IReadOnlyDictionary<string, ComparisonDocument> Comparisons { get; init; }
    public required IReadOnlyList<FileStatus> Files { get; init; }
    public required IReadOnlyList<ContentError> Errors { get; init; }

    /// <summary>The slugs a live tool held while other files claimed them when this snapshot was resolved.</summary>
    public IReadOnlyDictionary<string, ContestedSlug> Contested { get; init; } = new Dictionary<string, ContestedSlug>();

    /// <summary>For a snapshot resolved after an edit, the snapshot it continued and the files judged again: every file
    /// outside them kept its outcome, so the importer compares only these.</summary>
    public ContentEdit? Edit { get; init; }

    private static long lastId;

    /// <summary>Tells this snapshot from every other made in this process.</summary>
    public long Id { get; } = Interlocked.Increment(ref lastId);

    public static ContentSnapshot Empty { get; } = new()
    {
        Tools = new Dictionary<string, ToolDocument>(),
        Reviewers = new Dictionary<string, ReviewerDocument>(),
        Verdicts = new Dictionary<string, VerdictDocument>(),
        Comparisons = new Dictionary<string, ComparisonDocument>(),
        Files = [],
        Errors = [],
    };

    /// <summary>The state of the file at <paramref name="path"/>, found by a binary search of <see cref="Files"/> (in resolve order).</summary>
    public FileStatus? StatusAt(string path)
    {
        if (ContentParser.KindOf(path) is not { } kind)
            return null;
        int low = 0, high = Files.Count - 1;
        while (low <= high)
        {
            var middle = low + (high - low) / 2;
            var order = ContentResolver.Rank(Files[middle].Kind).CompareTo(ContentResolver.Rank(kind)) is var rank and not 0
                ? rank
                : string.CompareOrdinal(Files[middle].Path, path);
            if (order == 0)
                return Files[middle];
            if (order < 0)
                low = middle + 1;
            else
                high = middle - 1;
        }
        return null;
    }

    public IEnumerable<ContentDocument> Documents =>
        Tools.Values.Concat<ContentDocument>(Reviewers.Values).Concat(Verdicts.Values).Concat(Comparisons.Values);

    /// <summary>The accepted document a file holds (its current or its last good version), found by its key rather than through a path index of everything.</summary>
    public ContentDocument? AcceptedAt(string path, ContentKind kind)
    {
        var parts = path.Split('/');
        var slug = System.IO.Path.GetFileNameWithoutExtension(parts[^1]);
        ContentDocument? document = kind switch
        {
            ContentKind.Tool => Tools.GetValueOrDefault(slug),
            ContentKind.Reviewer => Reviewers.GetValueOrDefault(slug),
            ContentKind.Verdict when parts.Length == 3 => Verdicts.GetValueOrDefault($"{parts[1]}/{slug}"),
            ContentKind.Comparison => Comparisons.GetValueOrDefault(slug),
            _ => null,
        };
        // Two files may claim one slug; only the one whose document this is has it as its source.
        return document?.Path == path ? document : null;
    }
}

/// <summary>
/// Applies the rules that span files, in dependency order (reviewers, tools, verdicts, comparisons), so that
/// each file is judged against what was already accepted. A file whose current text fails falls back to its
/// last good version when that version still fits; only the current text's errors are reported.
/// </summary>
public static class ContentResolver
{
    /// <param name="live">The snapshot being served, if any: a slug or alias one of its tools holds stays with that tool
    /// when another file claims it too, rather than going to whichever file sorts first.</param>
    public static ContentSnapshot Resolve(IEnumerable<ParsedFile> files, Func<string, ContentDocument?> lastGood, ContentSnapshot? live = null)
    {
        var ordered = InResolveOrder(files, f => f.Path, f => f.Kind).ToList();
        var resolution = new ContentResolution(ordered.Where(f => f.Kind == ContentKind.Tool).Select(f => f.Path), lastGood,
            live is null ? null : ContestedSlugs(ordered, lastGood, live));
        foreach (var file in ordered)
            resolution.Add(file);
        return resolution.Finish();
    }

    /// <summary>
    /// Resolves after an edit by judging again only the files the edit can touch: the changed files, every file sharing
    /// a slug or an alias with them, and the verdicts and comparisons naming those, until no more are drawn in. Every
    /// other file keeps its outcome in <paramref name="live"/>, since each rule compares only files that share a key.
    /// Gives the snapshot <see cref="Resolve"/> would give over every file (ContentResolverTests checks this on random
    /// edits), without judging a hundred thousand files again for one save.
    /// </summary>
    /// <param name="files">Every file on disk now, in any order.</param>
    /// <param name="changed">The paths added, changed or gone since <paramref name="live"/>.</param>
    /// <param name="replaced">The versions of those files that <paramref name="live"/> was resolved from: what they claimed
    /// before counts too, even when it was refused (its refusal left errors on the files it clashed with).</param>
    /// <param name="lastGood">As for <see cref="Resolve"/>: in the reloader, what <paramref name="live"/> accepted at that path.</param>
    public static ContentSnapshot ResolveEdit(ContentSnapshot live, IReadOnlyList<ParsedFile> files, IReadOnlySet<string> changed,
        IEnumerable<ParsedFile> replaced, Func<string, ContentDocument?> lastGood)
    {
        // Files in a contest for a slug, now or when live was resolved, are judged afresh each time, as the whole resolve
        // does: which tool holds a slug changes with what is live, not only with the files that name it.
        var contested = ContestedSlugs([.. files.Where(f => f.Kind == ContentKind.Tool)], lastGood, live);
        var affected = new HashSet<string>(changed, StringComparer.Ordinal);
        affected.UnionWith(contested.Values.Concat(live.Contested.Values).SelectMany(c => c.Claimants.Append(c.Holder)));
        var keys = new EditKeys();
        var present = files.Where(f => affected.Contains(f.Path)).ToDictionary(f => f.Path, StringComparer.Ordinal);
        foreach (var path in affected)
            keys.AddOwnKeys(path, present.GetValueOrDefault(path), live, lastGood);
        foreach (var file in replaced.Where(f => f.Kind == ContentKind.Tool))
            keys.AddClaims(file, lastGood);
        // A tool drawn in may lose or win a slug, which touches the files naming that slug in turn.
        var grew = true;
        while (grew)
        {
            grew = false;
            foreach (var file in files)
            {
                if (affected.Contains(file.Path) || !keys.Touches(file, lastGood))
                    continue;
                affected.Add(file.Path);
                if (file.Kind == ContentKind.Tool)
                    grew |= keys.AddClaims(file, lastGood);
            }
        }

        var judged = InResolveOrder(files.Where(f => affected.Contains(f.Path)), f => f.Path, f => f.Kind).ToList();
        var resolution = ContentResolution.Continuing(live, affected, files.Where(f => f.Kind == ContentKind.Tool).Select(f => f.Path), lastGood,
            contested);
        foreach (var file in judged)
            resolution.Add(file);
        return resolution.Finish();
    }

    /// <summary>The slugs an edit touches, by kind, and whether a file depends on one of them.</summary>
    private sealed class EditKeys
    {
        private readonly HashSet<string> tools = new(StringComparer.OrdinalIgnoreCase);
        private readonly HashSet<string> reviewers = new(StringComparer.OrdinalIgnoreCase);
        private readonly HashSet<string> verdicts = new(StringComparer.OrdinalIgnoreCase);
        private readonly HashSet<string> comparisons = new(StringComparer.OrdinalIgnoreCase);

        public void AddOwnKeys(string path, ParsedFile? now, ContentSnapshot live, Func<string, ContentDocument?> lastGood)
        {
            if (ContentParser.KindOf(path) is not { } kind)
                return;
            var slug = SlugOf(path);
            switch (kind)
            {
                case ContentKind.Tool:
                    tools.Add(slug);
                    // What the file claimed before the edit, and what it claims now.
                    if (live.AcceptedAt(path, kind) is ToolDocument served)
                        tools.UnionWith(ClaimsOf(served));
                    if (now is not null)
                        AddClaims(now, lastGood);
                    break;
                case ContentKind.Reviewer:
                    reviewers.Add(slug);
                    break;
                case ContentKind.Verdict:
                    verdicts.Add(VerdictKey(path));
                    break;
                default:
                    comparisons.Add(slug);
                    break;
            }
        }

        /// <returns>Whether a slug was new.</returns>
        public bool AddClaims(ParsedFile tool, Func<string, ContentDocument?> lastGood)
        {
            var grew = tools.Add(SlugOf(tool.Path));
            foreach (var claim in ClaimsOfFile(tool, lastGood))
                grew |= tools.Add(claim);
            return grew;
        }

        public bool Touches(ParsedFile file, Func<string, ContentDocument?> lastGood)
        {
            switch (file.Kind)
            {
                case ContentKind.Tool:
                    return tools.Contains(SlugOf(file.Path)) || ClaimsOfFile(file, lastGood).Any(tools.Contains);
                case ContentKind.Reviewer:
                    return reviewers.Contains(SlugOf(file.Path));
                case ContentKind.Verdict:
                    var parts = file.Path.Split('/');
                    return verdicts.Contains(VerdictKey(file.Path))
                        || parts.Length == 3 && (tools.Contains(parts[1]) || reviewers.Contains(SlugOf(parts[2])));
                default:
                    return comparisons.Contains(SlugOf(file.Path))
                        || NamedTools(file.Document).Concat(NamedTools(lastGood(file.Path))).Any(tools.Contains);
            }
        }

        private static IEnumerable<string> ClaimsOfFile(ParsedFile tool, Func<string, ContentDocument?> lastGood) =>
            (tool.Document is ToolDocument current ? ClaimsOf(current) : [])
                .Concat(lastGood(tool.Path) is ToolDocument good ? ClaimsOf(good) : []);

        private static IEnumerable<string> NamedTools(ContentDocument? document) =>
            document is ComparisonDocument comparison ? comparison.Tools.Select(t => t.Slug) : [];

        private static string SlugOf(string path) => System.IO.Path.GetFileNameWithoutExtension(path);

        private static string VerdictKey(string path) => path.Split('/') is { Length: 3 } parts ? $"{parts[1]}/{SlugOf(parts[2])}" : path;
    }

    /// <summary>
    /// The slugs (a tool's own or an alias) that a live tool holds and another tool file now claims too, each with the
    /// file holding it and the files claiming it. A tool claims what the version it would be served in names.
    /// </summary>
    private static Dictionary<string, ContestedSlug> ContestedSlugs(List<ParsedFile> files, Func<string, ContentDocument?> lastGood, ContentSnapshot live)
    {
        var holders = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var tool in live.Tools.Values)
        {
            foreach (var slug in ClaimsOf(tool))
                holders[slug] = tool.Path;
        }
        var claimants = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var file in files.Where(f => f.Kind == ContentKind.Tool))
        {
            if ((file.IsValid ? file.Document : lastGood(file.Path)) is not ToolDocument served)
                continue;
            foreach (var slug in ClaimsOf(served))
            {
                if (!claimants.TryGetValue(slug, out var paths))
                    claimants[slug] = paths = [];
                paths.Add(file.Path);
            }
        }
        return claimants
            .Where(c => c.Value.Count > 1 && holders.TryGetValue(c.Key, out var holder) && c.Value.Contains(holder))
            .ToDictionary(c => c.Key, c => new ContestedSlug(holders[c.Key], [.. c.Value.Where(p => p != holders[c.Key])]), StringComparer.OrdinalIgnoreCase);
    }

    private static IEnumerable<string> ClaimsOf(ToolDocument tool) => tool.Aliases.Select(a => a.Slug).Prepend(tool.Slug);

    /// <summary>The order files must be resolved in: by kind (reviewers, tools, verdicts, comparisons), then by path.</summary>
    public static IEnumerable<T> InResolveOrder<T>(IEnumerable<T> items, Func<T, string> pathOf, Func<T, ContentKind> kindOf) =>
        items.OrderBy(i => Rank(kindOf(i))).ThenBy(pathOf, StringComparer.Ordinal);

    internal static int Rank(ContentKind kind) => kind switch
    {
        ContentKind.Reviewer => 0,
        ContentKind.Tool => 1,
        ContentKind.Verdict => 2,
        _ => 3,
    };
}

/// <summary>
/// The cross-file rules applied one file at a time, for files handed over in <see cref="ContentResolver.InResolveOrder"/>:
/// each file's fate is known as soon as it is added, so a full import can write it while later files are still
/// being parsed. Every file's verdict depends only on files before it in that order.
/// </summary>
/// <param name="toolPaths">The paths of every tool file on disk, valid or not, so an alias can never shadow a tool that is only briefly broken.</param>
/// <param name="contested">Slugs a live tool holds that other files claim too: the holder keeps them, the others are refused.</param>
public sealed class ContentResolution(IEnumerable<string> toolPaths, Func<string, ContentDocument?> lastGood,
    IReadOnlyDictionary<string, ContestedSlug>? contested = null)
{
    private readonly HashSet<string> toolSlugs = toolPaths.Select(Path.GetFileNameWithoutExtension).OfType<string>().ToHashSet(StringComparer.OrdinalIgnoreCase);
    private readonly IReadOnlyDictionary<string, ContestedSlug> contested = contested ?? new Dictionary<string, ContestedSlug>();
    // The holder of a contested slug is told too, so whoever edits either file learns of the other.
    private readonly List<ContentError> errors = [.. (contested ?? new Dictionary<string, ContestedSlug>()).SelectMany(c => c.Value.Claimants.Select(claimant =>
        new ContentError(c.Value.Holder, 1, 1, $"'{c.Key}' is also claimed by {claimant}, which is not loaded while this tool holds it")))];
    private readonly List<FileStatus> statuses = [];
    private Dictionary<string, ReviewerDocument> reviewers = new(StringComparer.OrdinalIgnoreCase);
    private Dictionary<string, ToolDocument> tools = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string> aliases = new(StringComparer.OrdinalIgnoreCase);
    private Dictionary<string, VerdictDocument> verdicts = new(StringComparer.OrdinalIgnoreCase);
    private Dictionary<string, ComparisonDocument> comparisons = new(StringComparer.OrdinalIgnoreCase);
    private IReadOnlyList<FileStatus>? kept;
    private ContentEdit? edit;
    private (int Rank, string Path)? last;

    /// <summary>
    /// A resolution that starts from what <paramref name="live"/> accepted, less the <paramref name="judgedAgain"/> files,
    /// which are then added in resolve order (<see cref="ContentResolver.ResolveEdit"/>).
    /// </summary>
    public static ContentResolution Continuing(ContentSnapshot live, IReadOnlySet<string> judgedAgain, IEnumerable<string> toolPaths,
        Func<string, ContentDocument?> lastGood, IReadOnlyDictionary<string, ContestedSlug> contested)
    {
        var resolution = new ContentResolution(toolPaths, lastGood, contested)
        {
            reviewers = Without(live.Reviewers, judgedAgain),
            tools = Without(live.Tools, judgedAgain),
            verdicts = Without(live.Verdicts, judgedAgain),
            comparisons = Without(live.Comparisons, judgedAgain),
            kept = [.. live.Files.Where(f => !judgedAgain.Contains(f.Path))],
            edit = new ContentEdit(live.Id, judgedAgain),
        };
        foreach (var tool in resolution.tools.Values)
        {
            foreach (var alias in tool.Aliases)
                resolution.aliases[alias.Slug] = tool.Slug;
        }
        resolution.errors.AddRange(live.Errors.Where(e => !judgedAgain.Contains(e.Path)));
        return resolution;
    }

    // Copying a dictionary with its own comparer copies its arrays whole, far cheaper than adding each entry again.
    private static Dictionary<string, T> Without<T>(IReadOnlyDictionary<string, T> accepted, IReadOnlySet<string> paths) where T : ContentDocument
    {
        var copy = accepted is Dictionary<string, T> dictionary
            ? new Dictionary<string, T>(dictionary, dictionary.Comparer)
            : new Dictionary<string, T>(accepted, StringComparer.OrdinalIgnoreCase);
        foreach (var (key, document) in accepted)
        {
            if (paths.Contains(document.Path))
                copy.Remove(key);
        }
        return copy;
    }

    /// <summary>Judges one file; returns its status and the document accepted for it (its current or last good version), if any.</summary>
    public (FileStatus Status, ContentDocument? Accepted) Add(ParsedFile file)
    {
        var position = (ContentResolver.Rank(file.Kind), file.Path);
        if (last is { } before && (before.Rank > position.Item1 || before.Rank == position.Item1 && string.CompareOrdinal(before.Path, file.Path) >= 0))
            throw new InvalidOperationException($"{file.Path} was added out of resolve order, after {before.Path}");
        last = position;
        return file.Kind switch
        {
            ContentKind.Reviewer => Accept<ReviewerDocument>(file, r => reviewers.TryGetValue(r.Slug, out var other)
                ? [At(r, 1, 1, $"slug '{r.Slug}' is already used by {other.Path}")]
                : [], r => reviewers[r.Slug] = r),
            ContentKind.Tool => Accept<ToolDocument>(file, ToolProblems, t =>
            {
                tools[t.Slug] = t;
                foreach (var alias in t.Aliases)
                    aliases[alias.Slug] = t.Slug;
            }),
            ContentKind.Verdict => Accept<VerdictDocument>(file, VerdictProblems, v => verdicts[v.Slug] = v),
            _ => Accept<ComparisonDocument>(file, ComparisonProblems, c => comparisons[c.Slug] = c),
        };
    }

    public ContentSnapshot Finish() => new()
    {
        Tools = tools,
        Reviewers = reviewers,
        Verdicts = verdicts,
        Comparisons = comparisons,
        Files = kept is null ? statuses : InOrder(kept, statuses),
        Errors = errors,
        Contested = contested,
        Edit = edit,
    };

    /// <summary>Merges two lists of statuses, each in resolve order, into one in resolve order.</summary>
    private static List<FileStatus> InOrder(IReadOnlyList<FileStatus> first, IReadOnlyList<FileStatus> second)
    {
        var merged = new List<FileStatus>(first.Count + second.Count);
        int i = 0, j = 0;
        while (i < first.Count || j < second.Count)
        {
            if (j == second.Count || i < first.Count && Before(first[i], second[j]))
                merged.Add(first[i++]);
            else
                merged.Add(second[j++]);
        }
        return merged;
    }

    private static bool Before(FileStatus a, FileStatus b)
    {
        var rank = ContentResolver.Rank(a.Kind).CompareTo(ContentResolver.Rank(b.Kind));
        return rank < 0 || rank == 0 && string.CompareOrdinal(a.Path, b.Path) < 0;
    }

    private List<ContentError> VerdictProblems(VerdictDocument v)
    {
        var problems = new List<ContentError>();
        if (!tools.ContainsKey(v.ToolSlug))
            problems.Add(At(v, 1, 1, $"tool '{v.ToolSlug}' (the folder name) does not exist or was rejected"));
        if (!reviewers.ContainsKey(v.ReviewerSlug))
            problems.Add(At(v, 1, 1, $"reviewer '{v.ReviewerSlug}' (the file name) does not exist or was rejected"));
        if (verdicts.TryGetValue(v.Slug, out var other))
            problems.Add(At(v, 1, 1, $"this verdict is already given by {other.Path}"));
        return problems;
    }

    private List<ContentError> ComparisonProblems(ComparisonDocument c)
    {
        var problems = new List<ContentError>();
        if (comparisons.TryGetValue(c.Slug, out var other))
            problems.Add(At(c, 1, 1, $"slug '{c.Slug}' is already used by {other.Path}"));
        foreach (var tool in c.Tools)
        {
            if (!tools.TryGetValue(tool.Slug, out var found))
                problems.Add(At(c, tool.Line, tool.Column, $"tool '{tool.Slug}' does not exist or was rejected"));
            else if (found.Draft)
                problems.Add(At(c, tool.Line, tool.Column, $"tool '{tool.Slug}' is a draft and cannot be compared yet"));
            else if (found.Slug != tool.Slug)
                problems.Add(At(c, tool.Line, tool.Column, $"tool '{tool.Slug}' is spelled '{found.Slug}'"));
        }
        return problems;
    }

    private (FileStatus, ContentDocument?) Accept<T>(ParsedFile file, Func<T, IReadOnlyList<ContentError>> problemsOf, Action<T> add)
        where T : ContentDocument
    {
        errors.AddRange(file.Errors);
        if (file.IsValid && file.Document is T current)
        {
            var problems = problemsOf(current);
            if (problems.Count == 0)
            {
                add(current);
                return Status(new(file.Path, file.Kind, IsDraft(current) ? FileState.Draft : FileState.Loaded, file.Sha256), current);
            }
            errors.AddRange(problems);
        }
        if (lastGood(file.Path) is T previous && previous.Sha256 != file.Sha256 && problemsOf(previous).Count == 0)
        {
            add(previous);
            return Status(new(file.Path, file.Kind, FileState.Stale, file.Sha256), previous);
        }
        return Status(new(file.Path, file.Kind, FileState.Rejected, file.Sha256), null);
    }

    private (FileStatus, ContentDocument?) Status(FileStatus status, ContentDocument? accepted)
    {
        statuses.Add(status);
        return (status, accepted);
    }

    private static bool IsDraft(ContentDocument document) =>
        document is ToolDocument { Draft: true } or ComparisonDocument { Draft: true };

    private List<ContentError> ToolProblems(ToolDocument tool)
    {
        var problems = new List<ContentError>();
        if (contested.TryGetValue(tool.Slug, out var taken) && taken.Holder != tool.Path)
            problems.Add(At(tool, 1, 1, $"slug '{tool.Slug}' is already held by {taken.Holder}; this file is not loaded while that tool holds it"));
        foreach (var alias in tool.Aliases.Where(a => contested.TryGetValue(a.Slug, out var c) && c.Holder != tool.Path))
            problems.Add(At(tool, alias.Line, alias.Column, $"alias '{alias.Slug}' is already held by {contested[alias.Slug].Holder}; this file is not loaded while that tool holds it"));
        if (tools.TryGetValue(tool.Slug, out var other))
            problems.Add(At(tool, 1, 1, $"slug '{tool.Slug}' is already used by {other.Path}"));
        else if (aliases.TryGetValue(tool.Slug, out var holder))
            problems.Add(At(tool, 1, 1, $"slug '{tool.Slug}' is already an alias of tool '{holder}'"));
        foreach (var alias in tool.Aliases)
        {
            if (contested.TryGetValue(alias.Slug, out var held) && held.Holder == tool.Path)
                continue;
            if (toolSlugs.Contains(alias.Slug))
                problems.Add(At(tool, alias.Line, alias.Column, $"alias '{alias.Slug}' is the slug of another tool"));
            else if (aliases.TryGetValue(alias.Slug, out var owner))
                problems.Add(At(tool, alias.Line, alias.Column, $"alias '{alias.Slug}' is already an alias of tool '{owner}'"));
        }
        return problems;
    }

    private static ContentError At(ContentDocument document, int line, int column, string message) =>
        new(document.Path, line, column, message);
}

/// <summary>How a snapshot differs from the one it continued: only the files in <paramref name="Rejudged"/> may have another outcome.</summary>
/// <param name="From">The <see cref="ContentSnapshot.Id"/> of the snapshot continued (not the snapshot: each would hold its
/// predecessor, and so every snapshot ever served).</param>
public sealed record ContentEdit(long From, IReadOnlySet<string> Rejudged);

/// <summary>A slug that the live tool in <paramref name="Holder"/> holds and other tool files claim too.</summary>
public sealed record ContestedSlug(string Holder, IReadOnlyList<string> Claimants);
