using System.Text.Json.Serialization;

namespace MlFunctions.Core.Models.Bundle;

/// <summary>
/// JSON for bundles, which we write ourselves: options fixed at compile time, case-sensitive names and
/// no request-side leniency, so that loading a bundle in a cold function costs as little as it can.
/// NaN is allowed because a holdout metric can be undefined (AUC with one class).
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(ModelBundle))]
internal sealed partial class BundleJsonContext : JsonSerializerContext;
