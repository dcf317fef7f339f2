using System.Text.Json;
using MlFunctions.Core.Json;
using MlFunctions.Core.Uploads;
using MlFunctions.Lambda;

namespace MlFunctions.Aws.Handlers;

/// <summary>
/// The drift function takes two events: an API Gateway request (GET /api/drift/{model}, as every HTTP
/// function) and EventBridge's scheduled event (template.yaml runs it every hour), which runs drift for
/// every model whose spec captures traffic.
/// </summary>
internal sealed class DriftHandler(HttpHandler http, DriftJobs drift) : ILambdaHandler
{
    public string Name => http.Name;

    public string Accepts => $"{http.Accepts}, or an EventBridge scheduled event";

    public async Task<LambdaResult> HandleAsync(byte[] payload, CancellationToken cancellationToken)
    {
        using (var document = JsonDocument.Parse(payload))
        {
            if (!(document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("source", out var source) && source.ValueKind == JsonValueKind.String && source.GetString() == "aws.events"))
            {
                return await http.HandleAsync(payload, cancellationToken).ConfigureAwait(false);
            }
        }
        var reports = await drift.RunScheduledAsync(cancellationToken).ConfigureAwait(false);
        foreach (var report in reports)
        {
            JsonLog.Write("INFO", report.Summary(), function: Name);
        }
        return new LambdaResult(JsonSerializer.SerializeToUtf8Bytes(reports.ToArray(), CoreJsonContext.Web.DriftReportArray), Note: $"{reports.Count} models");
    }
}
