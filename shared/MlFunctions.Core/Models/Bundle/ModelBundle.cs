using MlFunctions.Core.Features;

namespace MlFunctions.Core.Models.Bundle;

/// <summary>
/// A trained model as data: everything needed to score it without ML.NET (bundle.json). Written by
/// training beside ML.NET's model.zip, read by <see cref="BundleScorer"/>.
/// </summary>
public sealed record ModelBundle
{
    public const int CurrentFormat = 2;

    public required int Format { get; init; }

    public required string Name { get; init; }

    public required string Version { get; init; }

    public required string Task { get; init; }

    /// <summary>The ML.NET trainer, e.g. SdcaMaximumEntropy.</summary>
    public required string Trainer { get; init; }

    public required string LabelColumn { get; init; }

    /// <summary>The fitted feature spec: records are vectorised with it before scoring.</summary>
    public required FeatureSpec Features { get; init; }

    /// <summary>Classification: class names in output order; binary: [negative, positive].</summary>
    public string[]? Labels { get; init; }

    public required ScoringModel Model { get; init; }

    /// <summary>Holdout metrics, by name (see <see cref="ModelMetrics"/>).</summary>
    public required Dictionary<string, double> Metrics { get; init; }

    public required TrainingInfo Training { get; init; }

    /// <summary>The job and object it was trained from (absent in bundles written before lineage was kept).</summary>
    public ModelOrigin? Origin { get; init; }
}

/// <summary>Where a version came from: the job that made it, and the object (or file) and its ETag it was made from.</summary>
public sealed record ModelOrigin(string? Job = null, string? Source = null, string? SourceETag = null);
