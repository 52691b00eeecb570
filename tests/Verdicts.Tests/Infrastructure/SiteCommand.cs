using System.Diagnostics;

namespace Verdicts.Tests.Infrastructure;

/// <summary>Runs one of the site's one-shot commands (<c>check</c>, <c>import</c>, <c>send-newsletter</c>) as its own process.</summary>
public static class SiteCommand
{
    public static async Task<(int ExitCode, string Output, string Errors)> RunAsync(string command, IEnumerable<string> arguments,
        string? workingDirectory = null)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        if (workingDirectory is not null)
            start.WorkingDirectory = workingDirectory;
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Verdicts.Web.dll"));
        start.ArgumentList.Add(command);
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (process.ExitCode, await output, await errors);
    }
}
