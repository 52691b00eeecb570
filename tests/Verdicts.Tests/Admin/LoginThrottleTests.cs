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
    public async Task Thousands_of_failures_with_distinct_long_names_from_many_addresses_keep_at_most_the_cap()
    {
        var throttle = new LoginThrottle(new TestClock(Start));
        var largest = 0;
        for (var i = 0; i < 3 * LoginThrottle.MaxEntries; i++)
        {
            await throttle.FailedAsync(LongName(i), Address(i % 5_000));
            largest = Math.Max(largest, await throttle.CountEntriesAsync());
        }
        Assert.True(largest <= LoginThrottle.MaxEntries, $"the throttle held {largest} entries; the cap is {LoginThrottle.MaxEntries}");
        Assert.True(await throttle.CountEntriesAsync() > 0);
    }

    [Fact]
    public async Task Entries_are_dropped_once_their_window_has_passed()
    {
        var clock = new TestClock(Start);
        var throttle = new LoginThrottle(clock);
        for (var i = 0; i < 100; i++)
            await throttle.FailedAsync("name" + i, "192.0.2.1");
        Assert.Equal(101, await throttle.CountEntriesAsync());

        clock.Now += TimeSpan.FromMinutes(16);
        await throttle.FailedAsync("someone", "192.0.2.2");

        // Only the new failure's two entries: its name from its address, and its address.
        Assert.Equal(2, await throttle.CountEntriesAsync());
    }

    [Fact]
    public async Task Failures_for_a_name_from_one_address_do_not_lock_that_name_out_elsewhere()
    {
        var throttle = new LoginThrottle(new TestClock(Start));
        for (var i = 0; i < LoginThrottle.FreeAttempts; i++)
            await throttle.FailedAsync("ada", "198.51.100.1");

        Assert.Equal(TimeSpan.Zero, await throttle.RetryAfterAsync("ada", "198.51.100.2"));
        Assert.True(await throttle.RetryAfterAsync("ada", "198.51.100.1") > TimeSpan.Zero);
        Assert.True(await throttle.RetryAfterAsync("ADA", "198.51.100.1") > TimeSpan.Zero);
        Assert.True(await throttle.RetryAfterAsync("someone", "198.51.100.1") > TimeSpan.Zero);
    }
}
