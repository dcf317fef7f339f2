using MlFunctions.Core.Catalog;
using MlFunctions.Core.Contract;
using MlFunctions.Core.Models.Store;
using MlFunctions.Core.Storage;

namespace MlFunctions.Core.Tests;

/// <summary>Calls a catalog function through the pipeline, as an adapter would.</summary>
internal static class FunctionCall
{
    /// <summary>A model store with no models, for functions that do not need one (inside the build output: nothing left in the temporary folder).</summary>
    public static LocalFolderStore NoBucket { get; } = new(Path.Combine(AppContext.BaseDirectory, "no-models"));

    public static ModelCache NoModels { get; } = new(new ObjectModelStore(NoBucket), TimeSpan.FromSeconds(1));

    public static Task<FunctionResponse> InvokeAsync(string function, string query, byte[] body, FunctionLimits? limits = null, string? accept = null, ModelCache? models = null, string? model = null,
        string? contentType = null)
    {
        var catalog = FunctionCatalog.Create(limits ?? FunctionLimits.Default, models ?? NoModels, NoBucket);
        var descriptor = catalog.Find(function) ?? throw new ArgumentException($"No function {function}.");
        var headers = new[] { ("Accept", accept), ("Content-Type", contentType) }.Where(h => h.Item2 is not null).Select(h => KeyValuePair.Create(h.Item1, h.Item2!)).ToArray();
        var request = new FunctionRequest
        {
            Method = "POST",
            Path = descriptor.Route,
            Query = FunctionRequest.ParseQuery(query),
            Headers = FunctionRequest.Map(headers),
            RouteValues = FunctionRequest.Map(model is null ? [] : [KeyValuePair.Create("model", model)]),
            Body = body,
        };
        return new FunctionPipeline(catalog).InvokeAsync(descriptor, request, CancellationToken.None);
    }

    public static System.Text.Json.JsonElement Problem(FunctionResponse response)
    {
        Assert.Equal("application/problem+json", response.ContentType);
        return System.Text.Json.JsonDocument.Parse(response.Body).RootElement;
    }
}
