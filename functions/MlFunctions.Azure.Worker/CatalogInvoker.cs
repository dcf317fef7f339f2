using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using MlFunctions.Core.Catalog;
using MlFunctions.Core.Contract;
using MlFunctions.Hosting;

namespace MlFunctions.Azure.Worker;

/// <summary>Finds a catalog function by name and runs it on an ASP.NET Core request through the pipeline, as every Kestrel host does.</summary>
public sealed class CatalogInvoker(FunctionPipeline pipeline)
{
    private readonly Dictionary<string, FunctionDescriptor> _functions = pipeline.Catalog.Functions.ToDictionary(f => f.Name, StringComparer.Ordinal);

    /// <summary>Writes the function's response to the request's HttpContext; the empty result tells the worker it is written.</summary>
    public async Task<IActionResult> InvokeAsync(string name, HttpRequest request)
    {
        await HttpTranslation.InvokeAsync(pipeline, _functions[name], request.HttpContext).ConfigureAwait(false);
        return new EmptyResult();
    }
}
