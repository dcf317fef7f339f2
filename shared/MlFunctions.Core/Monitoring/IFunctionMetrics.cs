namespace MlFunctions.Core.Monitoring;

/// <summary>
/// Where the pipeline reports each call: the function, its status, how long it took, and the model
/// version that answered (predict), in whatever form the platform aggregates without code.
/// </summary>
public interface IFunctionMetrics
{
    void Record(string function, int status, double milliseconds, string? modelVersion);
}

/// <summary>The outcome a status counts as: 2xx, 4xx or 5xx (and 3xx, which no function answers).</summary>
public static class Outcomes
{
    public static string Of(int status) => $"{status / 100}xx";

    /// <summary>The response header predict names the version that answered in.</summary>
    public const string ModelVersionHeader = "X-Model-Version";
}
