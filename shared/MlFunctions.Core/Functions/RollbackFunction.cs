using MlFunctions.Core.Contract;
using MlFunctions.Core.Json;
using MlFunctions.Core.Models.Registry;

namespace MlFunctions.Core.Functions;

/// <summary>POST /api/models/{model}/rollback [{"version": V}]: the previous champion (or V) becomes champion again. Admin only.</summary>
public sealed class RollbackFunction(ModelRegistry registry) : IHttpFunction
{
    public async Task<FunctionResponse> HandleAsync(FunctionRequest request, CancellationToken cancellationToken)
    {
        new Parameters(request.Query).RejectUnknown();
        var body = request.Body.IsEmpty ? new VersionRequest() : JsonBody.Read(request, CoreJsonContext.Web.VersionRequest);
        var model = request.RouteValues.GetValueOrDefault("model") ?? "";
        var change = await registry.RollbackAsync(model, body.Version, AdminCalls.Caller(request), AdminCalls.Reason(body), cancellationToken).ConfigureAwait(false);
        return FunctionResponse.Json(new AliasChange(model, ModelRegistry.Champion, change.Version, change.Previous, change.At, change.By), CoreJsonContext.Web.AliasChange);
    }
}
