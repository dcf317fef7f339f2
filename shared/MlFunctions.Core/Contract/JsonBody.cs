using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace MlFunctions.Core.Contract;

/// <summary>Reads a JSON request body; an empty or malformed body is a 400 that says where it went wrong.</summary>
public static class JsonBody
{
    public static T Read<T>(FunctionRequest request, JsonTypeInfo<T> type) where T : class
    {
        if (request.Body.IsEmpty)
        {
            throw ProblemType.EmptyBody.With("Send a JSON object as the request body.");
        }
        // JSON is UTF-8; the reader only checks a string's bytes when the string is read, deep inside a
        // function, so the whole body is checked here (a vectorised pass) and refused as a 400.
        if (!System.Text.Unicode.Utf8.IsValid(request.Body.Span))
        {
            throw ProblemType.InvalidJson.With("The body is not valid UTF-8.");
        }
        try
        {
            return JsonSerializer.Deserialize(request.Body.Span, type)
                ?? throw ProblemType.InvalidJson.With("The body is JSON null; send an object.");
        }
        catch (JsonException e)
        {
            // The message names the path and position, e.g. "$.spec.columns[0].buckets | LineNumber: 0 ...".
            throw ProblemType.InvalidJson.With($"The body is not valid here: {JsonErrors.Describe(e)}", e.Path);
        }
    }
}
