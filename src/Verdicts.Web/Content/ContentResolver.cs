using System.Collections.Immutable;

namespace Verdicts.Web.Content;

public enum FileState { Loaded, Draft, Stale, Rejected }

/// <summary>How one file fared: Stale means its current text was rejected and its last good version is served.</summary>
public sealed record FileStatus(string Path, ContentKind Kind, FileState State, string Sha256);

/// <summary>
/// Everything that loaded, after the cross-file rules, plus every error found on the way. Made only by
/// <see cref="ContentResolution"/>; its collections are immutable, so the next snapshot shares what an edit left alone.
/// </summary>
public sealed class ContentSnapshot
{
    public required ImmutableDictionary<string, ToolDocument> Tools { get; init; }
    public required ImmutableDictionary<string, ReviewerDocument> Reviewers { get; init; }
    public required ImmutableDictionary<string, VerdictDocument> Verdicts { get; init; }
    public required ImmutableDictionary<string, ComparisonDocument> Comparisons { get; init; }

    /// <summary>Every content file's state, in resolve order (<see cref="ContentResolver.InResolveOrder"/>).</summary>
    public required ImmutableList<FileStatus> Files { get; init; }
    public required IReadOnlyList<ContentError> Errors { get; init; }

    /// <summary>The slugs a live tool held while other files claimed them when this snapshot was resolved.</summary>
    public IReadOnlyDictionary<string, ContestedSlug> Contested { get; init; } = new Dictionary<string, ContestedSlug>();

    /// <summary>For a snapshot resolved after an edit, the snapshot it continued and the files judged again: every file
    /// outside them kept its outcome, so the importer and the reloader look only at these.</summary>
    public ContentEdit? Edit { get; init; }

    /// <summary>The files judged again since <paramref name="previous"/>, when this snapshot continued it; else null.</summary>
    public IReadOnlySet<string>? RejudgedSince(ContentSnapshot? previous) =>
        Edit is { } edit && previous is not null && edit.From == previous.Id ? edit.Rejudged : null;

    private static long lastId;

    /// <summary>Tells this snapshot from every other made in this process.</summary>
    public long Id { get; } = Interlocked.Increment(ref lastId);

    public static ContentSnapshot Empty { get; } = new ContentResolution([], _ => null).Finish();

    /// <summary>The state of the file at <paramref name="path"/>, found by a binary search of <see cref="Files"/> (in resolve order).</summary>
    public FileStatus? StatusAt(string path) =>
        ContentParser.KindOf(path) is { } kind && FileOrder.Find(Files, kind, path) is >= 0 and var at ? Files[at] : null;

    /// <summary>What an edit's resolve looks up instead of reading every file.</summary>
    internal ResolveIndex Index { get; init; } = ResolveIndex.Empty;

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
    /// The files drawn in are found through <paramref name="live"/>'s <see cref="ResolveIndex"/>, so an edit costs what it
    /// touches, not what the folder holds. Gives the snapshot <see cref="Resolve"/> would give over every file
    /// (ContentResolverTests checks this on random edits).
    /// </summary>
    /// <param name="fileAt">The file on disk now at a path, or null.</param>
    /// <param name="changed">The paths added, changed or gone since <paramref name="live"/>.</param>
    /// <param name="replaced">The versions of those files that <paramref name="live"/> was resolved from: what they claimed
    /// before counts too, even when it was refused (its refusal left errors on the files it clashed with).</param>
    /// <param name="lastGood">As for <see cref="Resolve"/>: in the reloader, what <paramref name="live"/> accepted at that path.</param>
    public static ContentSnapshot ResolveEdit(ContentSnapshot live, Func<string, ParsedFile?> fileAt, IReadOnlySet<string> changed,
        IEnumerable<ParsedFile> replaced, Func<string, ContentDocument?> lastGood)
    {
        var before = replaced.ToDictionary(f => f.Path, StringComparer.Ordinal);
        ContentDocument? ResolvedFrom(string path) => changed.Contains(path) ? before.GetValueOrDefault(path)?.Document : fileAt(path)?.Document;

        // Files in a contest for a slug, now or when live was resolved, are judged afresh each time, as the whole resolve
        // does: which tool holds a slug changes with what is live, not only with the files that name it.
        var claimsNow = live.Index.ToBuilder();
        foreach (var path in changed.Where(p => ContentParser.KindOf(p) == ContentKind.Tool))
        {
            claimsNow.Remove(path, ContentKind.Tool, ResolvedFrom(path), live.AcceptedAt(path, ContentKind.Tool));
            claimsNow.Add(path, ContentKind.Tool, fileAt(path)?.Document, live.AcceptedAt(path, ContentKind.Tool));
        }
        var contested = ContestedSlugs(live, claimsNow, fileAt, lastGood);
        var affected = new HashSet<string>(changed, StringComparer.Ordinal);
        affected.UnionWith(contested.Values.Concat(live.Contested.Values).SelectMany(c => c.Claimants.Append(c.Holder)));

        var keys = new EditKeys(lastGood);
        foreach (var path in affected)
            keys.AddOwnKeys(path, fileAt(path), live);
        foreach (var file in replaced.Where(f => f.Kind == ContentKind.Tool))
            keys.AddClaims(file);
        // A tool drawn in may lose or win a slug, which touches the files naming that slug in turn.
        void Draw(string path)
        {
            if (affected.Add(path) && ContentParser.KindOf(path) == ContentKind.Tool && fileAt(path) is { } tool)
                keys.AddClaims(tool);
        }
        while (true)
        {
            if (keys.NextTool() is { } slug)
            {
                foreach (var path in live.Index.ToolClaims.GetValueOrDefault(slug, []).Concat(live.Index.ComparisonsNaming.GetValueOrDefault(slug, [])))
                    Draw(path);
                foreach (var folder in new[] { slug, slug.ToLowerInvariant() }.Distinct(StringComparer.Ordinal))
                {
                    foreach (var status in FileOrder.WithPrefix(live.Files, ContentKind.Verdict, $"verdicts/{folder}/"))
                        Draw(status.Path);
                }
            }
            else if (keys.NextReviewer() is { } reviewer)
            {
                // Every tool may have a verdict by a reviewer: a reviewer's edit reads the verdicts' names.
                foreach (var status in FileOrder.WithPrefix(live.Files, ContentKind.Verdict, "verdicts/"))
                {
                    if (string.Equals(Path.GetFileNameWithoutExtension(status.Path), reviewer, StringComparison.OrdinalIgnoreCase))
                        Draw(status.Path);
                }
            }
            else
            {
                break;
            }
        }

        var judged = InResolveOrder(affected.Select(fileAt).OfType<ParsedFile>(), f => f.Path, f => f.Kind).ToList();
        var resolution = ContentResolution.Continuing(live, affected, fileAt, ResolvedFrom, lastGood, contested);
        foreach (var file in judged)
            resolution.Add(file);
        return resolution.Finish();
    }

    /// <summary>
    /// The slugs an edit touches: tool slugs (a tool's own or an alias) and reviewer slugs, each handed out once by
    /// <see cref="NextTool"/> and <see cref="NextReviewer"/> to find the files that depend on it. A verdict's or a
    /// comparison's own key names only its own file (another file with the same key differs only in case, has an
    /// invalid name, and is refused whatever else changes).
    /// </summary>
    private sealed class EditKeys(Func<string, ContentDocument?> lastGood)
    {
        private readonly HashSet<string> tools = new(StringComparer.OrdinalIgnoreCase);
        private readonly HashSet<string> reviewers = new(StringComparer.OrdinalIgnoreCase);
        private readonly Queue<string> newTools = new();
        private readonly Queue<string> newReviewers = new();

        public void AddOwnKeys(string path, ParsedFile? now, ContentSnapshot live)
        {
            switch (ContentParser.KindOf(path))
            {
                case ContentKind.Tool:
                    AddTool(SlugOf(path));
                    // What the file claimed before the edit, and what it claims now.
                    if (live.AcceptedAt(path, ContentKind.Tool) is ToolDocument served)
                    {
                        foreach (var claim in ClaimsOf(served))
                            AddTool(claim);
                    }
                    if (now is not null)
                        AddClaims(now);
                    break;
                case ContentKind.Reviewer:
                    if (reviewers.Add(SlugOf(path)))
                        newReviewers.Enqueue(SlugOf(path));
                    break;
            }
        }

        public void AddClaims(ParsedFile tool)
        {
            AddTool(SlugOf(tool.Path));
            foreach (var claim in ClaimsOfFile(tool.Document, lastGood(tool.Path)))
                AddTool(claim);
        }

        public string? NextTool() => newTools.TryDequeue(out var slug) ? slug : null;

        public string? NextReviewer() => newReviewers.TryDequeue(out var slug) ? slug : null;

        private void AddTool(string slug)
        {
            if (tools.Add(slug))
                newTools.Enqueue(slug);
        }

        private static string SlugOf(string path) => Path.GetFileNameWithoutExtension(path);
    }

    /// <summary>Every slug a tool file claims in its current version or in the version accepted for it.</summary>
    internal static IEnumerable<string> ClaimsOfFile(ContentDocument? current, ContentDocument? accepted) =>
        (current is ToolDocument now ? ClaimsOf(now) : []).Concat(accepted is ToolDocument good ? ClaimsOf(good) : []);

    /// <summary>Every tool a comparison file names in its current version or in the version accepted for it.</summary>
    internal static IEnumerable<string> NamedTools(ContentDocument? current, ContentDocument? accepted) =>
        (current is ComparisonDocument now ? now.Tools.Select(t => t.Slug) : []).Concat(accepted is ComparisonDocument good ? good.Tools.Select(t => t.Slug) : []);

    /// <summary>
    /// <see cref="ContestedSlugs(List{ParsedFile}, Func{string, ContentDocument?}, ContentSnapshot)"/> after an edit: only
    /// slugs that two files claim can be contested, and the index knows them.
    /// </summary>
    private static Dictionary<string, ContestedSlug> ContestedSlugs(ContentSnapshot live, ResolveIndex.Builder claims,
        Func<string, ParsedFile?> fileAt, Func<string, ContentDocument?> lastGood)
    {
        var contested = new Dictionary<string, ContestedSlug>(StringComparer.OrdinalIgnoreCase);
        foreach (var slug in claims.SharedClaims)
        {
            var claimants = claims.ToolClaims[slug].Where(path => fileAt(path) is { } file
                    && (file.IsValid ? file.Document : lastGood(path)) is ToolDocument served
                    && ClaimsOf(served).Contains(slug, StringComparer.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal).ToList();
            if (claimants.Count > 1 && HolderOf(live, slug) is { } holder && claimants.Contains(holder))
                contested[slug] = new ContestedSlug(holder, [.. claimants.Where(p => p != holder)]);
        }
        return contested;
    }

    /// <summary>The path of the live tool whose slug or alias <paramref name="slug"/> is.</summary>
    private static string? HolderOf(ContentSnapshot live, string slug) =>
        live.Tools.TryGetValue(slug, out var tool) ? tool.Path
        : live.Index.AliasOwners.TryGetValue(slug, out var owner) && live.Tools.TryGetValue(owner, out var aliased) ? aliased.Path
        : null;

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
            // A file that lists a slug twice claims it once.
            foreach (var slug in ClaimsOf(served).Distinct(StringComparer.OrdinalIgnoreCase))
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
/// being parsed. Every file's verdict depends only on files before it in that order. The accepted documents, the file
/// states and the <see cref="ResolveIndex"/> are immutable collections: an edit continues from the live snapshot's
/// without copying them (System.Collections.Immutable shares what did not change).
/// </summary>
public sealed class ContentResolution
{
    private readonly Func<string, ContentDocument?> lastGood;
    private readonly IReadOnlyDictionary<string, ContestedSlug> contested;
    private readonly List<ContentError> errors;
    private readonly List<FileStatus> statuses = [];
    private ImmutableList<FileStatus>.Builder? kept;
    private ImmutableDictionary<string, ReviewerDocument>.Builder reviewers = ImmutableDictionary.CreateBuilder<string, ReviewerDocument>(StringComparer.OrdinalIgnoreCase);
    private ImmutableDictionary<string, ToolDocument>.Builder tools = ImmutableDictionary.CreateBuilder<string, ToolDocument>(StringComparer.OrdinalIgnoreCase);
    private ImmutableDictionary<string, VerdictDocument>.Builder verdicts = ImmutableDictionary.CreateBuilder<string, VerdictDocument>(StringComparer.OrdinalIgnoreCase);
    private ImmutableDictionary<string, ComparisonDocument>.Builder comparisons = ImmutableDictionary.CreateBuilder<string, ComparisonDocument>(StringComparer.OrdinalIgnoreCase);
    private ResolveIndex.Builder index = ResolveIndex.Empty.ToBuilder();
    private ContentEdit? edit;
    private (int Rank, string Path)? last;

    /// <param name="toolPaths">The paths of every tool file on disk, valid or not, so an alias can never shadow a tool that is only briefly broken.</param>
    /// <param name="contested">Slugs a live tool holds that other files claim too: the holder keeps them, the others are refused.</param>
    public ContentResolution(IEnumerable<string> toolPaths, Func<string, ContentDocument?> lastGood,
        IReadOnlyDictionary<string, ContestedSlug>? contested = null)
    {
        this.lastGood = lastGood;
        this.contested = contested ?? new Dictionary<string, ContestedSlug>();
        // The holder of a contested slug is told too, so whoever edits either file learns of the other.
        errors = [.. this.contested.SelectMany(c => c.Value.Claimants.Select(claimant =>
            new ContentError(c.Value.Holder, 1, 1, $"'{c.Key}' is also claimed by {claimant}, which is not loaded while this tool holds it")))];
        foreach (var path in toolPaths)
            index.CountToolFile(path, +1);
    }

    /// <summary>
    /// A resolution that starts from what <paramref name="live"/> accepted, less the <paramref name="judgedAgain"/> files,
    /// which are then added in resolve order (<see cref="ContentResolver.ResolveEdit"/>).
    /// </summary>
    /// <param name="fileAt">The file on disk now at a path, or null.</param>
    /// <param name="resolvedFrom">The document at a path when <paramref name="live"/> was resolved.</param>
    internal static ContentResolution Continuing(ContentSnapshot live, IReadOnlySet<string> judgedAgain, Func<string, ParsedFile?> fileAt,
        Func<string, ContentDocument?> resolvedFrom, Func<string, ContentDocument?> lastGood, IReadOnlyDictionary<string, ContestedSlug> contested)
    {
        var resolution = new ContentResolution([], lastGood, contested)
        {
            reviewers = live.Reviewers.ToBuilder(),
            tools = live.Tools.ToBuilder(),
            verdicts = live.Verdicts.ToBuilder(),
            comparisons = live.Comparisons.ToBuilder(),
            kept = live.Files.ToBuilder(),
            index = live.Index.ToBuilder(),
            edit = new ContentEdit(live.Id, judgedAgain),
        };
        foreach (var path in judgedAgain)
        {
            if (ContentParser.KindOf(path) is not { } kind)
                continue;
            var accepted = live.AcceptedAt(path, kind);
            switch (accepted)
            {
                case ReviewerDocument r: resolution.reviewers.Remove(r.Slug); break;
                case ToolDocument t:
                    resolution.tools.Remove(t.Slug);
                    resolution.index.RemoveAliases(t);
                    break;
                case VerdictDocument v: resolution.verdicts.Remove(v.Slug); break;
                case ComparisonDocument c: resolution.comparisons.Remove(c.Slug); break;
            }
            resolution.index.Remove(path, kind, resolvedFrom(path), accepted);
            var at = FileOrder.Find(resolution.kept, kind, path);
            if (at >= 0)
            {
                resolution.kept.RemoveAt(at);
                if (kind == ContentKind.Tool)
                    resolution.index.CountToolFile(path, -1);
            }
            if (kind == ContentKind.Tool && fileAt(path) is not null)
                resolution.index.CountToolFile(path, +1);
        }
        resolution.errors.AddRange(live.Errors.Where(e => !judgedAgain.Contains(e.Path)));
        return resolution;
    }

    /// <summary>Judges one file; returns its status and the document accepted for it (its current or last good version), if any.</summary>
    public (FileStatus Status, ContentDocument? Accepted) Add(ParsedFile file)
    {
        var position = (ContentResolver.Rank(file.Kind), file.Path);
        if (last is { } before && (before.Rank > position.Item1 || before.Rank == position.Item1 && string.CompareOrdinal(before.Path, file.Path) >= 0))
            throw new InvalidOperationException($"{file.Path} was added out of resolve order, after {before.Path}");
        last = position;
        var (status, accepted) = file.Kind switch
        {
            ContentKind.Reviewer => Accept<ReviewerDocument>(file, r => reviewers.TryGetValue(r.Slug, out var other)
                ? [At(r, 1, 1, $"slug '{r.Slug}' is already used by {other.Path}")]
                : [], r => reviewers[r.Slug] = r),
            ContentKind.Tool => Accept<ToolDocument>(file, ToolProblems, t =>
            {
                tools[t.Slug] = t;
                index.AddAliases(t);
            }),
            ContentKind.Verdict => Accept<VerdictDocument>(file, VerdictProblems, v => verdicts[v.Slug] = v),
            _ => Accept<ComparisonDocument>(file, ComparisonProblems, c => comparisons[c.Slug] = c),
        };
        index.Add(file.Path, file.Kind, file.Document, accepted);
        return (status, accepted);
    }

    public ContentSnapshot Finish()
    {
        ImmutableList<FileStatus> files;
        if (kept is null)
        {
            files = [.. statuses];
        }
        else
        {
            foreach (var status in statuses)
                kept.Insert(~FileOrder.Find(kept, status.Kind, status.Path), status);
            files = kept.ToImmutable();
        }
        return new()
        {
            Tools = tools.ToImmutable(),
            Reviewers = reviewers.ToImmutable(),
            Verdicts = verdicts.ToImmutable(),
            Comparisons = comparisons.ToImmutable(),
            Files = files,
            Errors = errors,
            Contested = contested,
            Edit = edit,
            Index = index.ToImmutable(),
        };
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
        else if (index.AliasOwners.TryGetValue(tool.Slug, out var holder))
            problems.Add(At(tool, 1, 1, $"slug '{tool.Slug}' is already an alias of tool '{holder}'"));
        foreach (var alias in tool.Aliases)
        {
            if (contested.TryGetValue(alias.Slug, out var held) && held.Holder == tool.Path)
                continue;
            if (index.ToolFiles.ContainsKey(alias.Slug))
                problems.Add(At(tool, alias.Line, alias.Column, $"alias '{alias.Slug}' is the slug of another tool"));
            else if (index.AliasOwners.TryGetValue(alias.Slug, out var owner))
                problems.Add(At(tool, alias.Line, alias.Column, $"alias '{alias.Slug}' is already an alias of tool '{owner}'"));
        }
        return problems;
    }

    private static ContentError At(ContentDocument document, int line, int column, string message) =>
        new(document.Path, line, column, message);
}

/// <summary>Finds files in a list of states kept in resolve order (by kind, then by path), by binary search.</summary>
internal static class FileOrder
{
    /// <returns>The index of the file, or the bitwise complement of where it would go.</returns>
    public static int Find(IReadOnlyList<FileStatus> files, ContentKind kind, string path)
    {
        int low = 0, high = files.Count - 1;
        while (low <= high)
        {
            var middle = low + (high - low) / 2;
            var order = Compare(files[middle], kind, path);
            if (order == 0)
                return middle;
            if (order < 0)
                low = middle + 1;
            else
                high = middle - 1;
        }
        return ~low;
    }

    /// <summary>The files of one kind whose paths start with <paramref name="prefix"/>.</summary>
    public static IEnumerable<FileStatus> WithPrefix(IReadOnlyList<FileStatus> files, ContentKind kind, string prefix)
    {
        var at = Find(files, kind, prefix);
        for (var i = at >= 0 ? at : ~at; i < files.Count && files[i].Kind == kind && files[i].Path.StartsWith(prefix, StringComparison.Ordinal); i++)
            yield return files[i];
    }

    private static int Compare(FileStatus file, ContentKind kind, string path) =>
        ContentResolver.Rank(file.Kind).CompareTo(ContentResolver.Rank(kind)) is var rank and not 0 ? rank : string.CompareOrdinal(file.Path, path);
}

/// <summary>How a snapshot differs from the one it continued: only the files in <paramref name="Rejudged"/> may have another outcome.</summary>
/// <param name="From">The <see cref="ContentSnapshot.Id"/> of the snapshot continued (not the snapshot: each would hold its
/// predecessor, and so every snapshot ever served).</param>
public sealed record ContentEdit(long From, IReadOnlySet<string> Rejudged);

/// <summary>A slug that the live tool in <paramref name="Holder"/> holds and other tool files claim too.</summary>
public sealed record ContestedSlug(string Holder, IReadOnlyList<string> Claimants);
