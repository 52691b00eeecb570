using System.Globalization;

namespace Verdicts.Web.Data;

/// <summary>Days and instants as the database stores them: ISO 8601 text in UTC, which sorts and compares as it reads.</summary>
public static class Iso
{
    /// <summary><c>yyyy-MM-dd</c>.</summary>
    public static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The UTC day of <paramref name="at"/>, <c>yyyy-MM-dd</c>.</summary>
    public static string Day(DateTimeOffset at) => Day(DateOnly.FromDateTime(at.UtcDateTime));

    /// <summary>To the second in UTC, <c>yyyy-MM-ddTHH:mm:ssZ</c>.</summary>
    public static string Instant(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
