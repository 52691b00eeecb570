using System.Threading.RateLimiting;
using Dapper;
using Verdicts.Web.Data;

namespace Verdicts.Web.Security;

/// <summary>
/// The visitor limit when the written data is in PostgreSQL: each client key's token bucket is a row there, so a client
/// alternating between nodes gets what one node would give it, and no node keeps anything per key in memory. The row
/// holds the time the bucket will be full again (the generic cell rate algorithm: a token bucket refilled evenly, one
/// token every period / tokens-per-period), so one statement refills and takes, atomically, by the site's clock.
/// While PostgreSQL cannot be reached the request is refused with 503 and Retry-After: the vote or sign-up it guards
/// could not be saved either, and nothing is let through uncounted.
/// </summary>
public sealed class SharedRateLimiter(Database database, TimeProvider time, RateLimitOptions options, ILogger<SharedRateLimiter> logger)
    : PartitionedRateLimiter<HttpContext>
{
    /// <summary>The reason on the lease refused because PostgreSQL could not be reached; the rejection answers 503 then.</summary>
    public const string Unavailable = "rate limit store unavailable";

    private static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(1);

    // Seconds between two tokens.
    private readonly double interval = options.PeriodSeconds / options.TokensPerPeriod;
    private long nextSweepTicks;

    public override RateLimiterStatistics? GetStatistics(HttpContext resource) => null;

    // The middleware tries this first and, when refused, awaits AcquireAsyncCore: the database is asked there, not on a blocked thread.
    protected override RateLimitLease AttemptAcquireCore(HttpContext resource, int permitCount) =>
        VisitorRateLimits.IsVisitorPost(resource.Request) ? Lease.NotYet : Lease.Granted;

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(HttpContext resource, int permitCount, CancellationToken cancellationToken)
    {
        if (!VisitorRateLimits.IsVisitorPost(resource.Request))
            return Lease.Granted;
        try
        {
            return await TakeAsync(VisitorRateLimits.ClientKey(resource.Connection.RemoteIpAddress), permitCount, cancellationToken) ? Lease.Granted : Lease.Refused;
        }
        catch (Exception ex) when (database.IsUnavailable(ex))
        {
            logger.LogWarning("Rate limit not checked, PostgreSQL unavailable: {Reason}", ex.Message);
            return Lease.StoreUnavailable;
        }
    }

    private async Task<bool> TakeAsync(string key, int permits, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        using var connection = database.OpenWrites();
        if (now.UtcTicks >= Interlocked.Read(ref nextSweepTicks))
        {
            Interlocked.Exchange(ref nextSweepTicks, (now + SweepInterval).UtcTicks);
            // A bucket full again is the same as no row; any node clears them, so the table holds only recent clients.
            const string Sweep = "DELETE FROM rate_limits WHERE full_at <= @now";
            await connection.ExecuteAsync(new CommandDefinition(Sweep, new { now }, cancellationToken: cancellationToken));
        }
        // A new key starts full, so its first request is taken; the update is skipped (no row returned) when taking
        // would push the full time past now + the whole burst's worth of tokens.
        const string Take = """
            INSERT INTO rate_limits AS bucket (key, full_at) VALUES (@key, @now + @cost * interval '1 second')
            ON CONFLICT (key) DO UPDATE SET full_at = greatest(bucket.full_at, @now) + @cost * interval '1 second'
                WHERE greatest(bucket.full_at, @now) + @cost * interval '1 second' <= @now + @burst * interval '1 second'
            RETURNING 1
            """;
        // Seconds, since Dapper would send a TimeSpan as a time of day.
        return await connection.ExecuteScalarAsync<int?>(new CommandDefinition(Take,
            new { key, now, cost = interval * permits, burst = interval * options.TokenLimit }, cancellationToken: cancellationToken)) is not null;
    }

    // Shared instances: a lease holds nothing to release.
    private sealed class Lease(bool acquired, string? reason = null) : RateLimitLease
    {
        public static readonly Lease Granted = new(true);
        public static readonly Lease NotYet = new(false);
        public static readonly Lease Refused = new(false);
        public static readonly Lease StoreUnavailable = new(false, Unavailable);

        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => reason is null ? [] : [MetadataName.ReasonPhrase.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = reason;
            return reason is not null && metadataName == MetadataName.ReasonPhrase.Name;
        }
    }
}
