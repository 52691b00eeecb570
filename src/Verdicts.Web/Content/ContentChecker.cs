namespace Verdicts.Web.Content;

/// <summary>Loads a whole folder once, with no database and no last good versions: what `check` and the admins' CI see.</summary>
public static class ContentChecker
{
    public sealed record Result(int Files, IReadOnlyList<ContentError> Errors, ContentSnapshot Snapshot);

    public static Result Check(string root, ContentProgress? progress = null)
    {
        if (!Directory.Exists(root))
            return new Result(0, [new ContentError(root, 1, 1, "content folder does not exist")], ContentSnapshot.Empty);
        var scanned = ContentFolder.Scan(root);
        var toRead = scanned
            .Where(f => ContentParser.KindOf(f.Path) is not null)
            .Select(f => (File: f, Kind: ContentParser.KindOf(f.Path)!.Value))
            .ToList();
        var parsed = ContentFolder.ReadAll(root, toRead, progress).Select(r => r.Parsed).ToList();
        var snapshot = ContentResolver.Resolve(parsed, _ => null);
        var errors = snapshot.Errors.Concat(Misplaced(scanned)).OrderBy(e => e.Path, StringComparer.Ordinal).ThenBy(e => e.Line).ToList();
        return new Result(parsed.Count, errors, snapshot);
    }

    public static IEnumerable<ContentError> Misplaced(IEnumerable<ScannedFile> scanned) =>
        scanned.Where(f => ContentParser.IsMisplaced(f.Path)).Select(f => new ContentError(f.Path, 1, 1, ContentParser.NotLoadedBecause(f.Path)));

    public static int Print(Result result, TextWriter output)
    {
        foreach (var error in result.Errors)
            output.WriteLine(error);
        output.WriteLine($"{result.Files} files, {result.Errors.Count} errors");
        return result.Errors.Count == 0 ? 0 : 1;
    }
}
