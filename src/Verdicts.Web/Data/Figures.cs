using System.Globalization;

namespace Verdicts.Web.Data;

/// <summary>The one place the site turns counts into the percentages it shows.</summary>
public static class Figures
{
    /// <summary>Ship share rounded to the nearest whole percent (halves away from zero); null when nobody voted.</summary>
    public static int? ShipPercent(long ship, long skip) =>
        ship + skip == 0 ? null : (int)Math.Round(100m * ship / (ship + skip), MidpointRounding.AwayFromZero);

    public static string Show(int? percent) => percent is { } p ? p.ToString(CultureInfo.InvariantCulture) + "%" : "—";

    public static string Count(long count, string one, string many) =>
        $"{count.ToString(CultureInfo.InvariantCulture)} {(count == 1 ? one : many)}";
}
