namespace Verdicts.Tests.Infrastructure;

/// <summary>A clock a test sets, for behaviour that turns on the time: days closing, votes counted on the day they came, visitor ids in order.</summary>
public sealed class TestClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
