using System.Collections.Concurrent;
using Dapper;
using Verdicts.Web.Data;

namespace Verdicts.Web.Admin;

/// <summary>
/// Slows password guessing: after a few failures for one name from one address, or from one address for any names,
/// further attempts from there are refused for a while that doubles with each failure (up to 15 minutes). Failures
/// are never counted per name alone, so failing from elsewhere cannot lock an admin out of their own address.
/// With <see cref="VerdictsOptions.Postgres"/> set the counts are rows there (<c>login_failures</c>), so every node
/// counts the same failures; else they are in this node's memory. While PostgreSQL cannot be reached the calls throw,
/// and the sign-in answers 503 as it would on saving its session.
/// </summary>
public sealed class LoginThrottle(TimeProvider time, Database? database = null)
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

    private Database? Shared => database is { OnPostgres: true } ? database : null;

    /// <summary>Entries kept: names from addresses, and addresses.</summary>
    public async Task<int> CountEntriesAsync()
    {
        if (Shared is null)
            return failures.Count;
        using var connection = Shared.ReadWrites();
        return await connection.ExecuteScalarAsync<int>("SELECT count(*)::int FROM login_failures");
    }

    /// <summary>How long the caller must wait before trying again, or zero.</summary>
    public async Task<TimeSpan> RetryAfterAsync(string account, string address)
    {
        var byName = new Key(Normalize(account), address);
        var byAddress = new Key(null, address);
        if (Shared is null)
            return RetryAfter(time.GetUtcNow(), failures.GetValueOrDefault(byName), failures.GetValueOrDefault(byAddress));
        const string Sql = """
            SELECT account, failures AS Count, last_failure AS Last FROM login_failures
            WHERE address = @address AND account IN (@account, '')
            """;
        List<Row> rows;
        using (var connection = Shared.ReadWrites())
            rows = (await connection.QueryAsync<Row>(Sql, new { address, account = byName.Account })).ToList();
        return RetryAfter(time.GetUtcNow(), rows.FirstOrDefault(r => r.Account.Length > 0)?.Failures, rows.FirstOrDefault(r => r.Account.Length == 0)?.Failures);
    }

    public async Task FailedAsync(string account, string address)
    {
        var now = time.GetUtcNow();
        var name = Normalize(account);
        if (Shared is null)
        {
            foreach (var key in new[] { new Key(name, address), new Key(null, address) })
            {
                failures.AddOrUpdate(key, _ => new Failures(1, now),
                    (_, old) => new Failures(now - old.Last > Window ? 1 : old.Count + 1, now));
            }
            Trim(now);
            return;
        }
        // Both counts in one statement; a count whose last failure is past the window starts again, as in memory.
        const string Sql = """
            INSERT INTO login_failures AS f (account, address, failures, last_failure) VALUES (@name, @address, 1, @now), ('', @address, 1, @now)
            ON CONFLICT (account, address) DO UPDATE
                SET failures = CASE WHEN f.last_failure < @now - @window * interval '1 second' THEN 1 ELSE f.failures + 1 END, last_failure = @now
            """;
        using var connection = Shared.OpenWrites();
        if (now.UtcTicks >= Interlocked.Read(ref nextSweepTicks))
        {
            Interlocked.Exchange(ref nextSweepTicks, (now + TimeSpan.FromMinutes(1)).UtcTicks);
            // No lockout outlasts the window, so a row past it holds nothing back.
            const string Sweep = "DELETE FROM login_failures WHERE last_failure < @now - @window * interval '1 second'";
            await connection.ExecuteAsync(Sweep, new { now, window = Window.TotalSeconds });
        }
        await connection.ExecuteAsync(Sql, new { name, address, now, window = Window.TotalSeconds });
    }

    public async Task SucceededAsync(string account, string address)
    {
        var name = Normalize(account);
        if (Shared is null)
        {
            failures.TryRemove(new Key(name, address), out _);
            return;
        }
        using var connection = Shared.OpenWrites();
        await connection.ExecuteAsync("DELETE FROM login_failures WHERE account = @name AND address = @address", new { name, address });
    }

    /// <summary>Failures within the window, the latest first, with when each lockout ends if one is running.</summary>
    public async Task<IReadOnlyList<Entry>> RecentAsync(int count)
    {
        var now = time.GetUtcNow();
        IEnumerable<(Key Key, Failures Value)> recent;
        if (Shared is null)
        {
            recent = failures.Select(f => (f.Key, f.Value));
        }
        else
        {
            const string Sql = """
                SELECT account, address, failures AS Count, last_failure AS Last FROM login_failures
                WHERE last_failure >= @now - @window * interval '1 second' ORDER BY last_failure DESC LIMIT @count
                """;
            using var connection = Shared.ReadWrites();
            recent = (await connection.QueryAsync<Row>(Sql, new { now, window = Window.TotalSeconds, count }))
                .Select(r => (new Key(r.Account.Length == 0 ? null : r.Account, r.Address), r.Failures)).ToList();
        }
        return recent.Where(f => now - f.Value.Last <= Window)
            .OrderByDescending(f => f.Value.Last).ThenBy(f => f.Key.Address, StringComparer.Ordinal).ThenBy(f => f.Key.Account, StringComparer.Ordinal)
            .Take(count)
            .Select(f => new Entry(f.Key.Account, f.Key.Address, f.Value.Count, f.Value.Last,
                LockedUntil(f.Value, now) is var until && until > now ? until : null))
            .ToList();
    }

    /// <summary>A <c>login_failures</c> row; the account is empty for an address's count over all names.</summary>
    private sealed record Row
    {
        public string Account { get; init; } = "";
        public string Address { get; init; } = "";
        public long Count { get; init; }
        public DateTime Last { get; init; }

        public Failures Failures => new((int)Math.Min(int.MaxValue, Count), new DateTimeOffset(DateTime.SpecifyKind(Last, DateTimeKind.Utc)));
    }

    private static TimeSpan RetryAfter(DateTimeOffset now, Failures? byName, Failures? byAddress) =>
        new[] { LockedUntil(byName, now) - now, LockedUntil(byAddress, now) - now, TimeSpan.Zero }.Max();

    private static string Normalize(string account) => account.Length <= MaxNameLength
        ? account.ToLowerInvariant()
        : throw new ArgumentOutOfRangeException(nameof(account), $"names longer than {MaxNameLength} characters are refused before the throttle");

    private static DateTimeOffset LockedUntil(Failures? entry, DateTimeOffset now)
    {
        if (entry is null || entry.Count < FreeAttempts || now - entry.Last > Window)
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
