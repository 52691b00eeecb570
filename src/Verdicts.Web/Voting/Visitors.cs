using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Verdicts.Web.Data;

namespace Verdicts.Web.Voting;

/// <summary>
/// Anonymous visitors: a random id in a first-party cookie, stored server-side only as an HMAC under a key
/// from configuration or, by default, generated on first start and kept in the database.
/// </summary>
public sealed class Visitors
{
    private const string PlainCookie = "vid";
    private const string HostCookie = "__Host-vid";

    // One keyed HMAC per thread, reset after each use: setting the key up again for every vote cost more than
    // hashing the 22-character id.
    private readonly ThreadLocal<IncrementalHash> hmac;

    public Visitors(IOptions<VerdictsOptions> options, Database database)
    {
        var configured = options.Value.VoterKey;
        var key = configured is { Length: > 0 } ? Encoding.UTF8.GetBytes(configured) : Secrets.GetOrCreate(database, "voter-key");
        hmac = new ThreadLocal<IncrementalHash>(() => IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key));
    }

    /// <summary>The visitor's hashed id, creating and setting the cookie when the visitor has none.</summary>
    public string Identify(HttpContext context)
    {
        var id = ExistingId(context.Request);
        if (id is null)
        {
            id = Base64Url(RandomNumberGenerator.GetBytes(16));
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
        Span<byte> digest = stackalloc byte[HMACSHA256.HashSizeInBytes];
        hash.GetHashAndReset(digest);
        return Convert.ToHexStringLower(digest);
    }

    private static string? ExistingId(HttpRequest request)
    {
        var value = request.IsHttps ? request.Cookies[HostCookie] : request.Cookies[PlainCookie];
        return value is { Length: 22 } && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') ? value : null;
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
