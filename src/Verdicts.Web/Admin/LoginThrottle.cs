using System.Collections.Concurrent;

namespace Verdicts.Web.Admin;

/// <summary>
/// Slows password guessing: after a few failures for one account or from one address, further attempts are
/// refused for a while that doubles with each failure (up to 15 minutes). A success clears the account's count.
/// </summary>
public sealed class LoginThrottle(TimeProvider time)
{
    public const int FreeAttempts = 5;
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(15);
    private static readonly TimeSpan MaxLockout = TimeSpan.FromMinutes(15);

    private sealed record Failures(int Count, DateTimeOffset Last);

    private readonly ConcurrentDictionary<string, Failures> failures = new(StringComparer.Ordinal);

    /// <summary>How long the caller must wait before trying again, or zero.</summary>
    public TimeSpan RetryAfter(string account, string address) =>
        new[] { Wait("account:" + account.ToLowerInvariant()), Wait("address:" + address) }.Max();

    public void Failed(string account, string address)
    {
        foreach (var key in new[] { "account:" + account.ToLowerInvariant(), "address:" + address })
        {
            failures.AddOrUpdate(key, _ => new Failures(1, time.GetUtcNow()),
                (_, old) => new Failures(time.GetUtcNow() - old.Last > Window ? 1 : old.Count + 1, time.GetUtcNow()));
        }
        if (failures.Count > 10_000)
        {
            foreach (var (key, value) in failures.Where(f => time.GetUtcNow() - f.Value.Last > Window))
                failures.TryRemove(key, out _);
        }
    }

    public void Succeeded(string account) => failures.TryRemove("account:" + account.ToLowerInvariant(), out _);

    private TimeSpan Wait(string key)
    {
        if (!failures.TryGetValue(key, out var entry) || entry.Count < FreeAttempts)
            return TimeSpan.Zero;
        var lockout = TimeSpan.FromSeconds(Math.Min(MaxLockout.TotalSeconds, 30 * Math.Pow(2, entry.Count - FreeAttempts)));
        var left = entry.Last + lockout - time.GetUtcNow();
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }
}
