using MlFunctions.Core.Contract;
using MlFunctions.Core.Json;
using MlFunctions.Core.Models.Registry;

namespace MlFunctions.Core.Functions;

/// <summary>
/// POST /api/models/{model}/aliases/{alias} with {"version": V}: points the alias at V (champion promotes
/// it; staging or any name of the user's is a pointer of its own). Admin only.
/// </summary>
public sealed class AliasFunction(ModelRegistry registry) : IHttpFunction
{
    public async Task<FunctionResponse> HandleAsync(FunctionRequest request, CancellationToken cancellationToken)
    {
        new Parameters(request.Query).RejectUnknown();
        var body = JsonBody.Read(request, CoreJsonContext.Web.VersionRequest);
        var version = body.Version ?? throw Parameters.Invalid("version", "name the version the alias should point at: {\"version\": \"...\"}.");
        var change = await registry.SetAliasAsync(request.RouteValues.GetValueOrDefault("model") ?? "", request.RouteValues.GetValueOrDefault("alias") ?? "",
            version, AdminCalls.Caller(request), AdminCalls.Reason(body), cancellationToken).ConfigureAwait(false);
        return FunctionResponse.Json(change, CoreJsonContext.Web.AliasChange);
    }
}
