using System.Text;
using System.Text.Json;
using MlFunctions.Core.Monitoring;

namespace MlFunctions.Hosting;

/// <summary>
/// Metrics as structured JSON log lines on stdout, one per call: Cloud Logging reads "severity" and
/// "message" and keeps the rest as jsonPayload (log-based metrics and Log Analytics query it), and the
/// Functions host sends a custom handler's stdout to Application Insights as traces.
/// </summary>
public sealed class StructuredLogMetrics(TextWriter output) : IFunctionMetrics
{
    private readonly Lock _gate = new();

    public void Record(string function, int status, double milliseconds, string? modelVersion)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("severity", status >= 500 ? "ERROR" : "INFO");
            json.WriteString("message", $"{function} {status} in {milliseconds:F1} ms");
            json.WriteString("function", function);
            json.WriteNumber("status", status);
            json.WriteString("outcome", Outcomes.Of(status));
            json.WriteNumber("latencyMs", Math.Round(milliseconds, 3));
            if (modelVersion is not null)
            {
                json.WriteString("modelVersion", modelVersion);
            }
            json.WriteEndObject();
        }
        var line = Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        lock (_gate)
        {
            output.WriteLine(line);
        }
    }
}
