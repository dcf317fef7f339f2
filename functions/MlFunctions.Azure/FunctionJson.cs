using System.Text.Json;
using System.Text.Json.Serialization;
using MlFunctions.Core.Catalog;
using MlFunctions.Storage.Azure;

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
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? DataType = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Schedule = null);

public sealed record FunctionDefinition(Binding[] Bindings);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(FunctionDefinition))]
internal sealed partial class AzureJsonContext : JsonSerializerContext;

/// <summary>
/// function.json for every catalog function, generated from the catalog rather than kept by hand: an
/// HTTP trigger at the function's route (below the host's "api" prefix) with authLevel function (admin,
/// the host's master key, for the registry's writes), and
/// for on-upload an Event Grid trigger for the container's BlobCreated events.
/// </summary>
public static class FunctionJson
{
    public const string RoutePrefix = "/api/";

    public static FunctionDefinition For(FunctionDescriptor function) => new(
    [
        new Binding("httpTrigger", "in", "req", function.Admin ? "admin" : "function", [function.Method.ToLowerInvariant()], function.Route[RoutePrefix.Length..]),
        new Binding("http", "out", "res"),
    ]);

    /// <summary>
    /// An Event Grid trigger: Microsoft.Storage.BlobCreated events, metadata only (the way Flex Consumption
    /// runs blob triggers), so a blob of any size is never shipped inside the request; on-upload streams it
    /// from the container. The event subscription's subject filters name on-upload's prefixes, so what
    /// on-upload writes (processed/, jobs/, predictions/) does not start it again.
    /// </summary>
    public static FunctionDefinition EventGridTrigger() => new(
    [
        new Binding("eventGridTrigger", "in", "event"),
    ]);

    /// <summary>The drift job every hour (NCRONTAB, at minute 0): drift for every model that captures traffic.</summary>
    public static FunctionDefinition DriftSchedule() => new(
    [
        new Binding("timerTrigger", "in", "timer", Schedule: "0 0 * * * *"),
    ]);

    /// <summary>Writes &lt;folder&gt;/&lt;function&gt;/function.json for each function.</summary>
    public static void WriteAll(FunctionCatalog catalog, string folder)
    {
        foreach (var function in catalog.Functions)
        {
            Write(folder, function.Name, For(function));
        }
        foreach (var trigger in EventGridFilters.Triggers(catalog))
        {
            Write(folder, trigger.Name, EventGridTrigger());
        }
        Write(folder, DriftScheduleEndpoint.Name, DriftSchedule());
    }

    private static void Write(string folder, string name, FunctionDefinition definition)
    {
        var directory = Directory.CreateDirectory(System.IO.Path.Combine(folder, name));
        File.WriteAllBytes(System.IO.Path.Combine(directory.FullName, "function.json"), JsonSerializer.SerializeToUtf8Bytes(definition, AzureJsonContext.Default.FunctionDefinition));
    }
}
