using Verdicts.Tests.Infrastructure;
using Verdicts.Web.Content;

namespace Verdicts.Tests.Content;

// Show is called directly, as the command's timer would; the test clock decides how long the command has run.
public sealed class ProgressLineTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Nothing_is_written_in_the_first_second()
    {
        var clock = new TestClock(Start);
        var output = new StringWriter();
        using (var line = new ProgressLine(output, isTerminal: true, clock))
        {
            line.Show("read 1 of 3 files, 0 errors");
            clock.Now = Start.AddSeconds(1);
            line.Show("read 2 of 3 files, 0 errors");
        }
        Assert.Equal("", output.ToString());
    }

    [Fact]
    public void After_a_second_the_counts_are_rewritten_in_place_and_wiped_at_the_end()
    {
        var clock = new TestClock(Start);
        var output = new StringWriter();
        using (var line = new ProgressLine(output, isTerminal: true, clock))
        {
            clock.Now = Start.AddSeconds(1.25);
            line.Show("read 9 of 12 files, 10 errors");
            Assert.Equal("read 9 of 12 files, 10 errors\r", output.ToString());
            clock.Now = Start.AddSeconds(1.5);
            // Shorter than the line before: padded so that nothing of it is left showing.
            line.Show("read 12 of 12 files, 1 error");
        }
        Assert.Equal(
            "read 9 of 12 files, 10 errors\r"
            + "read 12 of 12 files, 1 error \r"
            + "                             \r",
            output.ToString());
    }

    [Fact]
    public void Nothing_is_written_when_the_output_is_not_a_terminal()
    {
        var clock = new TestClock(Start);
        var output = new StringWriter();
        using (var line = new ProgressLine(output, isTerminal: false, clock))
        {
            clock.Now = Start.AddSeconds(5);
            line.Show("read 1 of 3 files, 0 errors");
        }
        Assert.Equal("", output.ToString());
    }

    [Fact]
    public void A_timer_tick_after_the_end_writes_nothing()
    {
        var clock = new TestClock(Start);
        var output = new StringWriter();
        var line = new ProgressLine(output, isTerminal: true, clock);
        clock.Now = Start.AddSeconds(2);
        line.Dispose();
        line.Show("read 3 of 3 files, 0 errors");
        Assert.Equal("", output.ToString());
    }
}
