namespace Verdicts.Web.Content;

/// <summary>
/// Gives a large first load's garbage back to the system once, before the site serves: one blocking, compacting
/// collection that also returns the freed pages.
/// </summary>
/// <remarks>
/// The one process-wide memory call the site makes; it earns its place on the benchmark's peak-memory figure.
/// After the first load of 10 000 generated tools (55 004 files) the heap held 135 MB, of which 78 MB live, and no
/// full collection came later to free the rest, since serving allocates little that lives. With this call: 245 MB
/// resident after the load instead of 301 MB, and a peak of 296 MB instead of 344 MB after 5 s each of cached, vote
/// and Brotli wrk and 300 uncached pages (Release, as shipped, <c>VmHWM</c>, 2026-12-07; bench/README.md has the
/// benchmark's own figures).
/// Below <see cref="MinimumFiles"/> the garbage is a few MB (about 1 KB a file) and the collection not worth its
/// pause, which grows with everything else the process holds: in the test process, where many sites run side by
/// side, collecting after every small load took the page tests from 56 s to 2 min 37 s.
/// </remarks>
public static class FirstLoadGarbage
{
    public const int MinimumFiles = 5_000;

    public static void Release(int filesLoaded)
    {
        if (filesLoaded >= MinimumFiles)
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }
}
