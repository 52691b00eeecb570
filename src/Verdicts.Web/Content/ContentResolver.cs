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

    public static ContentSnapshot Empty { get; } = new()
    {
        Tools = new Dictionary<string, ToolDocument>(),
        Reviewers = new Dictionary<string, ReviewerDocument>(),
        Verdicts = new Dictionary<string, VerdictDocument>(),
        Comparisons = new Dictionary<string, ComparisonDocument>(),
        Files = [],
        Errors = [],
    };

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
    public static ContentSnapshot Resolve(IEnumerable<ParsedFile> files, Func<string, ContentDocument?> lastGood)
    {
        var byKind = files.OrderBy(f => f.Path, StringComparer.Ordinal).ToLookup(f => f.Kind);
        var errors = new List<ContentError>();
        var statuses = new List<FileStatus>();
        var reviewers = new Dictionary<string, ReviewerDocument>(StringComparer.OrdinalIgnoreCase);
        var tools = new Dictionary<string, ToolDocument>(StringComparer.OrdinalIgnoreCase);
        var aliases = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var verdicts = new Dictionary<string, VerdictDocument>(StringComparer.OrdinalIgnoreCase);
        var comparisons = new Dictionary<string, ComparisonDocument>(StringComparer.OrdinalIgnoreCase);

        foreach (var file in byKind[ContentKind.Reviewer])
        {
            Accept<ReviewerDocument>(file, r => reviewers.TryGetValue(r.Slug, out var other)
                ? [At(r, 1, 1, $"slug '{r.Slug}' is already used by {other.Path}")]
                : [], r => reviewers[r.Slug] = r);
        }

        // Every tool slug on disk, valid or not, so an alias can never shadow a tool that is only briefly broken.
        var toolSlugs = byKind[ContentKind.Tool]
            .Select(f => Path.GetFileNameWithoutExtension(f.Path))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var file in byKind[ContentKind.Tool])
        {
            Accept<ToolDocument>(file, t => ToolProblems(t, tools, aliases, toolSlugs), t =>
            {
                tools[t.Slug] = t;
                foreach (var alias in t.Aliases)
                    aliases[alias.Slug] = t.Slug;
            });
        }

        foreach (var file in byKind[ContentKind.Verdict])
        {
            Accept<VerdictDocument>(file, v =>
            {
                var problems = new List<ContentError>();
                if (!tools.ContainsKey(v.ToolSlug))
                    problems.Add(At(v, 1, 1, $"tool '{v.ToolSlug}' (the folder name) does not exist or was rejected"));
                if (!reviewers.ContainsKey(v.ReviewerSlug))
                    problems.Add(At(v, 1, 1, $"reviewer '{v.ReviewerSlug}' (the file name) does not exist or was rejected"));
                if (verdicts.TryGetValue(v.Slug, out var other))
                    problems.Add(At(v, 1, 1, $"this verdict is already given by {other.Path}"));
                return problems;
            }, v => verdicts[v.Slug] = v);
        }

        foreach (var file in byKind[ContentKind.Comparison])
        {
            Accept<ComparisonDocument>(file, c =>
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
            }, c => comparisons[c.Slug] = c);
        }

        return new ContentSnapshot
        {
            Tools = tools,
            Reviewers = reviewers,
            Verdicts = verdicts,
            Comparisons = comparisons,
            Files = statuses,
            Errors = errors,
        };

        void Accept<T>(ParsedFile file, Func<T, IReadOnlyList<ContentError>> problemsOf, Action<T> add)
            where T : ContentDocument
        {
            errors.AddRange(file.Errors);
            if (file.IsValid && file.Document is T current)
            {
                var problems = problemsOf(current);
                if (problems.Count == 0)
                {
                    add(current);
                    statuses.Add(new(file.Path, file.Kind, IsDraft(current) ? FileState.Draft : FileState.Loaded, file.Sha256));
                    return;
                }
                errors.AddRange(problems);
            }
            if (lastGood(file.Path) is T previous && previous.Sha256 != file.Sha256 && problemsOf(previous).Count == 0)
            {
                add(previous);
                statuses.Add(new(file.Path, file.Kind, FileState.Stale, file.Sha256));
                return;
            }
            statuses.Add(new(file.Path, file.Kind, FileState.Rejected, file.Sha256));
        }
    }

    /// <summary>
    /// Whether <paramref name="candidate"/> can take the place of <paramref name="accepted"/> (a document of
    /// <paramref name="current"/>) without changing anything another file depends on: then the whole folder's rules
    /// would accept it, and leave every other file as it is, without being run again.
    /// </summary>
    public static bool FitsInPlace(ContentSnapshot current, ContentDocument accepted, ContentDocument candidate) =>
        (accepted, candidate) switch
        {
            (ToolDocument old, ToolDocument now) => old.Slug == now.Slug && old.Draft == now.Draft
                && old.Aliases.Select(a => a.Slug).SequenceEqual(now.Aliases.Select(a => a.Slug), StringComparer.Ordinal),
            (ReviewerDocument old, ReviewerDocument now) => old.Slug == now.Slug,
            (VerdictDocument old, VerdictDocument now) => old.Slug == now.Slug,
            // The same checks Resolve makes, against tools that this one document cannot have changed.
            (ComparisonDocument old, ComparisonDocument now) => old.Slug == now.Slug && old.Draft == now.Draft && now.Tools.All(t =>
                current.Tools.TryGetValue(t.Slug, out var tool) && !tool.Draft && tool.Slug == t.Slug),
            _ => false,
        };

    private static bool IsDraft(ContentDocument document) =>
        document is ToolDocument { Draft: true } or ComparisonDocument { Draft: true };

    private static List<ContentError> ToolProblems(ToolDocument tool, Dictionary<string, ToolDocument> tools,
        Dictionary<string, string> aliases, HashSet<string> toolSlugs)
    {
        var problems = new List<ContentError>();
        if (tools.TryGetValue(tool.Slug, out var other))
            problems.Add(At(tool, 1, 1, $"slug '{tool.Slug}' is already used by {other.Path}"));
        else if (aliases.TryGetValue(tool.Slug, out var holder))
            problems.Add(At(tool, 1, 1, $"slug '{tool.Slug}' is already an alias of tool '{holder}'"));
        foreach (var alias in tool.Aliases)
        {
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
