using System.Globalization;
using System.Text;

namespace Verdicts.Web.Security;

/// <summary>Text from outside (paths, file contents) made safe for one log or terminal line.</summary>
public static class LogText
{
    public static string Escape(string value)
    {
        if (!value.Any(NeedsEscape))
            return value;
        var builder = new StringBuilder(value.Length + 16);
        foreach (var c in value)
        {
            if (NeedsEscape(c))
                builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            else
                builder.Append(c);
        }
        return builder.ToString();
    }

    // Control characters break lines; bidirectional overrides make a line read differently from what it holds.
    private static bool NeedsEscape(char c) =>
        char.IsControl(c) || char.IsSurrogate(c) || c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069' or '\u2028' or '\u2029';
}
