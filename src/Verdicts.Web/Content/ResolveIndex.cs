using System.Collections.Immutable;

namespace Verdicts.Web.Content;

/// <summary>
/// What <see cref="ContentResolver.ResolveEdit"/> looks up instead of reading every file, kept in each snapshot and
/// updated by <see cref="ContentResolution"/> for each file it judges. A file counts with its current version and the
/// version accepted for it (its last good one), as the rules that draw files into an edit do.
/// </summary>
/// <param name="AliasOwners">Each alias of an accepted tool, and that tool's slug.</param>
/// <param name="ToolFiles">The slug of each tool file on disk, valid or not, and how many files have it (case aside).</param>
/// <param name="ToolClaims">Each slug (a tool's own or an alias) and the tool files that claim it.</param>
/// <param name="SharedClaims">The slugs that more than one tool file claims: the only ones that can be contested.</param>
/// <param name="ComparisonsNaming">Each tool slug and the comparison files that name it.</param>
internal sealed record ResolveIndex(
    ImmutableDictionary<string, string> AliasOwners,
    ImmutableDictionary<string, int> ToolFiles,
    ImmutableDictionary<string, ImmutableArray<string>> ToolClaims,
    ImmutableHashSet<string> SharedClaims,
    ImmutableDictionary<string, ImmutableArray<string>> ComparisonsNaming)
{
    public static ResolveIndex Empty { get; } = new(
        ImmutableDictionary.Create<string, string>(StringComparer.OrdinalIgnoreCase),
        ImmutableDictionary.Create<string, int>(StringComparer.OrdinalIgnoreCase),
        ImmutableDictionary.Create<string, ImmutableArray<string>>(StringComparer.OrdinalIgnoreCase),
        ImmutableHashSet.Create<string>(StringComparer.OrdinalIgnoreCase),
        ImmutableDictionary.Create<string, ImmutableArray<string>>(StringComparer.OrdinalIgnoreCase));

    public Builder ToBuilder() => new(this);

    public sealed class Builder(ResolveIndex from)
    {
        private readonly ImmutableDictionary<string, string>.Builder aliasOwners = from.AliasOwners.ToBuilder();
        private readonly ImmutableDictionary<string, int>.Builder toolFiles = from.ToolFiles.ToBuilder();
        private readonly ImmutableDictionary<string, ImmutableArray<string>>.Builder toolClaims = from.ToolClaims.ToBuilder();
        private readonly ImmutableHashSet<string>.Builder sharedClaims = from.SharedClaims.ToBuilder();
        private readonly ImmutableDictionary<string, ImmutableArray<string>>.Builder comparisonsNaming = from.ComparisonsNaming.ToBuilder();

        public IReadOnlyDictionary<string, string> AliasOwners => aliasOwners;

        public IReadOnlyDictionary<string, int> ToolFiles => toolFiles;

        public IReadOnlyDictionary<string, ImmutableArray<string>> ToolClaims => toolClaims;

        public IEnumerable<string> SharedClaims => sharedClaims;

        public void CountToolFile(string path, int change)
        {
            var slug = Path.GetFileNameWithoutExtension(path);
            var count = toolFiles.GetValueOrDefault(slug) + change;
            if (count > 0)
                toolFiles[slug] = count;
            else
                toolFiles.Remove(slug);
        }

        public void AddAliases(ToolDocument tool)
        {
            foreach (var alias in tool.Aliases)
                aliasOwners[alias.Slug] = tool.Slug;
        }

        public void RemoveAliases(ToolDocument tool)
        {
            foreach (var alias in tool.Aliases)
            {
                if (aliasOwners.TryGetValue(alias.Slug, out var owner) && string.Equals(owner, tool.Slug, StringComparison.OrdinalIgnoreCase))
                    aliasOwners.Remove(alias.Slug);
            }
        }

        /// <summary>Counts a file with its <paramref name="current"/> version and the one <paramref name="accepted"/> for it.</summary>
        public void Add(string path, ContentKind kind, ContentDocument? current, ContentDocument? accepted) => Change(path, kind, current, accepted, add: true);

        /// <summary>Takes back what <see cref="Add"/> counted for the same versions.</summary>
        public void Remove(string path, ContentKind kind, ContentDocument? current, ContentDocument? accepted) => Change(path, kind, current, accepted, add: false);

        private void Change(string path, ContentKind kind, ContentDocument? current, ContentDocument? accepted, bool add)
        {
            if (kind == ContentKind.Tool)
            {
                foreach (var slug in ContentResolver.ClaimsOfFile(current, accepted).Distinct(StringComparer.OrdinalIgnoreCase))
                {
                    var paths = Changed(toolClaims, slug, path, add);
                    if (paths > 1)
                        sharedClaims.Add(slug);
                    else
                        sharedClaims.Remove(slug);
                }
            }
            else if (kind == ContentKind.Comparison)
            {
                foreach (var slug in ContentResolver.NamedTools(current, accepted).Distinct(StringComparer.OrdinalIgnoreCase))
                    Changed(comparisonsNaming, slug, path, add);
            }
        }

        /// <returns>How many paths the slug has now.</returns>
        private static int Changed(ImmutableDictionary<string, ImmutableArray<string>>.Builder map, string slug, string path, bool add)
        {
            var paths = map.GetValueOrDefault(slug, []);
            paths = add ? paths.Contains(path) ? paths : paths.Add(path) : paths.Remove(path, StringComparer.Ordinal);
            if (paths.IsEmpty)
                map.Remove(slug);
            else
                map[slug] = paths;
            return paths.Length;
        }

        public ResolveIndex ToImmutable() => new(aliasOwners.ToImmutable(), toolFiles.ToImmutable(), toolClaims.ToImmutable(),
            sharedClaims.ToImmutable(), comparisonsNaming.ToImmutable());
    }
}
