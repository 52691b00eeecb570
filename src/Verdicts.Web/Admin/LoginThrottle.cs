using System.Collections.Concurrent;

namespace Verdicts.Web.Admin;

/// <summary>
/// Slows password guessing: after a few failures for one name from one address, or from one address for any names,
/// further attempts from there are refused for a while that doubles with each failure (up to 15 minutes). Failures
/// are never counted per name alone, so failing from elsewhere cannot lock an admin out of their own address.
/// </summary>
public sealed class LoginThrottle(TimeProvider time)
{
    public const int FreeAttempts = 5;

    /// <summary>Longer names and passwords are refused before they reach the throttle or the hasher.</summary>
    public const int MaxNameLength = 64;

    public const int MaxPasswordLength = 1024;

    /// <summary>
    /// Entries kept at most, whatever is typed and from however many addresses: past it the oldest go first. Each is
    /// a name of at most <see cref="MaxNameLength"/> characters and an address, so this bounds the memory too.
    /// </summary>
    public const int MaxEntries = 10_000;

    private static readonly TimeSpan Window = TimeSpan.FromMinutes(15);
    private static readonly TimeSpan MaxLockout = TimeSpan.FromMinutes(15);

    /// <summary>A name from an address, or (with no account) the address whatever the name.</summary>
    private readonly record struct Key(string? Account, string Address);

    private sealed record Failures(int Count, DateTimeOffset Last);

    /// <summary>What the admin area shows of a throttle entry; <see cref="Account"/> is null for an address's count over all names.</summary>
    public sealed record Entry(string? Account, string Address, int Failures, DateTimeOffset LastFailure, DateTimeOffset? LockedUntil);

    private readonly ConcurrentDictionary<Key, Failures> failures = new();
    private readonly Lock trimming = new();
    private long nextSweepTicks;

    public int EntryCount => failures.Count;

    /// <summary>How long the caller must wait before trying again, or zero.</summary>
    public TimeSpan RetryAfter(string account, string address)
    {
        var now = time.GetUtcNow();
        var byName = LockedUntil(new Key(Normalize(account), address), now) - now;
        var byAddress = LockedUntil(new Key(null, address), now) - now;
        return new[] { byName, byAddress, TimeSpan.Zero }.Max();
    }

    public void Failed(string account, string address)
    {
        var now = time.GetUtcNow();
        foreach (var key in new[] { new Key(Normalize(account), address), new Key(null, address) })
        {
            failures.AddOrUpdate(key, _ => new Failures(1, now),
                (_, old) => new Failures(now - old.Last > Window ? 1 : old.Count + 1, now));
        }
        Trim(now);
    }

    public void Succeeded(string account, string address) => failures.TryRemove(new Key(Normalize(account), address), out _);

    /// <summary>Failures within the window, the latest first, with when each lockout ends if one is running.</summary>
    public IReadOnlyList<Entry> Recent(int count)
    {
        var now = time.GetUtcNow();
        return failures.Where(f => now - f.Value.Last <= Window)
            .OrderByDescending(f => f.Value.Last).ThenBy(f => f.Key.Address, StringComparer.Ordinal).ThenBy(f => f.Key.Account, StringComparer.Ordinal)
            .Take(count)
            .Select(f => new Entry(f.Key.Account, f.Key.Address, f.Value.Count, f.Value.Last,
                LockedUntil(f.Key, now) is var until && until > now ? until : null))
            .ToList();
    }

    private static string Normalize(string account) => account.Length <= MaxNameLength
        ? account.ToLowerInvariant()
        : throw new ArgumentOutOfRangeException(nameof(account), $"names longer than {MaxNameLength} characters are refused before the throttle");

    private DateTimeOffset LockedUntil(Key key, DateTimeOffset now)
    {
        if (!failures.TryGetValue(key, out var entry) || entry.Count < FreeAttempts || now - entry.Last > Window)
            return DateTimeOffset.MinValue;
        return entry.Last + TimeSpan.FromSeconds(Math.Min(MaxLockout.TotalSeconds, 30 * Math.Pow(2, entry.Count - FreeAttempts)));
    }

    /// <summary>
    /// Drops entries past their window (at most once a minute, or at once when over the cap), then the oldest while
    /// still over the cap. It trims to nine tenths of the cap, so a flood sorts the entries once per thousand failures.
    /// </summary>
    private void Trim(DateTimeOffset now)
    {
        if (failures.Count <= MaxEntries && now.UtcTicks < Volatile.Read(ref nextSweepTicks))
            return;
        lock (trimming)
        {
            Volatile.Write(ref nextSweepTicks, (now + TimeSpan.FromMinutes(1)).UtcTicks);
            // No lockout outlasts the window, so an entry past it holds nothing back.
            foreach (var (key, value) in failures)
            {
                if (now - value.Last > Window)
                    failures.TryRemove(new KeyValuePair<Key, Failures>(key, value));
            }
            if (failures.Count <= MaxEntries)
                return;
            foreach (var (key, value) in failures.ToArray().OrderBy(f => f.Value.Last).Take(failures.Count - MaxEntries * 9 / 10))
                failures.TryRemove(new KeyValuePair<Key, Failures>(key, value));
        }
    }
}
