using Verdicts.Web.Content;
using Verdicts.Web.Voting;

namespace Verdicts.Web.Admin;

/// <summary>
/// Renaming a tool touches several files: the tool file moves and gains its old slug as an alias (so old links
/// redirect), its verdict folder moves, and comparisons naming it are rewritten. Its votes follow it once the content
/// is reloaded: the vote writer moves an alias's votes to its tool (<see cref="VoteWriter"/>). The plan is checked in
/// full before anything is written; applying it is one <see cref="ContentChange"/>, which writes the new tool first and
/// removes the old one last, so a reload in between still serves the last good version of everything.
/// </summary>
public sealed class ToolRename
{
    private readonly List<Action<ContentChange, string>> steps = [];

    private ToolRename(string oldSlug, string newSlug)
    {
        OldSlug = oldSlug;
        NewSlug = newSlug;
    }

    public string OldSlug { get; }
    public string NewSlug { get; }
    public string? Problem { get; private set; }

    /// <summary>Plans the rename from the files as they are: make it within the change that will apply it.</summary>
    public static ToolRename Plan(ContentFiles files, string toolPath, string newSlug)
    {
        var oldSlug = Path.GetFileNameWithoutExtension(toolPath);
        var plan = new ToolRename(oldSlug, newSlug);
        var snapshot = files.Snapshot;
        var newPath = $"tools/{newSlug}.md";
        var (newFull, pathProblem) = files.Resolve(newPath);
        var oldFull = Path.Combine(files.Root, toolPath);
        if (!ContentParser.IsValidSlug(newSlug))
            return plan.Refuse($"'{newSlug}' is not a valid slug: {ContentParser.SlugRule}.");
        if (newSlug == oldSlug)
            return plan.Refuse("The new slug is the same as the old one.");
        if (pathProblem is not null)
            return plan.Refuse(pathProblem);
        if (File.Exists(newFull) || Directory.Exists(Path.Combine(files.Root, "verdicts", newSlug)))
            return plan.Refuse($"A tool or verdict folder named '{newSlug}' already exists.");
        if (snapshot.Tools.Values.Any(t => t.Aliases.Any(a => a.Slug == newSlug)))
            return plan.Refuse($"'{newSlug}' is already an alias of a tool.");
        if (!snapshot.Tools.TryGetValue(oldSlug, out var tool) || tool.Path != toolPath || tool.Sha256 != ContentFiles.Hash(oldFull))
            return plan.Refuse("The tool file must load without errors before it can be renamed: fix and save it first.");

        var toolText = WithAlias(File.ReadAllText(oldFull), tool, oldSlug);
        plan.steps.Add((change, detail) => change.Write(newPath, toolText, "rename", detail));

        var oldVerdicts = Path.Combine(files.Root, "verdicts", oldSlug);
        if (Directory.Exists(oldVerdicts))
            plan.steps.Add((change, detail) => change.MoveFolder($"verdicts/{oldSlug}", $"verdicts/{newSlug}", "rename", detail));

        foreach (var comparison in snapshot.Comparisons.Values.Where(c => c.Tools.Any(t => t.Slug == oldSlug)))
        {
            var full = Path.Combine(files.Root, comparison.Path);
            if (ContentFiles.Hash(full) != comparison.Sha256)
                return plan.Refuse($"{comparison.Path} changed since it was loaded (or does not load); save it first.");
            var text = File.ReadAllText(full);
            foreach (var mention in comparison.Tools.Where(t => t.Slug == oldSlug).OrderByDescending(t => t.Line).ThenByDescending(t => t.Column))
                text = ReplaceAt(text, mention, newSlug);
            plan.steps.Add((change, detail) => change.Write(comparison.Path, text, "rename", detail));
        }

        plan.steps.Add((change, detail) => change.Delete(toolPath, "rename", detail));
        return plan;
    }

    public void Apply(ContentChange change)
    {
        var detail = $"tool '{OldSlug}' renamed to '{NewSlug}'";
        foreach (var step in steps)
            step(change, detail);
    }

    private ToolRename Refuse(string problem)
    {
        Problem = problem;
        steps.Clear();
        return this;
    }

    /// <summary>The tool text with its old slug added to <c>aliases</c>, keeping the rest of the file as written.</summary>
    private static string WithAlias(string text, ToolDocument tool, string alias)
    {
        var lines = ContentFiles.Normalise(text).Split('\n').ToList();
        if (tool.Aliases.Count == 0)
        {
            var closing = lines.FindIndex(1, l => l.TrimEnd() == "---");
            lines.Insert(closing, $"aliases: [{alias}]");
            return string.Join('\n', lines);
        }
        var last = tool.Aliases[^1];
        var line = lines[last.Line - 1];
        var start = last.Column - 1;
        var end = start + last.Slug.Length + (line[start] is '"' or '\'' ? 2 : 0);
        var rest = line[end..].TrimStart();
        if (rest.StartsWith(',') || rest.StartsWith(']'))
            lines[last.Line - 1] = line[..end] + ", " + alias + line[end..];
        else
            lines.Insert(last.Line, line[..start] + alias);
        return string.Join('\n', lines);
    }

    private static string ReplaceAt(string text, PositionedSlug mention, string replacement)
    {
        var lines = ContentFiles.Normalise(text).Split('\n');
        var line = lines[mention.Line - 1];
        var start = mention.Column - 1 + (line[mention.Column - 1] is '"' or '\'' ? 1 : 0);
        lines[mention.Line - 1] = line[..start] + replacement + line[(start + mention.Slug.Length)..];
        return string.Join('\n', lines);
    }
}
