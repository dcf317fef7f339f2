using System.Text.Json;
using System.Text.Json.Serialization;
using MlFunctions.Core.Catalog;

namespace MlFunctions.Azure;

/// <summary>An Azure Functions binding, as function.json lists them.</summary>
public sealed record Binding(
    string Type,
    string Direction,
    string Name,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? AuthLevel = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string[]? Methods = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Route = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Path = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Connection = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? DataType = null);

public sealed record FunctionDefinition(Binding[] Bindings);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(FunctionDefinition))]
internal sealed partial class AzureJsonContext : JsonSerializerContext;

/// <summary>
/// function.json for every catalog function, generated from the catalog rather than kept by hand: an
/// HTTP trigger at the function's route (below the host's "api" prefix) with authLevel function, and
/// for on-upload a blob trigger on the container named by the MLF_BUCKET app setting.
/// </summary>
public static class FunctionJson
{
    public const string RoutePrefix = "/api/";

    public static FunctionDefinition For(FunctionDescriptor function) => new(
    [
        new Binding("httpTrigger", "in", "req", "function", [function.Method.ToLowerInvariant()], function.Route[RoutePrefix.Length..]),
        new Binding("http", "out", "res"),
    ]);

    /// <summary>
    /// A blob trigger over the whole container (a blob trigger takes one path pattern; on-upload ignores
    /// what is not under its prefixes). The blob arrives as bytes, its name and ETag in the metadata.
    /// </summary>
    public static FunctionDefinition BlobTrigger() => new(
    [
        new Binding("blobTrigger", "in", "blob", Path: "%MLF_BUCKET%/{name}", Connection: "AzureWebJobsStorage", DataType: "binary"),
    ]);

    /// <summary>The storage triggers this handler serves (retrain runs in the Trainer, which cannot be AOT).</summary>
    public static IEnumerable<StorageTrigger> Triggers(FunctionCatalog catalog) => catalog.Triggers.Where(t => t.RunsIn == "adapters");

    /// <summary>Writes &lt;folder&gt;/&lt;function&gt;/function.json for each function.</summary>
    public static void WriteAll(FunctionCatalog catalog, string folder)
    {
        foreach (var function in catalog.Functions)
        {
            Write(folder, function.Name, For(function));
        }
        foreach (var trigger in Triggers(catalog))
        {
            Write(folder, trigger.Name, BlobTrigger());
        }
    }

    private static void Write(string folder, string name, FunctionDefinition definition)
    {
        var directory = Directory.CreateDirectory(System.IO.Path.Combine(folder, name));
        File.WriteAllBytes(System.IO.Path.Combine(directory.FullName, "function.json"), JsonSerializer.SerializeToUtf8Bytes(definition, AzureJsonContext.Default.FunctionDefinition));
    }
}
