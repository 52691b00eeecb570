using System.Text;
using Verdicts.Web.Content;
using Verdicts.Web.Data;

namespace Verdicts.Web.Admin;

/// <summary>
/// The admin's only way to touch content files: every path is checked to stay inside the content folder, every
/// change is made through a <see cref="ContentChange"/> (audited, one at a time), and every write goes to a temporary
/// file in the same folder that is then renamed over the target, so the loader (and anyone else) only ever sees the
/// old file or the whole new one.
/// </summary>
public sealed class ContentFiles(ContentReloader reloader, ContentWatcher watcher, ContentClone clone, Database database, AuditLog audit, ILogger<ContentChange> changeLogger)
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public string Root => reloader.ContentRoot;

    /// <summary>The git clone the folder is, when <c>Verdicts:ContentRemote</c> is set: every change is then a pushed commit.</summary>
    public ContentClone Clone => clone;

    /// <summary>The full path for a content-relative path, or why it is refused. Nothing on disk is changed.</summary>
    public (string? FullPath, string? Problem) Resolve(string? relative)
    {
        if (string.IsNullOrEmpty(relative) || relative.Length > 300)
            return (null, "Give a path inside the content folder.");
        if (relative.Any(c => c < ' ' || c is '\\' or '%' or ':' or '\u007F'))
            return (null, "The path contains a character that is not allowed (control characters, backslashes, '%' or ':').");
        if (relative.StartsWith('/') || Path.IsPathRooted(relative))
            return (null, "Absolute paths are not allowed; give a path inside the content folder.");
        var segments = relative.Split('/');
        if (segments.Any(s => s is "" or "." or ".."))
            return (null, "Paths may not contain empty, '.' or '..' parts.");
        if (!relative.EndsWith(".md", StringComparison.Ordinal) || ContentParser.KindOf(relative) is null)
            return (null, "Only .md content files in tools/, reviewers/, verdicts/<tool>/ and comparisons/ can be edited here.");

        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(Root));
        var full = Path.GetFullPath(Path.Combine(root, relative));
        if (!full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            return (null, "The path leads outside the content folder.");
        // No link anywhere on the way: a link could lead outside the folder, and the loader does not follow them either.
        var current = root;
        foreach (var segment in segments)
        {
            current = Path.Combine(current, segment);
            var info = new FileInfo(current);
            if (info.Exists && info.LinkTarget is not null || Directory.Exists(current) && new DirectoryInfo(current).LinkTarget is not null)
                return (null, "The path goes through a symbolic link, which the editor does not follow.");
        }
        return (full, null);
    }

    /// <summary>Begins an admin's change; see <see cref="ContentChange"/>.</summary>
    /// <exception cref="ContentChangeFailedException">The database takes no writes just now.</exception>
    public ContentChange BeginChange(string admin) => ContentChange.Begin(this, database, audit, changeLogger, admin);

    /// <summary>The full path of a content-relative path already <see cref="Resolve">resolved</see> (or made from resolved parts).</summary>
    public string FullPathOf(string relative) => Path.GetFullPath(Path.Combine(Root, relative));

    public static string Hash(string fullPath) => File.Exists(fullPath) ? ContentParser.Hash(File.ReadAllBytes(fullPath)) : "";

    public static string Normalise(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');

    public static byte[] Bytes(string text) => Utf8.GetBytes(Normalise(text));

    /// <summary>Writes the whole file or nothing.</summary>
    public static void WriteAtomically(string fullPath, byte[] bytes)
    {
        var folder = Path.GetDirectoryName(fullPath)!;
        // A hidden name: the loader ignores it while it is being written.
        var temporary = Path.Combine(folder, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, fullPath, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>Has the site take in what was just written before the admin is sent on, so the next page shows it.</summary>
    /// <param name="changed">The content-relative files just written or deleted; none means "look at everything".</param>
    public Task ReloadAsync(params string[] changed) => Task.Run(() => reloader.ReloadNow(changed.Length == 0 ? null : changed));

    /// <summary>Has the site look at everything again soon, without waiting: after a change that was undone.</summary>
    public void RequestReload() => watcher.RequestFullScan();

    /// <summary>What the loader would say about this text at this path, given everything else that is loaded now.</summary>
    public (ContentDocument? Document, IReadOnlyList<ContentError> Errors) Validate(string relative, string text)
    {
        var kind = ContentParser.KindOf(relative)!.Value;
        var parsed = ContentParser.Parse(relative, kind, Bytes(text));
        if (!parsed.IsValid)
            return (null, parsed.Errors);
        var others = reloader.Snapshot.Documents.Where(d => d.Path != relative)
            .Select(d => new ParsedFile(d.Path, d.Kind, d.Sha256, d, []));
        var resolved = ContentResolver.Resolve(others.Append(parsed), _ => null);
        var errors = resolved.Errors.Where(e => e.Path == relative).ToList();
        return (errors.Count == 0 ? parsed.Document : null, errors);
    }

    public ContentSnapshot Snapshot => reloader.Snapshot;
}
