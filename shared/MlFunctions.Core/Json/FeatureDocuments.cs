using System.Text.Json;
using MlFunctions.Core.Features;

namespace MlFunctions.Core.Json;

/// <summary>POST /api/features: a fitted spec, or a model whose spec to use (its champion, or a version), and the records.</summary>
public sealed record FeaturesRequest
{
    public FeatureSpec? Spec { get; init; }

    public string? Model { get; init; }

    public string? Version { get; init; }

    public JsonElement Records { get; init; }
}

/// <summary>The feature names and one vector per record, in record order.</summary>
public sealed record FeaturesResponse(IReadOnlyList<string> Names, float[][] Vectors);
