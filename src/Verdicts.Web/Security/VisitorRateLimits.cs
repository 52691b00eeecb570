using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Verdicts.Web.Security;

/// <summary><c>Verdicts:RateLimit</c>: a token bucket per client address for the anonymous posts (votes, sign-ups).</summary>
public sealed class RateLimitOptions
{
    public bool Disabled { get; set; }

    /// <summary>Burst size: generous, since a whole office may share one address.</summary>
    [Range(1, int.MaxValue)]
    public int TokenLimit { get; set; } = 120;

    [Range(1, int.MaxValue)]
    public int TokensPerPeriod { get; set; } = 60;

    [Range(0.001, 365 * 24 * 3600)]
    public double PeriodSeconds { get; set; } = 60;
}

public static class VisitorRateLimits
{
    /// <summary>The anonymous posts the limit applies to, all sharing one bucket per address: votes and sign-ups.</summary>
    public static bool IsVisitorPost(HttpRequest request) =>
        HttpMethods.IsPost(request.Method)
        // As routing matches paths: in any case, with or without a trailing slash.
        && (string.Equals(request.Path.Value?.TrimEnd('/'), Newsletter.NewsletterEndpoints.SubscribePath, StringComparison.OrdinalIgnoreCase)
            || Voting.VotingEndpoints.VoteSlug(request.Path) is not null);

    /// <summary>The address a limit applies to: IPv4 as is, IPv6 grouped by its /64, since one host often holds a whole /64.</summary>
    public static string ClientKey(IPAddress? address)
    {
        if (address is null)
            return "unknown";
        if (address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
            return address.ToString();
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    /// <summary>
    /// The limiter middleware, left out when limits are switched off (a load test's single client would be refused).
    /// It runs ahead of routing, since votes are answered there (Voting/VotingEndpoints.cs), so it limits by request
    /// rather than by endpoint policy.
    /// </summary>
    public static IApplicationBuilder UseVisitorRateLimits(this IApplicationBuilder app) =>
        app.ApplicationServices.GetRequiredService<IOptions<VerdictsOptions>>().Value.RateLimit.Disabled ? app : app.UseRateLimiter();

    public static IServiceCollection AddVisitorRateLimits(this IServiceCollection services)
    {
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<VerdictsOptions>>((forwarded, verdicts) =>
        {
            var proxies = verdicts.Value.TrustedProxyAddresses();
            // Only proxies named in configuration are believed. The framework trusts loopback by default, and with
            // both lists empty it skips the check and believes everyone, so with no proxies forwarding is off.
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            forwarded.ForwardedHeaders = proxies.Count == 0 ? ForwardedHeaders.None : ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            foreach (var proxy in proxies)
                forwarded.KnownProxies.Add(proxy);
        });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<VerdictsOptions>, Data.Database, TimeProvider, ILoggerFactory>((limiter, verdicts, database, time, logs) =>
        {
            var options = verdicts.Value.RateLimit;
            // With Disabled set, UseVisitorRateLimits leaves the middleware out, so the limiter is never asked. On
            // PostgreSQL every node shares the buckets; on SQLite there is one node, and each bucket lives in its memory.
            limiter.GlobalLimiter = database.OnPostgres
                ? new SharedRateLimiter(database, time, options, logs.CreateLogger<SharedRateLimiter>())
                : PartitionedRateLimiter.Create<HttpContext, string>(context => IsVisitorPost(context.Request)
                    ? RateLimitPartition.GetTokenBucketLimiter(ClientKey(context.Connection.RemoteIpAddress), _ => new TokenBucketRateLimiterOptions
                    {
                        TokenLimit = options.TokenLimit,
                        TokensPerPeriod = options.TokensPerPeriod,
                        ReplenishmentPeriod = TimeSpan.FromSeconds(options.PeriodSeconds),
                        QueueLimit = 0,
                        AutoReplenishment = true,
                    })
                    : RateLimitPartition.GetNoLimiter(""));
            limiter.OnRejected = async (context, cancellationToken) =>
            {
                if (context.Lease.TryGetMetadata(MetadataName.ReasonPhrase, out var reason) && reason == SharedRateLimiter.Unavailable)
                {
                    await Slices.Notice.Refuse(context.HttpContext, StatusCodes.Status503ServiceUnavailable,
                        Voting.VotingEndpoints.VoteSlug(context.HttpContext.Request.Path) is not null ? Voting.VotingEndpoints.Unavailable
                            : "This could not be saved just now. Nothing was saved; please send it again in a few seconds.", TimeSpan.FromSeconds(5));
                    return;
                }
                var seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
                    ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
                    : (int)Math.Ceiling(options.PeriodSeconds / Math.Max(1, options.TokensPerPeriod));
                await Slices.Notice.Refuse(context.HttpContext, StatusCodes.Status429TooManyRequests,
                    $"Too many requests from your network. Try again in {seconds} seconds.", TimeSpan.FromSeconds(seconds));
            };
        });
        // Its options are the ones configured above, from VerdictsOptions.
        return services.AddRateLimiter(_ => { });
    }
}
