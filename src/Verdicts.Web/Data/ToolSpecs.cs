namespace Verdicts.Web.Data;

/// <summary>
/// A model's facts as its tool file states them (the <c>specs</c> key): each one may be missing, which the pages show
/// as "not stated" rather than guess. Stored as JSON in <c>tools.specs</c> and carried in the tool's column.
/// </summary>
public sealed record ToolSpecs
{
    /// <summary>The kinds of input a model may take, in the order the pages list them.</summary>
    public static readonly string[] InputKinds = ["text", "image", "audio", "video", "code"];

    /// <summary>As the vendor states it ("3B", "8x7B (47B total)").</summary>
    public string? Parameters { get; init; }

    /// <summary>Total parameters in billions, for comparing sizes.</summary>
    public double? ParametersBillions { get; init; }

    public long? ContextTokens { get; init; }

    public IReadOnlyList<string>? Inputs { get; init; }

    public bool? OpenWeights { get; init; }

    /// <summary>Approximate memory, in GB, to run the model quantised to 4 bits.</summary>
    public double? MemoryGbQ4 { get; init; }
}
