namespace Verdicts.Web.Content;

/// <summary>One problem with one content file, located as precisely as the input allows.</summary>
public sealed record ContentError(string Path, int Line, int Column, string Message)
{
    public override string ToString() => $"{Path}:{Line}:{Column}: error: {Message}";
}
