using System.Diagnostics;
using Microsoft.Extensions.Options;

namespace Verdicts.Web.Content;

/// <summary>What became of an admin's commit.</summary>
public enum PushOutcome
{
    /// <summary>On the remote; the folder holds nothing but this change besides what it held before.</summary>
    Pushed,

    /// <summary>On the remote, on top of other files someone else pushed first, which the folder now holds too.</summary>
    PushedOverOthers,

    /// <summary>Someone else changed one of the same files first. Nothing was pushed; the commit is undone.</summary>
    Conflict,

    /// <summary>The remote could not be reached or took nothing. Nothing was pushed; the commit is undone.</summary>
    Unreachable,
}

/// <summary>
/// With <c>Verdicts:ContentRemote</c> set, keeps the content folder a clone of that git repository: cloned at start,
/// fast-forwarded from the remote every few seconds (and at once on <see cref="PullAsync"/>), and every admin change a
/// commit pushed to it. Admins who edit in their own editor push to the same remote, and every node pulls it.
/// <para>
/// Runs the <c>git</c> command rather than LibGit2Sharp: it speaks every transport the operator's remote may use (ssh
/// included, which libgit2's packaged binaries lack), and it is the tool an operator debugging a clone already knows.
/// Every run gets an explicit environment (no user or system config, no prompts) and its arguments as a list, never a
/// command line built from text.
/// </para>
/// <para>
/// One git operation at a time: an admin change holds <see cref="Enter">the clone</see> from its first file
/// write to its push, so a pull never lands in the middle of it.
/// </para>
/// </summary>
public sealed class ContentClone : IHostedService, IDisposable
{
    private static readonly TimeSpan CommandLimit = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan EnterLimit = TimeSpan.FromSeconds(30);

    private readonly string root;
    private readonly string remote;
    private readonly TimeSpan pullInterval;
    private readonly ContentWatcher watcher;
    private readonly ILogger<ContentClone> logger;
    private readonly TimeProvider time;
    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly CancellationTokenSource stopping = new();
    private string branch = "";
    private string? lastPullProblem;
    private Task? loop;

    public ContentClone(IOptions<VerdictsOptions> options, ContentWatcher watcher, ILogger<ContentClone> logger, TimeProvider time)
    {
        root = options.Value.ContentPath;
        remote = options.Value.ContentRemote;
        pullInterval = TimeSpan.FromSeconds(options.Value.ContentPullSeconds);
        this.watcher = watcher;
        this.logger = logger;
        this.time = time;
    }

    public bool Enabled => remote.Length > 0;

    /// <summary>Raised after a commit reached the remote, so the other nodes can be told to pull it now.</summary>
    public event Action? Pushed;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!Enabled)
            return;
        await PrepareAsync();
        loop = Task.Run(() => RunAsync(stopping.Token), CancellationToken.None);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await stopping.CancelAsync();
        if (loop is not null)
            await loop.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public void Dispose() => stopping.Cancel();

    /// <summary>
    /// Fetches and fast-forwards now, then has the reloader take in what changed: for a node told that another pushed.
    /// Never throws for the remote's sake: a failed pull is logged and the next one tries again.
    /// </summary>
    /// <returns>Whether the folder changed.</returns>
    public async Task<bool> PullAsync(CancellationToken cancellationToken = default)
    {
        if (!Enabled)
            return false;
        await gate.WaitAsync(cancellationToken);
        try
        {
            var fetch = await GitAsync(root, "fetch", "--quiet", "origin");
            if (fetch.ExitCode != 0)
                return PullFailed("fetch from " + remote, fetch);
            var before = await HeadAsync();
            var merge = await GitAsync(root, "merge", "--ff-only", "--quiet", "origin/" + branch);
            if (merge.ExitCode != 0)
                return PullFailed("fast-forward to origin/" + branch, merge);
            if (lastPullProblem is not null)
                logger.LogInformation("Pulling the content from {Remote} works again", remote);
            lastPullProblem = null;
            if (await HeadAsync() == before)
                return false;
            watcher.RequestFullScan();
            return true;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Takes the clone for an admin change; dispose the result to let it go.</summary>
    /// <exception cref="TimeoutException">Another git operation held it too long.</exception>
    public IDisposable Enter()
    {
        if (!gate.Wait(EnterLimit))
            throw new TimeoutException("the content clone is busy");
        return new Release(gate);
    }

    /// <summary>
    /// Commits everything changed in the folder as one commit by <paramref name="admin"/> and pushes it. Call it while
    /// holding <see cref="Enter"/>. When someone else pushed first, the commit goes on top of theirs unless one of
    /// <paramref name="paths"/> changed since this clone's version; on a conflict or a failure the commit is undone
    /// (HEAD and index back where they were), and the caller puts its files back.
    /// </summary>
    public async Task<PushOutcome> CommitAndPushAsync(string admin, string message, IReadOnlyCollection<string> paths)
    {
        var basis = await HeadAsync();
        var add = await GitAsync(root, "add", "--all");
        if (add.ExitCode != 0)
            return await Undo(basis, PushOutcome.Unreachable, "add", add);
        if ((await GitAsync(root, "diff", "--cached", "--quiet")).ExitCode == 0)
            return PushOutcome.Pushed;
        var author = Identity(admin);
        var commit = await GitAsync(root, [.. author, "commit", "--quiet", "--no-verify", "--message", message]);
        if (commit.ExitCode != 0)
            return await Undo(basis, PushOutcome.Unreachable, "commit", commit);

        var rebased = false;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var push = await GitAsync(root, "push", "--porcelain", "--quiet", "origin", "HEAD:refs/heads/" + branch);
            if (push.ExitCode == 0)
            {
                Pushed?.Invoke();
                return rebased ? PushOutcome.PushedOverOthers : PushOutcome.Pushed;
            }
            // --porcelain marks a ref the remote refused for being behind with "!" and "[rejected]"; anything else
            // (no connection, no repository, a hook's refusal) is a failure to push, not someone else's edit.
            if (!push.Output.Contains("[rejected]", StringComparison.Ordinal))
                return await Undo(basis, PushOutcome.Unreachable, "push to " + remote, push);
            var fetch = await GitAsync(root, "fetch", "--quiet", "origin");
            if (fetch.ExitCode != 0)
                return await Undo(basis, PushOutcome.Unreachable, "fetch from " + remote, fetch);
            var theirs = await GitAsync(root, ["diff", "--name-only", basis, "origin/" + branch, "--", .. paths]);
            if (theirs.ExitCode != 0 || theirs.Output.Length > 0)
                return await Undo(basis, PushOutcome.Conflict, "compare with origin/" + branch, theirs);
            var rebase = await GitAsync(root, [.. author, "rebase", "--quiet", "origin/" + branch]);
            if (rebase.ExitCode != 0)
            {
                await GitAsync(root, "rebase", "--abort");
                return await Undo(basis, PushOutcome.Conflict, "rebase on origin/" + branch, rebase);
            }
            rebased = true;
        }
        logger.LogWarning("Admin {Admin}'s commit was refused by {Remote} three times: others keep pushing first", admin, remote);
        return await Undo(basis, PushOutcome.Unreachable, "push", new GitResult(1, "", "rejected three times"));
    }

    /// <summary>After a conflict, with the caller's files put back: takes in what the remote holds (fetched by then).</summary>
    public async Task CatchUpAsync()
    {
        var merge = await GitAsync(root, "merge", "--ff-only", "--quiet", "origin/" + branch);
        if (merge.ExitCode != 0)
            logger.LogWarning("Could not fast-forward the content folder to origin/{Branch}: {Error}", branch, merge.Error.Trim());
        watcher.RequestFullScan();
    }

    private async Task<PushOutcome> Undo(string basis, PushOutcome outcome, string step, GitResult failed)
    {
        if (outcome == PushOutcome.Unreachable)
            logger.LogWarning("Content change not saved: git could not {Step} ({Error})", step, failed.Error.Trim());
        // Mixed: HEAD and index go back, the working tree keeps the change for its owner to put back.
        var reset = await GitAsync(root, "reset", "--quiet", "--mixed", basis);
        if (reset.ExitCode != 0)
            logger.LogError("Could not undo a content commit in {ContentPath}: {Error}", root, reset.Error.Trim());
        return outcome;
    }

    private async Task PrepareAsync()
    {
        var exists = Directory.Exists(root) && Directory.EnumerateFileSystemEntries(root).Any();
        if (exists)
        {
            var top = await GitAsync(root, "rev-parse", "--show-toplevel");
            var origin = await GitAsync(root, "remote", "get-url", "origin");
            if (top.ExitCode != 0 || !SamePath(top.Output.Trim(), root) || origin.ExitCode != 0 || !SameRemote(origin.Output.Trim(), remote))
            {
                throw new InvalidOperationException(
                    $"Verdicts:ContentPath {root} is not empty and not a clone of Verdicts:ContentRemote {remote}" +
                    (origin.ExitCode == 0 ? $" (its origin is {origin.Output.Trim()})" : "") +
                    ". Move the folder away (or empty it) and the site clones the remote there, or set ContentRemote to its origin.");
            }
        }
        else
        {
            Directory.CreateDirectory(root);
            var clone = await GitAsync(root, "clone", "--quiet", "--", remote, ".");
            if (clone.ExitCode != 0)
                throw new InvalidOperationException($"Could not clone Verdicts:ContentRemote {remote} into {root}: {clone.Error.Trim()}");
            logger.LogInformation("Cloned the content from {Remote} into {ContentPath}", remote, root);
        }
        if ((await GitAsync(root, "rev-parse", "--verify", "--quiet", "HEAD")).ExitCode != 0)
            throw new InvalidOperationException($"Verdicts:ContentRemote {remote} has no commits yet: push the content folder to it first (git push).");
        var head = await GitAsync(root, "symbolic-ref", "--short", "HEAD");
        if (head.ExitCode != 0)
            throw new InvalidOperationException($"{root} is not on a branch (detached HEAD): check out the remote's branch there.");
        branch = head.Output.Trim();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(pullInterval, time, cancellationToken);
                await PullAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Pulling the content failed; the next pull tries again");
            }
        }
    }

    private bool PullFailed(string step, GitResult result)
    {
        var problem = result.Error.Trim();
        // Once per problem, not every few seconds while the remote is away.
        if (problem != lastPullProblem)
            logger.LogWarning("Could not {Step}; the site keeps serving the content it has: {Error}", step, problem);
        lastPullProblem = problem;
        return false;
    }

    private async Task<string> HeadAsync() => (await GitAsync(root, "rev-parse", "HEAD")).Output.Trim();

    /// <summary>Author and committer for a commit: the admin's name, with no address (git forbids angle brackets and line breaks in it).</summary>
    private static string[] Identity(string admin)
    {
        var name = new string(admin.Where(c => !char.IsControl(c) && c is not '<' and not '>').ToArray()).Trim();
        return ["-c", "user.name=" + (name.Length == 0 ? "unknown" : name), "-c", "user.email="];
    }

    private static bool SamePath(string a, string b) =>
        Path.TrimEndingDirectorySeparator(Path.GetFullPath(a)) == Path.TrimEndingDirectorySeparator(Path.GetFullPath(b));

    private static bool SameRemote(string origin, string configured) =>
        origin.TrimEnd('/') == configured.TrimEnd('/') || Path.IsPathRooted(origin) && Path.IsPathRooted(configured) && SamePath(origin, configured);

    /// <summary>A commit that changed one content file: who, when, its message, and the file's text before and after it (null where there was none).</summary>
    public sealed record FileVersion(string Commit, string Author, DateTimeOffset At, string Subject, string? Before, string? After);

    /// <summary>
    /// The commits that changed <paramref name="relativePath"/>, newest first, after skipping the newest <paramref name="skip"/>:
    /// the saves made here and those pushed from anywhere else. Null when git could not read the history.
    /// </summary>
    public async Task<IReadOnlyList<FileVersion>?> HistoryAsync(string relativePath, int skip, int count) =>
        await VersionsAsync(relativePath, [$"--skip={skip}", $"--max-count={count}"]);

    /// <summary>The change <paramref name="commit"/> (40 hex digits) made to <paramref name="relativePath"/>; null if it made none.</summary>
    public async Task<FileVersion?> VersionAsync(string relativePath, string commit) =>
        commit.Length == 40 && commit.All(char.IsAsciiHexDigitLower)
        && await VersionsAsync(relativePath, ["--max-count=1", commit]) is [var version] && version.Commit == commit ? version : null;

    private async Task<IReadOnlyList<FileVersion>?> VersionsAsync(string relativePath, string[] selection)
    {
        // Renames are not followed: a renamed tool's history starts with its new name, as the audit log's does.
        var log = await GitAsync(root, ["log", "--no-renames", "--format=%H%x1f%P%x1f%an%x1f%aI%x1f%s", .. selection, "--", relativePath]);
        if (log.ExitCode != 0)
        {
            logger.LogWarning("Could not read the history of {Path} from git: {Error}", relativePath, log.Error.Trim());
            return null;
        }
        var commits = log.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split('\x1f')).ToList();
        // Each commit's text and its first parent's (a root commit has none), all read by one git process.
        var texts = await TextsAsync([.. commits.SelectMany(c => new[] { $"{c[0]}:{relativePath}",
            c[1].Length == 0 ? "" : $"{c[1].Split(' ')[0]}:{relativePath}" })]);
        if (texts is null)
            return null;
        return [.. commits.Select((c, i) => new FileVersion(c[0], c[2],
            DateTimeOffset.Parse(c[3], System.Globalization.CultureInfo.InvariantCulture), c[4], texts[2 * i + 1], texts[2 * i]))];
    }

    /// <summary>The text of each object named ("commit:path"), null where it does not exist, through <c>git cat-file --batch</c>.</summary>
    private async Task<string?[]?> TextsAsync(string[] objects)
    {
        using var process = new Process { StartInfo = GitStart(root, ["cat-file", "--batch"]) };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
        using var limit = new CancellationTokenSource(CommandLimit);
        var output = new MemoryStream();
        var reading = process.StandardOutput.BaseStream.CopyToAsync(output, limit.Token);
        var error = process.StandardError.ReadToEndAsync(limit.Token);
        // An empty line asks for nothing git can find, so it answers "missing" in its place and the answers stay in step.
        await process.StandardInput.WriteAsync(string.Join('\n', objects.Select(o => o.Length == 0 ? "-" : o)) + "\n");
        process.StandardInput.Close();
        try
        {
            await reading;
            await process.WaitForExitAsync(limit.Token);
            await error;
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return null;
        }
        if (process.ExitCode != 0)
            return null;
        // Each answer is "<id> blob <size>\n<size bytes>\n", or "<name> missing\n".
        var bytes = output.GetBuffer().AsSpan(0, (int)output.Length);
        var texts = new string?[objects.Length];
        var at = 0;
        for (var i = 0; i < objects.Length; i++)
        {
            var end = bytes[at..].IndexOf((byte)'\n');
            if (end < 0)
                return null;
            var header = System.Text.Encoding.UTF8.GetString(bytes.Slice(at, end)).Split(' ');
            at += end + 1;
            if (header is [_, "blob", var size])
            {
                var length = int.Parse(size, System.Globalization.CultureInfo.InvariantCulture);
                texts[i] = System.Text.Encoding.UTF8.GetString(bytes.Slice(at, length));
                at += length + 1;
            }
        }
        return texts;
    }

    private Task<GitResult> GitAsync(string workingDirectory, params string[] arguments) => RunGitAsync(workingDirectory, arguments);

    private static async Task<GitResult> RunGitAsync(string workingDirectory, string[] arguments)
    {
        using var process = new Process { StartInfo = GitStart(workingDirectory, arguments) };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return new GitResult(-1, "", "git could not be run: " + ex.Message);
        }
        process.StandardInput.Close();
        using var limit = new CancellationTokenSource(CommandLimit);
        var output = process.StandardOutput.ReadToEndAsync(limit.Token);
        var error = process.StandardError.ReadToEndAsync(limit.Token);
        try
        {
            await process.WaitForExitAsync(limit.Token);
            return new GitResult(process.ExitCode, await output, await error);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return new GitResult(-1, "", $"git {arguments.FirstOrDefault()} took longer than {CommandLimit.TotalSeconds:0} s and was stopped");
        }
    }

    private static ProcessStartInfo GitStart(string workingDirectory, string[] arguments)
    {
        var start = new ProcessStartInfo("git")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        // Nothing from the environment the site was started in steers git (a GIT_DIR from a hook, a user's config).
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("GIT_", StringComparison.Ordinal)).ToList())
            start.Environment.Remove(key);
        start.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        start.Environment["GIT_CONFIG_GLOBAL"] = "/dev/null";
        start.Environment["GIT_TERMINAL_PROMPT"] = "0";
        start.Environment["GIT_SSH_COMMAND"] = "ssh -o BatchMode=yes";
        // Content paths are names, never patterns.
        start.Environment["GIT_LITERAL_PATHSPECS"] = "1";
        start.Environment["LC_ALL"] = "C";
        return start;
    }

    private sealed record GitResult(int ExitCode, string Output, string Error);

    private sealed class Release(SemaphoreSlim gate) : IDisposable
    {
        private int released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0)
                gate.Release();
        }
    }
}
