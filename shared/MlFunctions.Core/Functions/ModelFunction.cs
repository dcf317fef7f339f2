using MlFunctions.Core.Contract;
using MlFunctions.Core.Json;
using MlFunctions.Core.Models.Registry;

namespace MlFunctions.Core.Functions;

/// <summary>GET /api/models/{model}[?limit=20]: its aliases, versions newest first with lineage and metrics, and the history of champion changes.</summary>
public sealed class ModelFunction(ModelRegistry registry) : IHttpFunction
{
    public async Task<FunctionResponse> HandleAsync(FunctionRequest request, CancellationToken cancellationToken)
    {
        var parameters = new Parameters(request.Query);
        parameters.RejectUnknown("limit");
        var model = request.RouteValues.GetValueOrDefault("model") ?? "";
        var details = await registry.DescribeAsync(model, parameters.Int("limit", 1, ModelRegistry.MaxVersions) ?? 20, cancellationToken).ConfigureAwait(false);
        return FunctionResponse.Json(details, CoreJsonContext.Web.ModelDetails);
    }
}
