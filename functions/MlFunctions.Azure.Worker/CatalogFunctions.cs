using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace MlFunctions.Azure.Worker;

/// <summary>
/// The catalog's HTTP functions as isolated-worker functions: each is its catalog entry's name, method,
/// route (below the host's "api" prefix) and auth level (admin for the registry's writes), and hands the
/// ASP.NET Core request to the same <see cref="Core.Contract.FunctionPipeline"/> the custom handler runs.
/// The worker's functions are declared by attributes (the SDK indexes them at build time), so they cannot
/// be generated from the catalog: a test holds them equal to it.
/// </summary>
public sealed class CatalogFunctions(CatalogInvoker invoker)
{
    [Function("resize")]
    public Task<IActionResult> Resize([HttpTrigger(AuthorizationLevel.Function, "post", Route = "resize")] HttpRequest request) => invoker.InvokeAsync("resize", request);

    [Function("tensor")]
    public Task<IActionResult> Tensor([HttpTrigger(AuthorizationLevel.Function, "post", Route = "tensor")] HttpRequest request) => invoker.InvokeAsync("tensor", request);

    [Function("features")]
    public Task<IActionResult> Features([HttpTrigger(AuthorizationLevel.Function, "post", Route = "features")] HttpRequest request) => invoker.InvokeAsync("features", request);

    [Function("format")]
    public Task<IActionResult> Format([HttpTrigger(AuthorizationLevel.Function, "post", Route = "format")] HttpRequest request) => invoker.InvokeAsync("format", request);

    [Function("predict")]
    public Task<IActionResult> Predict([HttpTrigger(AuthorizationLevel.Function, "post", Route = "predict/{model}")] HttpRequest request) => invoker.InvokeAsync("predict", request);

    [Function("jobs")]
    public Task<IActionResult> Jobs([HttpTrigger(AuthorizationLevel.Function, "get", Route = "jobs/{model}")] HttpRequest request) => invoker.InvokeAsync("jobs", request);

    [Function("models")]
    public Task<IActionResult> Models([HttpTrigger(AuthorizationLevel.Function, "get", Route = "models")] HttpRequest request) => invoker.InvokeAsync("models", request);

    [Function("model")]
    public Task<IActionResult> Model([HttpTrigger(AuthorizationLevel.Function, "get", Route = "models/{model}")] HttpRequest request) => invoker.InvokeAsync("model", request);

    [Function("set-alias")]
    public Task<IActionResult> SetAlias([HttpTrigger(AuthorizationLevel.Admin, "post", Route = "models/{model}/aliases/{alias}")] HttpRequest request) => invoker.InvokeAsync("set-alias", request);

    [Function("rollback")]
    public Task<IActionResult> Rollback([HttpTrigger(AuthorizationLevel.Admin, "post", Route = "models/{model}/rollback")] HttpRequest request) => invoker.InvokeAsync("rollback", request);

    [Function("review")]
    public Task<IActionResult> Review([HttpTrigger(AuthorizationLevel.Admin, "post", Route = "jobs/{model}/{job}/{decision}")] HttpRequest request) => invoker.InvokeAsync("review", request);

    [Function("drift")]
    public Task<IActionResult> Drift([HttpTrigger(AuthorizationLevel.Function, "get", Route = "drift/{model}")] HttpRequest request) => invoker.InvokeAsync("drift", request);
}
