using System.Text.Json;
using MlFunctions.Core.Json;
using MlFunctions.Core.Uploads;
using MlFunctions.Storage.Azure;

namespace MlFunctions.Azure;

/// <summary>
/// POST /drift-schedule: the custom handler side of the hourly timer trigger (function.json
/// drift-schedule): drift for every model whose spec captures traffic. The timer's payload says only
/// when it fired, so it is not read. A store failure is a 500, which the host logs and the next tick retries.
/// </summary>
internal static class DriftScheduleEndpoint
{
    public const string Name = "drift-schedule";

    public static async Task HandleAsync(HttpContext context, DriftJobs drift, ILogger log)
    {
        var reports = await drift.RunScheduledAsync(context.RequestAborted).ConfigureAwait(false);
        var lines = reports.Select(r => r.Summary()).ToArray();
        foreach (var line in lines)
        {
            log.LogInformation("{Line}", line);
        }
        var response = new CustomHandlerResponse([], lines, JsonSerializer.SerializeToElement(reports.ToArray(), CoreJsonContext.Web.DriftReportArray));
        context.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(context.Response.Body, response, PayloadJsonContext.Default.CustomHandlerResponse, context.RequestAborted).ConfigureAwait(false);
    }
}
