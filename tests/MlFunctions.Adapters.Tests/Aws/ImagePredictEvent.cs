using System.Text.Json;
using MlFunctions.Testing;

namespace MlFunctions.Adapters.Tests.Aws;

/// <summary>An image posted to predict through the Runtime API, as API Gateway (HTTP API, payload 2.0) delivers it; the function's JSON answer.</summary>
public static class ImagePredictEvent
{
    public static async Task<JsonElement> InvokeAsync(LambdaRuntimeEmulator emulator, string model, byte[] image, string query = "")
    {
        var answer = await emulator.InvokeAsync(JsonSerializer.Serialize(new
        {
            version = "2.0",
            routeKey = "POST /api/predict/{model}",
            rawPath = $"/api/predict/{model}",
            rawQueryString = query,
            queryStringParameters = query.Length == 0 ? null : FunctionQuery(query),
            headers = new Dictionary<string, string> { ["content-type"] = "image/jpeg" },
            pathParameters = new Dictionary<string, string> { ["model"] = model },
            requestContext = new { http = new { method = "POST", path = $"/api/predict/{model}" }, requestId = "r-1" },
            body = Convert.ToBase64String(image),
            isBase64Encoded = true,
        }));
        Assert.False(answer.IsError, answer.Body);
        var response = JsonDocument.Parse(answer.Body).RootElement;
        Assert.Equal(200, response.GetProperty("statusCode").GetInt32());
        return JsonDocument.Parse(response.GetProperty("body").GetString()!).RootElement.Clone();
    }

    private static Dictionary<string, string> FunctionQuery(string query) =>
        query.Split('&').Select(pair => pair.Split('=', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? Uri.UnescapeDataString(p[1]) : "");
}
