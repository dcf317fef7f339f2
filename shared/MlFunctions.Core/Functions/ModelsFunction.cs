using MlFunctions.Core.Contract;
using MlFunctions.Core.Json;
using MlFunctions.Core.Models.Registry;

namespace MlFunctions.Core.Functions;

/// <summary>GET /api/models: every model with its task and champion.</summary>
public sealed class ModelsFunction(ModelRegistry registry) : IHttpFunction
{
    public async Task<FunctionResponse> HandleAsync(FunctionRequest request, CancellationToken cancellationToken)
    {
        new Parameters(request.Query).RejectUnknown();
        return FunctionResponse.Json(await registry.ListAsync(cancellationToken).ConfigureAwait(false), CoreJsonContext.Web.ModelList);
    }
}
