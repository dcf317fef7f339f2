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
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Route = null);

public sealed record FunctionDefinition(Binding[] Bindings);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(FunctionDefinition))]
internal sealed partial class AzureJsonContext : JsonSerializerContext;

/// <summary>
/// function.json for every catalog function, generated from the catalog rather than kept by hand: an
/// HTTP trigger at the function's route (below the host's "api" prefix) with authLevel function.
/// </summary>
public static class FunctionJson
{
    public const string RoutePrefix = "/api/";

    public static FunctionDefinition For(FunctionDescriptor function) => new(
    [
        new Binding("httpTrigger", "in", "req", "function", [function.Method.ToLowerInvariant()], function.Route[RoutePrefix.Length..]),
        new Binding("http", "out", "res"),
    ]);

    /// <summary>Writes &lt;folder&gt;/&lt;function&gt;/function.json for each function.</summary>
    public static void WriteAll(FunctionCatalog catalog, string folder)
    {
        foreach (var function in catalog.Functions)
        {
            var directory = Directory.CreateDirectory(Path.Combine(folder, function.Name));
            File.WriteAllBytes(Path.Combine(directory.FullName, "function.json"), JsonSerializer.SerializeToUtf8Bytes(For(function), AzureJsonContext.Default.FunctionDefinition));
        }
    }
}
