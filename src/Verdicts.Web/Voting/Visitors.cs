using System.Buffers.Binary;
using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Verdicts.Web.Data;

namespace Verdicts.Web.Voting;

/// <summary>
/// Anonymous visitors: a random id in a first-party cookie, signed by the site so that only ids it issued are taken,
/// and stored server-side only as an HMAC under a key from configuration or, by default, generated on first start and
/// kept in the database.
/// </summary>
/// <remarks>
/// An id begins with the time it was made (six bytes of Unix milliseconds, then twelve random bytes), and the stored
/// voter begins with that time in hex, so votes keyed by voter (Data/Migrations/005) arrive at the end of the table
/// rather than on a random page of it. Ids made before that (22 characters, all random) keep the plain hash they were
/// stored under, so those visitors keep their votes. The cookie holds <c>id.signature</c>; an unsigned id, made before
/// ids were signed, is taken only if votes are stored under it, and is then given its signature.
/// </remarks>
public sealed class Visitors
{
    private const string PlainCookie = "vid";
    private const string HostCookie = "__Host-vid";
    private const int TimeBytes = 6;
    private const int IdBytes = TimeBytes + 12;
    private const int IdLength = IdBytes * 4 / 3;
    private const int LegacyIdLength = 22;
    // 128 bits of HMAC: as hard to guess as the id itself.
    private const int SignatureBytes = 16;
    private const int NetworkHashBytes = 16;

    // The signing and network keys are derived from the voter key, so there is still one secret.
    private readonly byte[] voterKey;
    private readonly byte[] signingKey;
    private readonly byte[] networkKey;
    private readonly Database database;
    private readonly TimeProvider time;

    public Visitors(IOptions<VerdictsOptions> options, Database database, TimeProvider time)
    {
        this.database = database;
        this.time = time;
        var configured = options.Value.VoterKey;
        voterKey = configured is { Length: > 0 } ? Encoding.UTF8.GetBytes(configured) : Secrets.GetOrCreate(database, "voter-key");
        signingKey = HMACSHA256.HashData(voterKey, "visitor id signature"u8);
        networkKey = HMACSHA256.HashData(voterKey, "network bucket"u8);
    }

    /// <summary>
    /// The visitor's hashed id, issuing a signed one (and setting the cookie) when the visitor has none. Null when the
    /// cookie carries an id this site did not issue: the cookie is then cleared, so a browser holding a damaged one
    /// gets a new id on its next vote.
    /// </summary>
    /// <param name="isNew">The id was made for this request.</param>
    public string? Identify(HttpContext context, out bool isNew)
    {
        isNew = false;
        var value = CookieOf(context.Request);
        if (value is null)
        {
            isNew = true;
            var id = NewId();
            SetCookie(context, id);
            return Hash(id);
        }
        if (SignedId(value) is { } signed)
            return Hash(signed);
        if (IsId(value) && Hash(value) is var voter && HasVotes(voter))
        {
            SetCookie(context, value);
            return voter;
        }
        var https = context.Request.IsHttps;
        context.Response.Cookies.Delete(https ? HostCookie : PlainCookie, new CookieOptions { Path = "/", Secure = https, HttpOnly = true, SameSite = SameSiteMode.Lax });
        return null;
    }

    /// <summary>The visitor's hashed id if the request carries an id (signed, or from before signing); never sets one.</summary>
    /// <remarks>Only reads the visitor's own votes, so an unsigned id is taken as it is: it shows nothing unless it holds votes.</remarks>
    public string? Known(HttpRequest request) => CookieOf(request) is { } value && (SignedId(value) ?? (IsId(value) ? value : null)) is { } id ? Hash(id) : null;

    public string Hash(string visitorId)
    {
        var made = visitorId.Length == LegacyIdLength ? 0 : TimeBytes;
        Span<byte> voter = stackalloc byte[made + HMACSHA256.HashSizeInBytes];
        Base64Url.DecodeFromChars(visitorId.AsSpan(0, made * 4 / 3), voter[..made]);
        HMACSHA256.HashData(voterKey, Encoding.UTF8.GetBytes(visitorId), voter[made..]);
        return Convert.ToHexStringLower(voter);
    }

    /// <summary>
    /// A keyed hash of the network a client is in (IPv4 /24, IPv6 /64), kept with each vote so a flood from one network
    /// can be seen and withdrawn. The address itself is never kept, and without the key the hash cannot be tied to one.
    /// </summary>
    public string? NetworkOf(IPAddress? address)
    {
        if (address is null)
            return null;
        if (address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();
        Span<byte> bytes = stackalloc byte[16];
        if (!address.TryWriteBytes(bytes, out var written))
            return null;
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(networkKey, written == 4 ? bytes[..3] : bytes[..8], mac);
        return Convert.ToHexStringLower(mac[..NetworkHashBytes]);
    }

    private void SetCookie(HttpContext context, string id)
    {
        var https = context.Request.IsHttps;
        context.Response.Cookies.Append(https ? HostCookie : PlainCookie, id + "." + Signature(id), new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Lax,
            Secure = https,
            Path = "/",
            MaxAge = TimeSpan.FromDays(400),
            IsEssential = true,
        });
    }

    private string Signature(string id)
    {
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        Sign(id, mac);
        return Base64Url.EncodeToString(mac[..SignatureBytes]);
    }

    private void Sign(string id, Span<byte> mac) => HMACSHA256.HashData(signingKey, Encoding.ASCII.GetBytes(id), mac);

    /// <summary>The id in an <c>id.signature</c> cookie value, if the signature is this site's.</summary>
    private string? SignedId(string value)
    {
        var dot = value.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0 || !IsId(value[..dot]))
            return null;
        Span<byte> given = stackalloc byte[SignatureBytes + 2];
        if (Base64Url.DecodeFromChars(value.AsSpan(dot + 1), given, out _, out var length) != System.Buffers.OperationStatus.Done || length != SignatureBytes)
            return null;
        var id = value[..dot];
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        Sign(id, mac);
        return CryptographicOperations.FixedTimeEquals(mac[..SignatureBytes], given[..SignatureBytes]) ? id : null;
    }

    private static bool IsId(string value) =>
        value is { Length: IdLength or LegacyIdLength } && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    /// <summary>Whether votes are stored under this voter: the only sign that an unsigned id was once issued here.</summary>
    private bool HasVotes(string voter)
    {
        const string Sql = "SELECT EXISTS (SELECT 1 FROM votes WHERE voter = @voter)";
        try
        {
            using var connection = database.ReadWrites();
            return connection.ExecuteScalar<bool>(Sql, new { voter });
        }
        catch (System.Data.Common.DbException ex)
        {
            throw new VotesUnavailableException("the database could not be read", ex);
        }
    }

    private string NewId()
    {
        Span<byte> id = stackalloc byte[IdBytes];
        Span<byte> now = stackalloc byte[sizeof(long)];
        BinaryPrimitives.WriteInt64BigEndian(now, time.GetUtcNow().ToUnixTimeMilliseconds());
        now[(sizeof(long) - TimeBytes)..].CopyTo(id);
        RandomNumberGenerator.Fill(id[TimeBytes..]);
        return Base64Url.EncodeToString(id);
    }

    private static string? CookieOf(HttpRequest request)
    {
        var value = request.IsHttps ? request.Cookies[HostCookie] : request.Cookies[PlainCookie];
        return string.IsNullOrEmpty(value) ? null : value;
    }
}
