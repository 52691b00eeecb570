using System.Text;

namespace Verdicts.Tests.Infrastructure;

/// <summary>A vote posted as a script or a form without a page would: from a given client address and with a given cookie.</summary>
public static class VoteRequest
{
    public static HttpRequestMessage Post(string tool, string choice, string? address = null, string? cookie = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"/tools/{tool}/vote", UriKind.Relative))
        {
            Content = new StringContent($"choice={choice}", Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        if (address is not null)
            request.Headers.Add("X-Test-Client-IP", address);
        if (cookie is not null)
            request.Headers.Add("Cookie", cookie);
        return request;
    }
}
