namespace Verdicts.Web.Content;

/// <summary>One problem with one content file, located as precisely as the input allows.</summary>
public sealed record ContentError(string Path, int Line, int Column, string Message)
{
    // File names and messages quote file contents; escaped, one error is always one line.
    public override string ToString() => $"{Security.LogText.Escape(Path)}:{Line}:{Column}: error: {Security.LogText.Escape(Message)}";
}
