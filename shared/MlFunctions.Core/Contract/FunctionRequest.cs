namespace MlFunctions.Core.Contract;

/// <summary>A transport-neutral HTTP request: what every adapter turns its platform's envelope into.</summary>
public sealed class FunctionRequest
{
    private static readonly IReadOnlyDictionary<string, string> Empty =
        new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    public required string Method { get; init; }

    public required string Path { get; init; }

    /// <summary>Query parameters, case-insensitive by name; a repeated name keeps its first value.</summary>
    public IReadOnlyDictionary<string, string> Query { get; init; } = Empty;

    /// <summary>Headers, case-insensitive by name.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = Empty;

    /// <summary>Values bound from the route template, such as the model name.</summary>
    public IReadOnlyDictionary<string, string> RouteValues { get; init; } = Empty;

    public ReadOnlyMemory<byte> Body { get; init; }

    /// <summary>Who is calling, as the platform vouched for it (an IAM principal, the local API key), for the registry's history; null when unknown.</summary>
    public string? Caller { get; init; }

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    /// <summary>Parses a raw query string ("a=1&amp;b=x+y", with or without '?'): form-decoded, first value of a name kept.</summary>
    public static IReadOnlyDictionary<string, string> ParseQuery(string? raw) => Map(
        (raw ?? "").TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .Select(kv => KeyValuePair.Create(FormDecode(kv[0]), kv.Length > 1 ? FormDecode(kv[1]) : "")));

    private static string FormDecode(string text) => Uri.UnescapeDataString(text.Replace('+', ' '));

    /// <summary>Builds a case-insensitive map that keeps the first value of a repeated name.</summary>
    public static IReadOnlyDictionary<string, string> Map(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in pairs)
        {
            map.TryAdd(key, value);
        }
        return map;
    }
}
