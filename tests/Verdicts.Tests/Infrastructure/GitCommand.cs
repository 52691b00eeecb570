using System.Diagnostics;

namespace Verdicts.Tests.Infrastructure;

/// <summary>The `git` command for tests that keep content in a remote, run without the machine's own git settings.</summary>
public static class GitCommand
{
    public static bool IsInstalled()
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("git", "--version") { RedirectStandardOutput = true })!;
            process.WaitForExit();
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    /// <summary>Runs git in <paramref name="folder"/> and returns what it printed; a failure throws with git's own message.</summary>
    public static string Run(string folder, params string[] arguments)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        start.Environment["GIT_CONFIG_GLOBAL"] = "/dev/null";
        start.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"git {string.Join(' ', arguments)} failed: {error.Result}");
        return output;
    }

    /// <summary>
    /// Makes a bare repository at <paramref name="remote"/> whose main branch holds a copy of <paramref name="content"/>,
    /// committed by <paramref name="author"/> in a working clone at <paramref name="clone"/> (left there, with the remote as origin).
    /// </summary>
    public static void SeedBareRemote(string remote, string clone, string content, string author, string message)
    {
        Directory.CreateDirectory(clone);
        Run(clone, "init", "--quiet", "--bare", "--initial-branch=main", remote);
        foreach (var file in Directory.GetFiles(content, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(clone, Path.GetRelativePath(content, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        Run(clone, "init", "--quiet", "--initial-branch=main");
        Run(clone, "remote", "add", "origin", remote);
        CommitAndPush(clone, author, message);
    }

    /// <summary>Commits everything in the clone as <paramref name="author"/> and pushes it to origin's main.</summary>
    public static void CommitAndPush(string clone, string author, string message)
    {
        Run(clone, "add", "--all");
        Run(clone, "-c", $"user.name={author}", "-c", $"user.email={author.Replace(' ', '.').ToLowerInvariant()}@example.com",
            "commit", "--quiet", "--message", message);
        Run(clone, "push", "--quiet", "origin", "HEAD:refs/heads/main");
    }
}
