using MlFunctions.Core.Contract;
using MlFunctions.Core.Jobs;
using MlFunctions.Core.Json;
using MlFunctions.Core.Models.Registry;

namespace MlFunctions.Core.Functions;

/// <summary>
/// POST /api/jobs/{model}/{job}/{decision} (approve or reject) [{"reason": "..."}]: decides on a job
/// awaiting approval; approve promotes its version unless the champion changed meanwhile. Admin only.
/// </summary>
public sealed class ReviewFunction(JobReview review) : IHttpFunction
{
    public async Task<FunctionResponse> HandleAsync(FunctionRequest request, CancellationToken cancellationToken)
    {
        new Parameters(request.Query).RejectUnknown();
        var approve = request.RouteValues.GetValueOrDefault("decision") switch
        {
            "approve" => true,
            "reject" => false,
            var other => throw Parameters.Invalid("decision", $"'{other}' is not a decision: approve or reject."),
        };
        var body = request.Body.IsEmpty ? new VersionRequest() : JsonBody.Read(request, CoreJsonContext.Web.VersionRequest);
        var status = await review.DecideAsync(request.RouteValues.GetValueOrDefault("model") ?? "", request.RouteValues.GetValueOrDefault("job") ?? "",
            approve, AdminCalls.Caller(request), AdminCalls.Reason(body), cancellationToken).ConfigureAwait(false);
        return FunctionResponse.Json(status, CoreJsonContext.Web.JobStatus);
    }
}
