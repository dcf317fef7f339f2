using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using MlFunctions.Core.Contract;
using MlFunctions.Core.Features;
using MlFunctions.Core.Jobs;
using MlFunctions.Core.Models;
using MlFunctions.Core.Models.Store;
using MlFunctions.Core.Uploads;

namespace MlFunctions.Core.Json;

/// <summary>Source-generated JSON for every Core contract: no reflection, safe under Native AOT.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Problem))]
[JsonSerializable(typeof(CatalogDocument))]
[JsonSerializable(typeof(TensorDocument))]
[JsonSerializable(typeof(FeatureSpec))]
[JsonSerializable(typeof(FeaturesRequest))]
[JsonSerializable(typeof(FeaturesResponse))]
[JsonSerializable(typeof(FormatRequest))]
[JsonSerializable(typeof(PredictionsDocument))]
[JsonSerializable(typeof(DetectionsDocument))]
[JsonSerializable(typeof(ModelSpec))]
[JsonSerializable(typeof(ChampionPointer))]
[JsonSerializable(typeof(ChampionChange))]
[JsonSerializable(typeof(AliasPointer))]
[JsonSerializable(typeof(Monitoring.TrainingProfile))]
[JsonSerializable(typeof(Monitoring.DriftReport))]
[JsonSerializable(typeof(Monitoring.DriftReport[]))]
[JsonSerializable(typeof(Models.Registry.ModelList))]
[JsonSerializable(typeof(Models.Registry.VersionCard))]
[JsonSerializable(typeof(Models.Registry.ModelDetails))]
[JsonSerializable(typeof(Models.Registry.VersionRequest))]
[JsonSerializable(typeof(Models.Registry.AliasChange))]
[JsonSerializable(typeof(Models.Onnx.OnnxManifest))]
[JsonSerializable(typeof(Dictionary<string, double>))]
[JsonSerializable(typeof(PredictRequest))]
[JsonSerializable(typeof(PredictResponse))]
[JsonSerializable(typeof(JobManifest))]
[JsonSerializable(typeof(JobStatus))]
[JsonSerializable(typeof(JobStatus[]))]
[JsonSerializable(typeof(ImageStatus))]
[JsonSerializable(typeof(ImportStatus))]
[JsonSerializable(typeof(BatchStatus))]
[JsonSerializable(typeof(PredictionLine))]
[JsonSerializable(typeof(UploadOutcome))]
[JsonSerializable(typeof(UploadOutcome[]))]
public sealed partial class CoreJsonContext : JsonSerializerContext
{
    /// <summary>
    /// The context requests are read and responses written with. Our bodies are served as JSON, never
    /// inlined in HTML, so apostrophes in a problem's detail stay readable instead of becoming \u0027.
    /// Unknown properties are refused (names match in any case), so a misspelt option is an error;
    /// "NaN" and "Infinity" are read so that they can be refused with a message that names them.
    /// </summary>
    public static CoreJsonContext Web { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        PropertyNameCaseInsensitive = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        WriteIndented = false,
    });
}
