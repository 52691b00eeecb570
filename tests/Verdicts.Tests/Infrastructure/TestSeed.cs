using System.Globalization;

namespace Verdicts.Tests.Infrastructure;

/// <summary>
/// The seed of a test's random choices: a new one each run, so runs explore, written to the test's output, and fixed
/// by setting VERDICTS_TEST_SEED, so a failure can be replayed.
/// </summary>
public static class TestSeed
{
    public const string Variable = "VERDICTS_TEST_SEED";

    public static int Choose()
    {
        var given = Environment.GetEnvironmentVariable(Variable);
        var seed = string.IsNullOrWhiteSpace(given) ? Random.Shared.Next() : int.Parse(given, CultureInfo.InvariantCulture);
        TestContext.Current.TestOutputHelper?.WriteLine($"seed {seed} (replay with {Variable}={seed})");
        return seed;
    }
}
