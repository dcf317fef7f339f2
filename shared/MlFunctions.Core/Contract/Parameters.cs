using System.Globalization;

namespace MlFunctions.Core.Contract;

/// <summary>Reads typed options from query parameters (or CLI flags); every failure is a 400 naming the parameter.</summary>
public sealed class Parameters(IReadOnlyDictionary<string, string> values)
{
    // Azure Functions passes its function key as ?code=; it is the platform's, not ours.
    private static readonly string[] PlatformNames = ["code"];

    public string? Text(string name) =>
        values.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    public int? Int(string name, int min, int max)
    {
        var text = Text(name);
        if (text is null)
        {
            return null;
        }
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw Invalid(name, $"'{text}' is not a whole number from {min} to {max}.");
        }
        return value;
    }

    /// <summary>true or false (also 1 or 0); unset is null.</summary>
    public bool? Bool(string name) => Text(name)?.ToLowerInvariant() switch
    {
        null => null,
        "true" or "1" => true,
        "false" or "0" => false,
        var text => throw Invalid(name, $"'{text}' is not true or false."),
    };

    public float? Float(string name)
    {
        var text = Text(name);
        return text is null ? null : ParseFloat(name, text);
    }

    /// <summary>A comma-separated list of exactly one or <paramref name="count"/> numbers; one number is repeated.</summary>
    public float[]? FloatList(string name, int count)
    {
        var text = Text(name);
        if (text is null)
        {
            return null;
        }
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length != 1 && parts.Length != count)
        {
            throw Invalid(name, $"'{text}' must be one number or {count} comma-separated numbers.");
        }
        var numbers = parts.Select(part => ParseFloat(name, part)).ToArray();
        return numbers.Length == count ? numbers : Enumerable.Repeat(numbers[0], count).ToArray();
    }

    /// <summary>One of a fixed set of lower-case names.</summary>
    public T Choice<T>(string name, T fallback, params (string Name, T Value)[] choices)
    {
        var text = Text(name);
        if (text is null)
        {
            return fallback;
        }
        foreach (var choice in choices)
        {
            if (string.Equals(choice.Name, text, StringComparison.OrdinalIgnoreCase))
            {
                return choice.Value;
            }
        }
        throw Invalid(name, $"'{text}' is not one of: {string.Join(", ", choices.Select(c => c.Name))}.");
    }

    /// <summary>Refuses names the function does not know, so a typo is not silently ignored.</summary>
    public void RejectUnknown(params string[] known)
    {
        foreach (var name in values.Keys)
        {
            if (!known.Contains(name, StringComparer.OrdinalIgnoreCase) && !PlatformNames.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                throw Invalid(name, $"Unknown parameter '{name}'; this function takes: {string.Join(", ", known)}.");
            }
        }
    }

    public static ProblemException Invalid(string name, string detail) =>
        ProblemType.InvalidParameter.With($"Parameter '{name}': {detail}", name);

    private static float ParseFloat(string name, string text) =>
        float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && float.IsFinite(value)
            ? value
            : throw Invalid(name, $"'{text}' is not a finite number.");
}
