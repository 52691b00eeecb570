using System.IO.Enumeration;

namespace Verdicts.Web.Content;

/// <summary>A file as the scan saw it: enough to tell, without reading it, whether it changed since the last scan.</summary>
public sealed record ScannedFile(string Path, long Length, DateTime LastWriteUtc, bool IsLink);

/// <summary>Lists and reads the content folder. Paths are relative to it, with forward slashes.</summary>
public static class ContentFolder
{
    private static readonly EnumerationOptions Recursive = new()
    {
        RecurseSubdirectories = true,
        // An unreadable folder must fail the scan rather than make its files look deleted.
        IgnoreInaccessible = false,
        AttributesToSkip = 0,
        ReturnSpecialDirectories = false,
    };

    public static List<ScannedFile> Scan(string root)
    {
        var prefix = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root)).Length + 1;
        var files = new FileSystemEnumerable<ScannedFile>(root,
            (ref FileSystemEntry e) => new ScannedFile(
                e.ToFullPath()[prefix..].Replace('\\', '/'),
                e.Length,
                e.LastWriteTimeUtc.UtcDateTime,
                (e.Attributes & FileAttributes.ReparsePoint) != 0),
            Recursive)
        {
            ShouldIncludePredicate = (ref FileSystemEntry e) => !e.IsDirectory,
            // A clone's .git folder holds no content, and thousands of objects.
            ShouldRecursePredicate = (ref FileSystemEntry e) => (e.Attributes & FileAttributes.ReparsePoint) == 0 && !e.FileName.SequenceEqual(".git"),
        };
        return files.ToList();
    }

    /// <summary>One file as a scan would see it, or null when it does not exist.</summary>
    public static ScannedFile? Stat(string root, string relative)
    {
        var info = new FileInfo(Path.Combine(root, relative));
        return info.Exists || info.LinkTarget is not null
            ? new ScannedFile(relative, info.Exists ? info.Length : 0, info.Exists ? info.LastWriteTimeUtc : default, info.LinkTarget is not null)
            : null;
    }

    /// <summary>Reads and parses one file; a file that cannot be read yields an error, never an exception.</summary>
    public static ParsedFile Read(string root, ScannedFile file, ContentKind kind)
    {
        if (file.IsLink)
            return Failed(file.Path, kind, "symbolic links are not followed: replace the link with the file itself");
        if (file.Length > ContentParser.MaxFileBytes)
            return Failed(file.Path, kind, $"file is {file.Length} bytes; content files are limited to 1 MiB");
        try
        {
            using var handle = File.OpenHandle(Path.Combine(root, file.Path), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            // Room for one byte more than the scan saw, growing up to one past the limit: a file that grew since is read
            // whole, and one that grew too far cannot exhaust memory.
            var buffer = new byte[Math.Min(file.Length + 1, ContentParser.MaxFileBytes + 1)];
            var total = 0;
            while (total < buffer.Length)
            {
                var read = RandomAccess.Read(handle, buffer.AsSpan(total), total);
                if (read == 0)
                    break;
                total += read;
                // Exactly what the scan saw, with room for more: the end, without a second read to be told so.
                if (total == file.Length)
                    break;
                if (total == buffer.Length && buffer.Length <= ContentParser.MaxFileBytes)
                    Array.Resize(ref buffer, (int)Math.Min(buffer.Length * 2L, ContentParser.MaxFileBytes + 1));
            }
            if (total > ContentParser.MaxFileBytes)
                return Failed(file.Path, kind, "file is larger than 1 MiB; content files are limited to 1 MiB");
            return ContentParser.Parse(file.Path, kind, total == buffer.Length ? buffer : buffer[..total]);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Failed(file.Path, kind, $"file cannot be read: {ex.GetType().Name.Replace("Exception", "", StringComparison.Ordinal)}");
        }
    }

    /// <summary>Reads and parses the files on every core, counting them in <paramref name="progress"/> if given.</summary>
    public static List<(ScannedFile Stamp, ParsedFile Parsed)> ReadAll(string root, IReadOnlyCollection<(ScannedFile File, ContentKind Kind)> files,
        ContentProgress? progress = null)
    {
        progress?.Begin(files.Count);
        return files.AsParallel().Select(f =>
        {
            var parsed = Read(root, f.File, f.Kind);
            progress?.Add(parsed);
            return (f.File, parsed);
        }).ToList();
    }

    private static ParsedFile Failed(string path, ContentKind kind, string message) =>
        new(path, kind, "", null, [new ContentError(path, 1, 1, message)]);
}
