using System.Globalization;
using Verdicts.Web.Data;

namespace Verdicts.Web.Voting;

/// <summary>A range of whole percents, both ends included.</summary>
public sealed record ShareInterval(int Low, int High)
{
    public bool Contains(int percent) => percent >= Low && percent <= High;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Low}–{High}%");
}

/// <summary>
/// The one place the site turns a tool's community votes into what it says about them: the share only from
/// <see cref="FewestForShare"/> votes, always with its 95% Wilson score interval and the count, so one early vote never
/// reads as "100%".
/// </summary>
/// <remarks>
/// Rounding: the share to the nearest whole percent (<see cref="Figures.ShipPercent"/>); the interval outwards, its low
/// end down and its high end up, so the range shown always holds the computed one (and the share shown).
/// </remarks>
public sealed record CommunityShare(long Ship, long Skip)
{
    public const int FewestForShare = 10;

    /// <summary>Below this many votes the interval is too wide for a disagreement with the panel to mean much.</summary>
    public const int FewestToDisagree = 30;

    // The normal quantile for a two-sided 95% interval, as the usual tables round it.
    private const double Z = 1.96;

    public long Votes => Ship + Skip;

    public bool HasShare => Votes >= FewestForShare;

    /// <summary>The ship share in whole percents, or null below <see cref="FewestForShare"/> votes.</summary>
    public int? Percent => HasShare ? Figures.ShipPercent(Ship, Skip) : null;

    /// <summary>The 95% Wilson score interval of the share, or null below <see cref="FewestForShare"/> votes.</summary>
    public ShareInterval? Interval => HasShare ? Wilson(Ship, Votes) : null;

    /// <summary>The 95% Wilson score interval of <paramref name="ship"/> in <paramref name="votes"/>, rounded outwards.</summary>
    public static ShareInterval Wilson(long ship, long votes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(votes, 1);
        double n = votes, p = ship / n, z2 = Z * Z;
        var centre = (p + z2 / (2 * n)) / (1 + z2 / n);
        var margin = Z / (1 + z2 / n) * Math.Sqrt(p * (1 - p) / n + z2 / (4 * n * n));
        return new(Whole(centre - margin, Math.Floor), Whole(centre + margin, Math.Ceiling));
    }

    // Rounded to 1e-9 first, so that a bound that is whole up to floating-point noise (0 at no ship votes, 100 at all) stays whole.
    private static int Whole(double share, Func<double, double> round) => (int)Math.Clamp(round(Math.Round(share * 100, 9)), 0, 100);

    /// <summary>The figure in one line: "62% ship, 95% range 48–74%, 41 votes", "3 ship · 1 skip, too few votes for a share", "No votes yet".</summary>
    public string Summary => Votes == 0 ? "No votes yet"
        : HasShare ? $"{Figures.Show(Percent)} ship, {Range}, {Count}"
        : $"{Ship.ToString(CultureInfo.InvariantCulture)} ship · {Skip.ToString(CultureInfo.InvariantCulture)} skip, too few votes for a share";

    /// <summary>The figure's headline, for the large number of a figure block: "62% ship", "3 ship · 1 skip", "—".</summary>
    public string Headline => Votes == 0 ? "—"
        : HasShare ? $"{Figures.Show(Percent)} ship"
        : $"{Ship.ToString(CultureInfo.InvariantCulture)} ship · {Skip.ToString(CultureInfo.InvariantCulture)} skip";

    /// <summary>What goes under the headline: "95% range 48–74%, 41 votes", "4 votes, too few for a share", "no votes yet".</summary>
    public string Note => Votes == 0 ? "no votes yet" : HasShare ? $"{Range}, {Count}" : $"{Count}, too few for a share";

    /// <summary>The share alone, beside counts shown elsewhere: "62%, 95% range 48–74%", "too few votes for a share", "" with no votes.</summary>
    public string ShareOnly => Votes == 0 ? "" : HasShare ? $"{Figures.Show(Percent)}, {Range}" : "too few votes for a share";

    /// <summary>The accessible name of the share bar drawn for <paramref name="toolName"/>.</summary>
    public string BarLabel(string toolName) => Votes == 0 ? $"Community: no votes on {toolName} yet"
        : HasShare ? $"Community: {Figures.Show(Percent)} ship for {toolName}, {Range}"
        : $"Community: too few votes on {toolName} for a share";

    private string Range => $"95% range {Interval}";

    private string Count => Figures.Count(Votes, "vote", "votes");

    /// <summary>
    /// The sentence saying visitors disagree with the panel, when at least <see cref="FewestToDisagree"/> voted and the
    /// panel's ship share (whole percents, as shown) lies outside the community's interval (as shown); otherwise null.
    /// </summary>
    public string? DisagreementWith(long panelShip, long panelSkip, string toolName)
    {
        if (Votes < FewestToDisagree || Figures.ShipPercent(panelShip, panelSkip) is not { } panel || Interval is not { } interval || interval.Contains(panel))
            return null;
        var side = panel > interval.High ? "above" : "below";
        return string.Create(CultureInfo.InvariantCulture,
            $"Visitors disagree with the panel on {toolName}: the panel ships it at {panel}% ({panelShip} of {panelShip + panelSkip} reviewers), {side} the visitors' 95% range of {interval}.");
    }

    /// <summary>The figures for JSON answers (the API and a vote's answer).</summary>
    public CommunityJson ToJson() => new(Ship, Skip, Votes, Percent, Interval);
}

/// <summary>
/// The community figure in JSON: <c>percent</c> and <c>interval</c> are null below <see cref="CommunityShare.FewestForShare"/>
/// votes; both in whole percents.
/// </summary>
public sealed record CommunityJson(long Ship, long Skip, long N, int? Percent, ShareInterval? Interval);
