using Verdicts.Web.Voting;

namespace Verdicts.Tests.Voting;

/// <summary>The Wilson interval and the wording rules, checked against the formula written out here.</summary>
public sealed class CommunityShareTests
{
    /// <summary>The 95% Wilson score interval, unrounded: (p + z²/2n ± z·√(p(1−p)/n + z²/4n²)) / (1 + z²/n), z = 1.96.</summary>
    public static (double Low, double High) WilsonBounds(long ship, long votes)
    {
        const double z = 1.96;
        var p = (double)ship / votes;
        var denominator = 1 + z * z / votes;
        var centre = p + z * z / (2.0 * votes);
        var spread = z * Math.Sqrt(p * (1 - p) / votes + z * z / (4.0 * votes * votes));
        return ((centre - spread) / denominator, (centre + spread) / denominator);
    }

    /// <summary>The interval as the site shows it: low end down, high end up, in whole percents within 0–100.</summary>
    public static (int Low, int High) Shown(long ship, long votes)
    {
        var (low, high) = WilsonBounds(ship, votes);
        // Rounded to 1e-9 before flooring, so that an exact 0 or 100 is not pushed out by floating-point noise.
        return ((int)Math.Max(0, Math.Floor(Math.Round(low * 100, 9))), (int)Math.Min(100, Math.Ceiling(Math.Round(high * 100, 9))));
    }

    [Theory]
    // Reference values: 25 of 41 gives 0.4573–0.7434; 0 of 10 gives 0–0.2775; 15 of 30 gives 0.3315–0.6685.
    [InlineData(25, 41, 0.4573, 0.7434)]
    [InlineData(0, 10, 0.0, 0.2775)]
    [InlineData(15, 30, 0.3315, 0.6685)]
    public void The_formula_in_this_test_matches_published_reference_values(long ship, long votes, double low, double high)
    {
        var bounds = WilsonBounds(ship, votes);
        Assert.Equal(low, bounds.Low, 4);
        Assert.Equal(high, bounds.High, 4);
    }

    [Theory]
    [InlineData(25, 41)]
    [InlineData(0, 10)]
    [InlineData(10, 10)]
    [InlineData(5, 10)]
    [InlineData(15, 30)]
    [InlineData(62, 100)]
    [InlineData(1, 3)]
    [InlineData(999, 1000)]
    [InlineData(12345, 54321)]
    public void The_interval_is_the_wilson_interval_rounded_outwards(long ship, long votes)
    {
        var (low, high) = Shown(ship, votes);
        Assert.Equal(new ShareInterval(low, high), CommunityShare.Wilson(ship, votes));
    }

    [Fact]
    public void Rounding_is_outwards_so_the_shown_range_holds_the_exact_one_and_the_share()
    {
        // 25 of 41: 45.73–74.34 shows as 45–75, not as the nearest 46–74; the share 60.98 rounds to 61.
        var share = new CommunityShare(25, 16);
        Assert.Equal(new ShareInterval(45, 75), share.Interval);
        Assert.Equal(61, share.Percent);
        Assert.Equal("61% ship, 95% range 45–75%, 41 votes", share.Summary);
        for (var votes = 10; votes <= 60; votes++)
        {
            for (var ship = 0; ship <= votes; ship++)
            {
                var figure = new CommunityShare(ship, votes - ship);
                var (exactLow, exactHigh) = WilsonBounds(ship, votes);
                Assert.True(figure.Interval!.Low <= exactLow * 100 + 1e-9 && figure.Interval.High >= exactHigh * 100 - 1e-9, $"{ship} of {votes}");
                Assert.True(figure.Interval.Contains(figure.Percent!.Value), $"{ship} of {votes}");
            }
        }
    }

    [Theory]
    [InlineData(3, 1, "3 ship · 1 skip, too few votes for a share")]
    [InlineData(9, 0, "9 ship · 0 skip, too few votes for a share")]
    [InlineData(0, 1, "0 ship · 1 skip, too few votes for a share")]
    public void Below_ten_votes_there_are_counts_and_no_share(long ship, long skip, string summary)
    {
        var share = new CommunityShare(ship, skip);
        Assert.Null(share.Percent);
        Assert.Null(share.Interval);
        Assert.Equal(summary, share.Summary);
        Assert.DoesNotContain("%", share.Headline + share.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void Ten_votes_are_enough_for_a_share()
    {
        var share = new CommunityShare(5, 5);
        var (low, high) = Shown(5, 10);
        Assert.Equal(50, share.Percent);
        Assert.Equal($"50% ship, 95% range {low}–{high}%, 10 votes", share.Summary);
    }

    [Fact]
    public void With_no_votes_it_says_so()
    {
        var share = new CommunityShare(0, 0);
        Assert.Equal("No votes yet", share.Summary);
        Assert.Equal("no votes yet", share.Note);
        Assert.Null(share.Percent);
        Assert.Null(share.ToJson().Interval);
    }

    [Theory]
    // Panel 100%: 15 of 30 visitors is 33–67%, outside; 29 votes are too few to say so.
    [InlineData(15, 15, 2, 0, true)]
    [InlineData(5, 24, 2, 0, false)]
    // Panel 50% lies inside 15 of 30's range.
    [InlineData(15, 15, 1, 1, false)]
    // Panel 0%, 30 of 30 visitors ship.
    [InlineData(30, 0, 0, 2, true)]
    // No panel verdicts: nothing to disagree with.
    [InlineData(30, 0, 0, 0, false)]
    public void Visitors_disagree_only_with_thirty_votes_and_the_panel_outside_their_range(long ship, long skip, long panelShip, long panelSkip, bool disagree)
    {
        var sentence = new CommunityShare(ship, skip).DisagreementWith(panelShip, panelSkip, "Alpha");
        Assert.Equal(disagree, sentence is not null);
        if (sentence is null)
            return;
        var (low, high) = Shown(ship, ship + skip);
        var panel = (int)Math.Floor(100.0 * panelShip / (panelShip + panelSkip) + 0.5);
        Assert.StartsWith("Visitors disagree with the panel on Alpha: ", sentence, StringComparison.Ordinal);
        Assert.Contains($"{panel}% ({panelShip} of {panelShip + panelSkip} reviewers), {(panel > high ? "above" : "below")} the visitors' 95% range of {low}–{high}%",
            sentence, StringComparison.Ordinal);
    }
}
