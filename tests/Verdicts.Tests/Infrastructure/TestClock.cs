namespace Verdicts.Tests.Infrastructure;

/// <summary>A clock a test sets, for behaviour that turns on the date: days closing, votes counted on the day they came.</summary>
public sealed class TestClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
