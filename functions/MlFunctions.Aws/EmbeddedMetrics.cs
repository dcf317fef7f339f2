using System.Text;
using System.Text.Json;
using MlFunctions.Core.Monitoring;

namespace MlFunctions.Aws;

/// <summary>
/// Metrics as CloudWatch's Embedded Metric Format: one JSON line on stdout per call, which CloudWatch
/// Logs turns into the metrics Latency (milliseconds) and Requests (count) in the namespace MlFunctions,
/// by Function and Outcome (2xx, 4xx, 5xx), with no code or agent; the model version rides along as a
/// property (a dimension per version would multiply the metrics).
/// </summary>
public sealed class EmbeddedMetrics(TextWriter output) : IFunctionMetrics
{
    public const string Namespace = "MlFunctions";

    private readonly Lock _gate = new();

    public void Record(string function, int status, double milliseconds, string? modelVersion)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject("_aws");
            json.WriteNumber("Timestamp", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            json.WriteStartArray("CloudWatchMetrics");
            json.WriteStartObject();
            json.WriteString("Namespace", Namespace);
            json.WriteStartArray("Dimensions");
            json.WriteStartArray();
            json.WriteStringValue("Function");
            json.WriteStringValue("Outcome");
            json.WriteEndArray();
            json.WriteEndArray();
            json.WriteStartArray("Metrics");
            Metric(json, "Latency", "Milliseconds");
            Metric(json, "Requests", "Count");
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteString("Function", function);
            json.WriteString("Outcome", Outcomes.Of(status));
            json.WriteNumber("Status", status);
            if (modelVersion is not null)
            {
                json.WriteString("ModelVersion", modelVersion);
            }
            json.WriteNumber("Latency", Math.Round(milliseconds, 3));
            json.WriteNumber("Requests", 1);
            json.WriteEndObject();
        }
        var line = Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        lock (_gate)
        {
            output.WriteLine(line);
        }
    }

    private static void Metric(Utf8JsonWriter json, string name, string unit)
    {
        json.WriteStartObject();
        json.WriteString("Name", name);
        json.WriteString("Unit", unit);
        json.WriteEndObject();
    }
}
