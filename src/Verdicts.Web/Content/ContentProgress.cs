using System.Globalization;

namespace Verdicts.Web.Content;

/// <summary>How far a whole-folder read has got, for the progress line of `check` and `import`: the readers count, a timer reads.</summary>
public sealed class ContentProgress
{
    // Digits grouped by a space, as in "12 345": unambiguous in every language.
    private static readonly NumberFormatInfo Grouped = new() { NumberGroupSeparator = " ", NumberGroupSizes = [3] };

    // Unknown until the folder has been listed.
    private int total = -1;
    private int read;
    private int errors;

    /// <summary>A read of this many files begins; counts from any earlier read (a failed first load, tried again) go.</summary>
    public void Begin(int files)
    {
        Volatile.Write(ref read, 0);
        Volatile.Write(ref errors, 0);
        Volatile.Write(ref total, files);
    }

    public void Add(ParsedFile file)
    {
        Interlocked.Increment(ref read);
        if (file.Errors.Count > 0)
            Interlocked.Add(ref errors, file.Errors.Count);
    }

    public override string ToString()
    {
        if (Volatile.Read(ref total) < 0)
            return "listing the content folder";
        var errorCount = Volatile.Read(ref errors);
        return $"read {Show(Volatile.Read(ref read))} of {Show(Volatile.Read(ref total))} files, {Show(errorCount)} {(errorCount == 1 ? "error" : "errors")}";
    }

    private static string Show(int count) => count.ToString("#,0", Grouped);
}
