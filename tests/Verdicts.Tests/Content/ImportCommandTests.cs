using Dapper;
using Microsoft.Data.Sqlite;
using Verdicts.Tests.Infrastructure;

namespace Verdicts.Tests.Content;

/// <summary>`import`: loads a content folder into a new database and exits, as a deployment (and the benchmark) runs it.</summary>
public sealed class ImportCommandTests
{
    [Fact]
    public async Task Import_loads_the_folder_into_a_new_database_and_exits()
    {
        using var content = TestContent.Sample()
            .Tool("delta", "Delta", extra: "draft: true\n")
            .File("tools/broken.md", "---\nname: Broken\n---\n");
        var database = Path.Combine(content.Scratch, "imported.db");
        // Run from a folder with subfolders, as from a checkout: the command must not wait on watching them.
        var (exitCode, output, errors) = await SiteCommand.RunAsync("import",
            [$"--Verdicts:ContentPath={content.Root}", $"--Verdicts:DatabasePath={database}", "--Serilog:MinimumLevel:Default=Warning"],
            workingDirectory: content.Root);

        Assert.True(exitCode == 0, errors);
        var files = Directory.GetFiles(content.Root, "*.md", SearchOption.AllDirectories);
        var toolFiles = Directory.GetFiles(Path.Combine(content.Root, "tools"), "*.md");
        // The summary counts accepted tools (all but the broken file, which has three missing keys); the draft is
        // accepted but gets no row.
        var acceptedTools = toolFiles.Length - 1;
        Assert.Equal($"{files.Length} files, 3 errors; {acceptedTools} tools imported into {database}", output.Trim());
        using var connection = new SqliteConnection($"Data Source={database}");
        Assert.Equal(["alpha", "beta", "gamma"], connection.Query<string>("SELECT slug FROM tools ORDER BY slug"));
        Assert.Equal(files.Length, connection.QuerySingle<long>("SELECT count(*) FROM content_files"));
        // Written through a rollback journal into the new file, then handed over in WAL mode, as the site reads it.
        Assert.Equal("wal", connection.QuerySingle<string>("PRAGMA journal_mode"));
        Assert.False(File.Exists(database + "-journal"));
    }
}
