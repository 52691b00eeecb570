using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using System.Data.Common;
using Microsoft.Extensions.Options;
using Verdicts.Web.Data;
using Verdicts.Web.Security;

namespace Verdicts.Web.Admin;

/// <summary>
/// Admin sign-ins kept on the server, so a session can end before its cookie does: at sign-out, when its account
/// leaves the configuration or its password changes, and at <see cref="VerdictsOptions.AdminSessionHours"/> after
/// signing in however active the admin is (the cookie's own expiry slides). The cookie carries a random id; the
/// table keeps its SHA-256, so a copy of the database signs no one in. Nothing about a session is cached: every admin
/// request reads its row, so an ending made on one node (sign-out, or a node started without the account) holds on all.
/// </summary>
public sealed class AdminSessions(Database database, AdminAccounts accounts, TimeProvider time, IOptions<VerdictsOptions> options,
    ILogger<AdminSessions> logger) : IHostedService
{
    public const string IdClaim = "verdicts:session";

    private sealed record Session
    {
        public string IdHash { get; init; } = "";
        public required string Admin { get; init; }
        public required string PasswordFingerprint { get; init; }
        public required string EndsAt { get; init; }
    }

    /// <summary>Records a sign-in by a configured admin and returns the principal for its cookie.</summary>
    public async Task<ClaimsPrincipal> StartAsync(string admin)
    {
        var account = accounts.Find(admin) ?? throw new InvalidOperationException("only a configured admin signs in");
        var id = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
        var now = time.GetUtcNow();
        // Sessions past their end are cleared here, so the table holds at most the sign-ins of one lifetime.
        const string Sql = """
            DELETE FROM admin_sessions WHERE ends_at <= @now;
            INSERT INTO admin_sessions (id_hash, admin, password_fingerprint, started_at, ends_at)
            VALUES (@idHash, @admin, @fingerprint, @now, @endsAt);
            """;
        using (var connection = database.OpenWrites())
        {
            await connection.ExecuteAsync(Sql, new
            {
                idHash = Sha256(id), admin = account.Name, fingerprint = Fingerprint(account),
                now = Stamp(now), endsAt = Stamp(now + TimeSpan.FromHours(options.Value.AdminSessionHours)),
            });
        }
        return new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, account.Name), new Claim(IdClaim, id)],
            CookieAuthenticationDefaults.AuthenticationScheme));
    }

    /// <summary>The cookie handler's check on every admin request (<see cref="CookieAuthenticationEvents.OnValidatePrincipal"/>).</summary>
    public async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        if (await RefusalAsync(context.Principal) is not { } reason)
            return;
        logger.LogInformation("Admin session for {Admin} refused: {Reason}", LogText.Escape(context.Principal?.Identity?.Name ?? "-"), reason);
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(context.Scheme.Name);
    }

    /// <summary>
    /// At start: ends the sessions of accounts this node's configuration no longer has, or whose password it has changed.
    /// Admins are removed by editing the settings and restarting; other nodes read the same rows, so the first node
    /// restarted with the new settings ends those sessions on every node, not only when the cookie next reaches it.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        const string Sql = "SELECT id_hash AS IdHash, admin, password_fingerprint AS PasswordFingerprint, ends_at AS EndsAt FROM admin_sessions";
        try
        {
            using var connection = database.OpenWrites();
            var revoked = (await connection.QueryAsync<Session>(Sql))
                .Where(s => accounts.Find(s.Admin) is not { } account || !string.Equals(Fingerprint(account), s.PasswordFingerprint, StringComparison.Ordinal))
                .ToList();
            if (revoked.Count == 0)
                return;
            const string Delete = "DELETE FROM admin_sessions WHERE id_hash = @IdHash";
            await connection.ExecuteAsync(Delete, revoked);
            logger.LogInformation("Ended {Count} admin sessions of removed accounts or changed passwords", revoked.Count);
        }
        catch (DbException ex) when (database.IsUnavailable(ex))
        {
            // Each request still checks its session against this node's accounts and ends it there.
            logger.LogWarning("Could not end the sessions of removed admins at start: {Reason}", ex.Message);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Sign-out: the session ends on the server, so a copy of its cookie is worth nothing from now on.</summary>
    public Task EndAsync(ClaimsPrincipal user) => user.FindFirstValue(IdClaim) is { } id ? EndAsync(id) : Task.CompletedTask;

    private async Task<string?> RefusalAsync(ClaimsPrincipal? principal)
    {
        if (principal?.FindFirstValue(IdClaim) is not { } id || principal.Identity?.Name is not { } name)
            return "the cookie names no session";
        const string Sql = """
            SELECT admin, password_fingerprint AS PasswordFingerprint, ends_at AS EndsAt FROM admin_sessions WHERE id_hash = @idHash
            """;
        Session? session;
        using (var connection = database.ReadWrites())
            session = await connection.QuerySingleOrDefaultAsync<Session>(Sql, new { idHash = Sha256(id) });
        if (session is null || !string.Equals(session.Admin, name, StringComparison.Ordinal))
            return "the session has ended";
        var reason = accounts.Find(session.Admin) is not { } account ? "the account is no longer configured"
            : !string.Equals(Fingerprint(account), session.PasswordFingerprint, StringComparison.Ordinal) ? "the account's password has changed"
            : string.CompareOrdinal(Stamp(time.GetUtcNow()), session.EndsAt) >= 0 ? "the session's lifetime has passed"
            : null;
        if (reason is not null)
        {
            try
            {
                await EndAsync(id);
            }
            catch (DbException ex)
            {
                // The session is refused all the same; its row fails the same check next time.
                logger.LogWarning(ex, "Could not delete a refused admin session");
            }
        }
        return reason;
    }

    private async Task EndAsync(string id)
    {
        const string Sql = "DELETE FROM admin_sessions WHERE id_hash = @idHash";
        using var connection = database.OpenWrites();
        await connection.ExecuteAsync(Sql, new { idHash = Sha256(id) });
    }

    private static string Fingerprint(AdminAccount account) => Sha256(account.PasswordHash);

    private static string Sha256(string value) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(value)));

    // Fixed width, so the text sorts as the time does.
    private static string Stamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
}
