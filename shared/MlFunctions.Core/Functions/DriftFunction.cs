using MlFunctions.Core.Contract;
using MlFunctions.Core.Json;
using MlFunctions.Core.Uploads;

namespace MlFunctions.Core.Functions;

/// <summary>GET /api/drift/{model}[?days=7]: runs the drift job now (retraining if the spec says so) and answers its report (also written to monitoring/&lt;model&gt;/).</summary>
public sealed class DriftFunction(DriftJobs drift) : IHttpFunction
{
    public async Task<FunctionResponse> HandleAsync(FunctionRequest request, CancellationToken cancellationToken)
    {
        var parameters = new Parameters(request.Query);
        parameters.RejectUnknown("days");
        var report = await drift.RunAsync(request.RouteValues.GetValueOrDefault("model") ?? "", parameters.Int("days", 1, 90), cancellationToken).ConfigureAwait(false);
        return FunctionResponse.Json(report, CoreJsonContext.Web.DriftReport);
    }
}
