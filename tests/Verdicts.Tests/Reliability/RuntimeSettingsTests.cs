using System.Text.Json;

namespace Verdicts.Tests.Reliability;

/// <summary>
/// The runtime settings the site is built with. An MSBuild property with a misspelt name is silently ignored, and the
/// site ran the server GC for a while because of one; these read the runtimeconfig the site actually starts with.
/// </summary>
public sealed class RuntimeSettingsTests
{
    private static JsonElement ConfigProperties()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Verdicts.Web.runtimeconfig.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties").Clone();
    }

    [Fact]
    public void The_site_runs_the_workstation_garbage_collector()
    {
        // Measured at 10 000 tools: the server GC's per-core heaps took peak memory from about 290 MB to 400 MB.
        Assert.False(ConfigProperties().GetProperty("System.GC.Server").GetBoolean());
    }

    [Fact]
    public void Methods_are_promoted_to_optimised_code_without_the_start_up_delay()
    {
        // The default 100 ms delay restarts whenever a new method is compiled, so a cold import ran mostly unoptimised.
        Assert.Equal(0, ConfigProperties().GetProperty("System.Runtime.TieredCompilation.CallCountingDelayMs").GetInt32());
    }

    [Fact]
    public void Methods_with_loops_are_compiled_optimised_at_once()
    {
        // Tiering them (unoptimised, instrumented, then optimised) made the runtime's compiling most of a cold import.
        Assert.False(ConfigProperties().GetProperty("System.Runtime.TieredCompilation.QuickJitForLoops").GetBoolean());
    }
}
