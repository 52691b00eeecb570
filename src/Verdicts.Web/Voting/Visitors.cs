using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Verdicts.Web.Data;

namespace Verdicts.Web.Voting;

/// <summary>
/// Anonymous visitors: a random id in a first-party cookie, stored server-side only as an HMAC under a key
/// from configuration or, by default, generated on first start and kept in the database.
/// </summary>
/// <remarks>
/// An id begins with the time it was made (six bytes of Unix milliseconds, then twelve random bytes), and the stored
/// voter begins with that time in hex, so votes keyed by voter (Data/Migrations/005) arrive at the end of the table
/// rather than on a random page of it. Ids made before that (22 characters, all random) keep the plain hash they were
/// stored under, so those visitors keep their votes.
/// </remarks>
public sealed class Visitors
{
    private const string PlainCookie = "vid";
    private const string HostCookie = "__Host-vid";
    private const int TimeBytes = 6;
    private const int IdBytes = TimeBytes + 12;
    private const int IdLength = IdBytes * 4 / 3;
    private const int LegacyIdLength = 22;

    // One keyed HMAC per thread, reset after each use: setting the key up again for every vote cost more than
    // hashing the id.
    private readonly ThreadLocal<IncrementalHash> hmac;
    private readonly TimeProvider time;

    public Visitors(IOptions<VerdictsOptions> options, Database database, TimeProvider time)
    {
        this.time = time;
        var configured = options.Value.VoterKey;
        var key = configured is { Length: > 0 } ? Encoding.UTF8.GetBytes(configured) : Secrets.GetOrCreate(database, "voter-key");
        hmac = new ThreadLocal<IncrementalHash>(() => IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key));
    }

    /// <summary>The visitor's hashed id, creating and setting the cookie when the visitor has none.</summary>
    /// <param name="isNew">The id was made for this request.</param>
    public string Identify(HttpContext context, out bool isNew)
    {
        var id = ExistingId(context.Request);
        isNew = id is null;
        if (id is null)
        {
            id = NewId();
            var https = context.Request.IsHttps;
            context.Response.Cookies.Append(https ? HostCookie : PlainCookie, id, new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Lax,
                Secure = https,
                Path = "/",
                MaxAge = TimeSpan.FromDays(400),
                IsEssential = true,
            });
        }
        return Hash(id);
    }

    /// <summary>The visitor's hashed id if the request carries a well-formed cookie; never sets one.</summary>
    public string? Known(HttpRequest request) => ExistingId(request) is { } id ? Hash(id) : null;

    public string Hash(string visitorId)
    {
        var hash = hmac.Value!;
        hash.AppendData(Encoding.UTF8.GetBytes(visitorId));
        var made = visitorId.Length == LegacyIdLength ? 0 : TimeBytes;
        Span<byte> voter = stackalloc byte[made + HMACSHA256.HashSizeInBytes];
        Base64Url.DecodeFromChars(visitorId.AsSpan(0, made * 4 / 3), voter[..made]);
        hash.GetHashAndReset(voter[made..]);
        return Convert.ToHexStringLower(voter);
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

    private static string? ExistingId(HttpRequest request)
    {
        var value = request.IsHttps ? request.Cookies[HostCookie] : request.Cookies[PlainCookie];
        return value is { Length: IdLength or LegacyIdLength } && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') ? value : null;
    }
}
