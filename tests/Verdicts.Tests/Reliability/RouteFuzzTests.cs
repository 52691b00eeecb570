using System.Reflection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Verdicts.Tests.Infrastructure;

namespace Verdicts.Tests.Reliability;

/// <summary>
/// Every route the site maps, found from its endpoints (so a new route is covered without touching this test), with
/// hostile values in each route parameter and query key, sent with several methods, anonymously and signed in:
/// nothing answers 5xx, and every answer carries the security headers.
/// </summary>
public sealed class RouteFuzzTests(ITestOutputHelper output)
{
    // Sent as they are, already percent-encoded: whitespace and Unicode spaces, NUL, a lone surrogate and overlong
    // UTF-8 as bytes, invalid bytes, dot segments, separators, bidi overrides, markup, numbers past every type.
    private static readonly string[] Hostile =
    [
        "%20", "%09", "%0B", "%C2%A0", "%E3%80%80", "%E2%80%8B", "%00", "x%00y", "%ED%A0%80", "%ED%B0%80x", "%C0%AF", "%C0%AE%C0%AE",
        "%FF%FE", "..", "%2E%2E", "..%2F..%2Fetc%2Fpasswd", "%2F", "%5C", "%E2%80%AE", "a%E2%80%AEb", "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "%22%27%3E", "%0D%0ASet-Cookie:%20x=1", "%25", "%25%25", "-1", "0", "99999999999999999999", "1e309", "NaN", "CON",
        "tools%2Falpha.md", "alpha", "alpha-or-beta", "ALPHA", "alpha.md", new string('a', 5000), string.Concat(Enumerable.Repeat("%E2%80%AE", 500)),
        "%F0%9F%98%80", "%EF%BF%BF", "%EF%BF%BE", "",
    ];

    // Kestrel refuses a NUL in the path with its own 400 before the site sees it, and the test host throws on one; its
    // answer is covered over a real socket (Security/KestrelAnswerTests). In query strings NUL reaches the site and is sent.
    private static readonly string[] HostileInPaths = [.. Hostile.Where(v => !v.Contains("%00", StringComparison.Ordinal))];

    // Answered by middleware ahead of routing, so not among the endpoints.
    private static readonly string[] MiddlewareRoutes = ["/tools/{slug}/vote"];

    private static readonly string[] Methods = ["GET", "HEAD", "POST", "TRACE", "OPTIONS"];

    // Query keys the pages read from the request by name rather than through a handler's parameters.
    private static readonly string[] QueryKeysReadByName = ["page", "return", "returnUrl", "voted", "handler"];

    private const int RandomRequests = 1500;

    [Fact]
    public async Task Hostile_values_in_every_route_parameter_and_query_key_never_cause_a_5xx()
    {
        var seed = TestSeed.Choose();
        var random = new Random(seed);

        using var content = TestContent.Sample();
        var settings = AdminSession.AdminSettings();
        settings["Verdicts:RateLimit:Disabled"] = "true";
        await using var app = new VerdictsApp(content, settings);
        var anonymous = app.NoRedirects();
        var admin = await AdminSession.SignIn(app);

        var routes = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => e.RoutePattern).Concat(MiddlewareRoutes.Select(r => Microsoft.AspNetCore.Routing.Patterns.RoutePatternFactory.Parse(r)))
            .DistinctBy(p => p.RawText).ToList();
        Assert.Contains(routes, r => r.RawText?.TrimStart('/') == "tools/{slug}");
        var queryKeys = QueryKeys().ToList();
        output.WriteLine($"{routes.Count} routes: {string.Join(", ", routes.Select(r => r.RawText))}");
        output.WriteLine($"query keys: {string.Join(", ", queryKeys)}");

        string Address(Microsoft.AspNetCore.Routing.Patterns.RoutePattern route)
        {
            var path = string.Concat(route.PathSegments.Select(segment => "/" + string.Concat(segment.Parts.Select(part => part switch
            {
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternLiteralPart literal => literal.Content,
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternSeparatorPart separator => separator.Content,
                _ => HostileInPaths[random.Next(HostileInPaths.Length)],
            }))));
            var query = queryKeys.Where(_ => random.Next(3) == 0).Select(key => key + "=" + Hostile[random.Next(Hostile.Length)]);
            return (path.Length == 0 ? "/" : path) + "?" + string.Join('&', query);
        }

        // Each route with each method once, then random ones up to the bound.
        var requests = routes.SelectMany(route => Methods.Select(method => (method, route)))
            .Concat(Enumerable.Range(0, RandomRequests).Select(_ => (method: Methods[random.Next(Methods.Length)], route: routes[random.Next(routes.Count)])))
            .Select(r => (r.method, address: Address(r.route), signedIn: random.Next(2) == 0))
            .ToList();

        var failures = new List<string>();
        foreach (var (method, address, signedIn) in requests)
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(address, UriKind.Relative));
            using var response = await (signedIn ? admin : anonymous).SendAsync(request);
            if ((int)response.StatusCode >= 500 || !response.Headers.Contains("Content-Security-Policy"))
                failures.Add($"{method} {address[..Math.Min(address.Length, 200)]}{(signedIn ? " (signed in)" : "")} -> {(int)response.StatusCode}");
        }

        output.WriteLine($"{requests.Count} requests");
        Assert.True(failures.Count == 0, $"seed {seed}: {failures.Count} of {requests.Count} requests answered 5xx or without the headers:\n"
            + string.Join('\n', failures.Distinct().Take(30)));
    }

    /// <summary>The names the pages' handlers bind: their parameters and bound properties, and the names read directly.</summary>
    private static IEnumerable<string> QueryKeys()
    {
        var pages = typeof(Verdicts.Web.VerdictsOptions).Assembly.GetTypes().Where(t => typeof(PageModel).IsAssignableFrom(t) && !t.IsAbstract);
        var handlerParameters = pages
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Where(m => m.Name.StartsWith("On", StringComparison.Ordinal))
            .SelectMany(m => m.GetParameters())
            .Select(p => p.GetCustomAttribute<FromQueryAttribute>()?.Name ?? p.Name!);
        var boundProperties = pages
            .SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            .Where(p => p.GetCustomAttribute<BindPropertyAttribute>() is not null || p.GetCustomAttribute<FromQueryAttribute>() is not null)
            .Select(p => p.Name);
        return handlerParameters.Concat(boundProperties).Concat(QueryKeysReadByName).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal);
    }
}
