using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.StaticFiles;

namespace Verdicts.Web.Pages;

/// <summary>
/// Cache lifetimes for the files in wwwroot. Pages link them with the framework's content fingerprint
/// (<c>?v=</c>, the same one <c>asp-append-version</c> writes): an address holding the file's current fingerprint can
/// never name other bytes, so browsers keep it a year without asking again; a changed file gets a new address.
/// </summary>
public static class StaticAssets
{
    public const string Fingerprinted = "public, max-age=31536000, immutable";

    // Without the fingerprint (an old link, /favicon.ico, which browsers ask for by name) a file is kept a day.
    public const string Unversioned = "public, max-age=86400";

    public static void SetLifetime(StaticFileResponseContext file)
    {
        var request = file.Context.Request;
        var headers = file.Context.Response.Headers;
        if (request.Query.TryGetValue("v", out var version) && version.Count == 1)
        {
            var current = file.Context.RequestServices.GetRequiredService<IFileVersionProvider>().AddFileVersionToPath(request.PathBase, request.Path);
            headers.CacheControl = current.EndsWith("?v=" + version[0], StringComparison.Ordinal) ? Fingerprinted : Unversioned;
        }
        else
            headers.CacheControl = Unversioned;
    }
}
