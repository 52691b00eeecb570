using System.Globalization;

namespace Verdicts.Tests.Infrastructure;

/// <summary>
/// The seed of a test's random choices: a new one each run, so runs explore, written to the test's output, and fixed
/// by setting VERDICTS_TEST_SEED, so a failure can be replayed.
/// </summary>
public static class TestSeed
{
    public const string Variable = "VERDICTS_TEST_SEED";

    /// <summary>Set to 1 to run the random tests that repeat one behaviour many times for their full count.</summary>
    public const string FullVariable = "VERDICTS_TEST_FULL";

    /// <summary>
    /// How many times a random test repeats its scenario: <paramref name="usual"/> in an ordinary run, which keeps the suite
    /// fast on a small machine, and <paramref name="full"/> with VERDICTS_TEST_FULL=1. The seed is logged either way.
    /// </summary>
    public static int Rounds(int usual, int full)
    {
        var rounds = Environment.GetEnvironmentVariable(FullVariable) == "1" ? full : usual;
        TestContext.Current.TestOutputHelper?.WriteLine($"{rounds} rounds ({FullVariable}=1 runs {full})");
        return rounds;
    }

    public static int Choose()
    {
        var given = Environment.GetEnvironmentVariable(Variable);
        var seed = string.IsNullOrWhiteSpace(given) ? Random.Shared.Next() : int.Parse(given, CultureInfo.InvariantCulture);
        TestContext.Current.TestOutputHelper?.WriteLine($"seed {seed} (replay with {Variable}={seed})");
        return seed;
    }
}
