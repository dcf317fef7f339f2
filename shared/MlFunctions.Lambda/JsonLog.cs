using System.Text.Json;

namespace MlFunctions.Lambda;

/// <summary>Logs as one JSON object per line on stdout, with the request id. Never a request body.</summary>
public static class JsonLog
{
    public static void Write(string level, string message, string? requestId = null, string? function = null, int? status = null, double? milliseconds = null)
    {
        var line = new LogLine(DateTimeOffset.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture), level, message, requestId, function, status, milliseconds);
        Console.Out.WriteLine(JsonSerializer.Serialize(line, LambdaJsonContext.Default.LogLine));
    }
}
