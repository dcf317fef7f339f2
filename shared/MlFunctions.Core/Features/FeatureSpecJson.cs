using System.Text.Json;
using MlFunctions.Core.Contract;
using MlFunctions.Core.Json;

namespace MlFunctions.Core.Features;

/// <summary>A feature spec to and from its JSON file.</summary>
public static class FeatureSpecJson
{
    private static readonly CoreJsonContext Indented = new(new JsonSerializerOptions(CoreJsonContext.Web.Options) { WriteIndented = true });

    public static string Write(FeatureSpec spec) => JsonSerializer.Serialize(spec, Indented.FeatureSpec);

    /// <summary>Parses a spec; malformed JSON is an invalid-spec problem naming where.</summary>
    public static FeatureSpec Read(string json)
    {
        try
        {
            return JsonSerializer.Deserialize(json, CoreJsonContext.Web.FeatureSpec) ?? throw ProblemType.InvalidSpec.With("The spec is JSON null.");
        }
        catch (JsonException e)
        {
            throw ProblemType.InvalidSpec.With($"The spec is not valid JSON for a feature spec: {JsonErrors.Describe(e)}", e.Path);
        }
    }
}
