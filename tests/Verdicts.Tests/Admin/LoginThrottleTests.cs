using System.Globalization;
using Verdicts.Tests.Infrastructure;
using Verdicts.Web.Admin;

namespace Verdicts.Tests.Admin;

public sealed class LoginThrottleTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    // The longest name the sign-in form lets through, different for every attempt.
    private static string LongName(int i) => i.ToString("D8", CultureInfo.InvariantCulture).PadRight(LoginThrottle.MaxNameLength, 'x');

    private static string Address(int i) => $"10.{i / 65536 % 256}.{i / 256 % 256}.{i % 256}";

    [Fact]
    public void Thousands_of_failures_with_distinct_long_names_from_many_addresses_keep_at_most_the_cap()
    {
        var throttle = new LoginThrottle(new TestClock(Start));
        var largest = 0;
        for (var i = 0; i < 3 * LoginThrottle.MaxEntries; i++)
        {
            throttle.Failed(LongName(i), Address(i % 5_000));
            largest = Math.Max(largest, throttle.EntryCount);
        }
        Assert.True(largest <= LoginThrottle.MaxEntries, $"the throttle held {largest} entries; the cap is {LoginThrottle.MaxEntries}");
        Assert.True(throttle.EntryCount > 0);
    }

    [Fact]
    public void Entries_are_dropped_once_their_window_has_passed()
    {
        var clock = new TestClock(Start);
        var throttle = new LoginThrottle(clock);
        for (var i = 0; i < 100; i++)
            throttle.Failed("name" + i, "192.0.2.1");
        Assert.Equal(101, throttle.EntryCount);

        clock.Now += TimeSpan.FromMinutes(16);
        throttle.Failed("someone", "192.0.2.2");

        // Only the new failure's two entries: its name from its address, and its address.
        Assert.Equal(2, throttle.EntryCount);
    }

    [Fact]
    public void Failures_for_a_name_from_one_address_do_not_lock_that_name_out_elsewhere()
    {
        var throttle = new LoginThrottle(new TestClock(Start));
        for (var i = 0; i < LoginThrottle.FreeAttempts; i++)
            throttle.Failed("ada", "198.51.100.1");

        Assert.Equal(TimeSpan.Zero, throttle.RetryAfter("ada", "198.51.100.2"));
        Assert.True(throttle.RetryAfter("ada", "198.51.100.1") > TimeSpan.Zero);
        Assert.True(throttle.RetryAfter("ADA", "198.51.100.1") > TimeSpan.Zero);
        Assert.True(throttle.RetryAfter("someone", "198.51.100.1") > TimeSpan.Zero);
    }
}
