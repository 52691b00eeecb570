using System.Collections.Frozen;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.StaticFiles;

namespace Verdicts.Web.Pages;

/// <summary>
/// The files in wwwroot with their content fingerprints, read once at start-up: pages link a file as <c>path?v=…</c>
/// (the framework's <c>asp-append-version</c> form and hash, through this <see cref="IFileVersionProvider"/>), and an
/// address holding the current fingerprint can never name other bytes, so browsers keep it a year without asking again.
/// The framework's own provider hashes lazily and watches the folder, an inotify instance per host; these files only
/// change with a deployment, which restarts the site.
/// </summary>
public sealed class StaticAssets : IFileVersionProvider
{
    public const string Fingerprinted = "public, max-age=31536000, immutable";

    // Without the current fingerprint (an old link, /favicon.ico, which browsers ask for by name) a file is kept a day.
    public const string Unversioned = "public, max-age=86400";

    private readonly FrozenDictionary<string, string> versioned;

    public StaticAssets(IWebHostEnvironment environment)
    {
        var root = environment.WebRootPath;
        versioned = (Directory.Exists(root) ? Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories) : [])
            .ToFrozenDictionary(
                file => "/" + Path.GetRelativePath(root, file).Replace(Path.DirectorySeparatorChar, '/'),
                file => "/" + Path.GetRelativePath(root, file).Replace(Path.DirectorySeparatorChar, '/') + "?v=" + Fingerprint(file),
                StringComparer.Ordinal);
    }

    private static string Fingerprint(string file)
    {
        using var stream = File.OpenRead(file);
        return System.Buffers.Text.Base64Url.EncodeToString(SHA256.HashData(stream));
    }

    public string AddFileVersionToPath(PathString requestPathBase, string path) =>
        versioned.TryGetValue(path, out var withVersion) ? requestPathBase + withVersion : path;

    public static void SetLifetime(StaticFileResponseContext file)
    {
        var request = file.Context.Request;
        var assets = file.Context.RequestServices.GetRequiredService<IFileVersionProvider>();
        var current = request.Query.TryGetValue("v", out var version) && version.Count == 1
            && assets.AddFileVersionToPath(PathString.Empty, request.Path) == request.Path + "?v=" + version[0];
        file.Context.Response.Headers.CacheControl = current ? Fingerprinted : Unversioned;
    }
}
