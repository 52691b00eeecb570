using System.Globalization;
using Microsoft.AspNetCore.Razor.TagHelpers;
using Verdicts.Web.Data;

namespace Verdicts.Web.Pages.Shared;

/// <summary>
/// <c>&lt;time at="…"&gt;&lt;/time&gt;</c>: a stored instant in the admin's words ("3 minutes ago", "yesterday",
/// "on 4 Dec 2026"), with the exact UTC time on hover and a <c>datetime</c> attribute the HTML checker accepts (to the
/// second, with "Z": the stored round-trip form, seven fraction digits and an offset, is not a valid HTML datetime).
/// Text that is not an instant is shown as it is, in a <c>span</c>, or the element's own content when there is none.
/// </summary>
[HtmlTargetElement("time", Attributes = "at")]
public sealed class TimeTagHelper(TimeProvider time) : TagHelper
{
    /// <summary>The instant as the database stores it (ISO 8601), or null.</summary>
    public string? At { get; set; }

    public override async Task ProcessAsync(TagHelperContext context, TagHelperOutput output)
    {
        if (Read(At) is not { } at)
        {
            output.TagName = "span";
            if (!string.IsNullOrEmpty(At))
                output.Content.SetContent(At);
            else
                output.Content.SetHtmlContent(await output.GetChildContentAsync());
            return;
        }
        output.Attributes.SetAttribute("datetime", Iso.Instant(at));
        output.Attributes.SetAttribute("title", Exact(at));
        output.Content.SetContent(Describe(at, time.GetUtcNow()));
    }

    public static DateTimeOffset? Read(string? value) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
            ? at : null;

    public static string Exact(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";

    /// <summary>Within the hour by minutes, within the day by hours, then by day; days are UTC days, as on the votes page.</summary>
    public static string Describe(DateTimeOffset at, DateTimeOffset now)
    {
        var elapsed = now - at;
        var future = elapsed < TimeSpan.Zero;
        var distance = future ? -elapsed : elapsed;
        var days = DateOnly.FromDateTime(now.UtcDateTime).DayNumber - DateOnly.FromDateTime(at.UtcDateTime).DayNumber;
        if (distance < TimeSpan.FromMinutes(1))
            return "just now";
        if (distance < TimeSpan.FromHours(1))
            return Ago(future, (int)distance.TotalMinutes, "minute");
        if (days == 0)
            return Ago(future, (int)distance.TotalHours, "hour");
        if (days is 1 or -1)
            return future ? "tomorrow" : "yesterday";
        return "on " + at.UtcDateTime.ToString("d MMM yyyy", CultureInfo.InvariantCulture);
    }

    private static string Ago(bool future, int count, string unit)
    {
        var amount = Figures.Count(count, unit, unit + "s");
        return future ? "in " + amount : amount + " ago";
    }
}
