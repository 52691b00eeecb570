using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Verdicts.Tests.Infrastructure;
using Verdicts.Web;
using Verdicts.Web.Data;
using Verdicts.Web.Voting;

namespace Verdicts.Tests.Voting;

public sealed class VisitorsTests
{
    private static (string Voter, string Cookie) NewVisitor(Visitors visitors)
    {
        var context = new DefaultHttpContext();
        var voter = visitors.Identify(context, out _)!;
        return (voter, context.Response.Headers.SetCookie.ToString().Split(';')[0]);
    }

    [Fact]
    public void New_visitors_are_stored_in_the_order_they_arrived_whatever_their_random_part()
    {
        var clock = new TestClock(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero));
        var visitors = new Visitors(Options.Create(new VerdictsOptions { VoterKey = "test key" }), new Database(":memory:"), clock);

        var made = new List<string>();
        for (var i = 0; i < 200; i++)
        {
            made.Add(NewVisitor(visitors).Voter);
            clock.Now = clock.Now.AddMilliseconds(1 + i % 3);
        }

        Assert.Equal(made, made.Order(StringComparer.Ordinal));
        Assert.Equal(made.Count, made.Distinct().Count());
        // Two visitors in the same millisecond still differ.
        Assert.NotEqual(NewVisitor(visitors), NewVisitor(visitors));
    }

    [Fact]
    public void A_returning_visitor_is_the_same_voter_and_gets_no_new_cookie()
    {
        var visitors = new Visitors(Options.Create(new VerdictsOptions { VoterKey = "test key" }), new Database(":memory:"), TimeProvider.System);
        var (voter, cookie) = NewVisitor(visitors);

        var back = new DefaultHttpContext();
        back.Request.Headers.Cookie = cookie;
        Assert.Equal(voter, visitors.Identify(back, out _));
        Assert.Equal(voter, visitors.Known(back.Request));
        Assert.False(back.Response.Headers.ContainsKey("Set-Cookie"));
    }
}
