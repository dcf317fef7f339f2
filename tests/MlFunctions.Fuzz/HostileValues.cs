using System.Globalization;
using System.Text.Json;

namespace MlFunctions.Fuzz;

/// <summary>
/// Values that are valid in shape and hostile in meaning: huge, negative, zero, NaN-like, duplicated,
/// oddly encoded or asking for unbounded work. Each draw is from one seeded <see cref="Random"/>, so a
/// case can be replayed from its index.
/// </summary>
internal sealed class HostileValues(Random random)
{
    private static readonly double[] Numbers =
    [
        0, -0.0, 1, -1, 2, 3, 7, 0.5, 64, 224, 1000, 4096, 8192, 8193, 65535, 1e6, 1 << 20, int.MaxValue, -int.MaxValue,
        long.MaxValue, 1e308, -1e308, double.Epsilon, 1e-320, float.MaxValue, 3.4e39, 0.1, 0.9999999, 1.0000001,
    ];

    private static readonly string[] NumberTexts =
    [
        "NaN", "Infinity", "-Infinity", "1e400", "-1e400", "", " ", "0x10", "\uff11\uff12", "1,2", "+5", "5abc", "1e-45", "-0", "00012", "1.5", "9999999999999",
    ];

    private static readonly string[] Texts =
    [
        "", " ", "a", "A", "penguins", "penguins\n", "penguins\r\n", "\u0000", "\t", "ñ", "\u0130", "🐧", "..", "../x", "a/b", "a\\b", "%0A", "null",
        "\u202e", "\ufeff", "cat", "dog", "x", "c", "t", "f", "Island", "Sex", "Biscoe", "MALE", ".",
    ];

    public Random Random => random;

    public bool Chance(double p) => random.NextDouble() < p;

    public T Pick<T>(IReadOnlyList<T> values) => values[random.Next(values.Count)];

    public int Count(params int[] choices) => choices[random.Next(choices.Length)];

    /// <summary>A number: mostly small and ordinary, often one of the hostile ones.</summary>
    public double Number() => Chance(0.5) ? Math.Round((random.NextDouble() * 200) - 50, random.Next(4)) : Pick(Numbers) * (Chance(0.2) ? -1 : 1);

    /// <summary>A whole number, as JSON would carry it (may overflow an int).</summary>
    public double Whole() => Math.Truncate(Number());

    /// <summary>Text for a query parameter that should be a number.</summary>
    public string NumberText() => Chance(0.3) ? Pick(NumberTexts) : Number().ToString("R", CultureInfo.InvariantCulture);

    public string Text() => Chance(0.05) ? new string('w', Count(1000, 70_000)) + (Chance(0.5) ? " w" : "") : Chance(0.1) ? Words() : Pick(Texts);

    public string Words() => string.Join(' ', Enumerable.Range(0, Count(1, 5, 50, 3000)).Select(_ => Pick(Texts)));

    /// <summary>A JSON value of any kind, hostile in value or in type.</summary>
    public void Any(Utf8JsonWriter json, int depth = 0)
    {
        switch (random.Next(depth > 2 ? 5 : 7))
        {
            case 0: json.WriteNullValue(); break;
            case 1: json.WriteBooleanValue(Chance(0.5)); break;
            case 2 or 3: json.WriteNumberValue(Number()); break;
            case 4: json.WriteStringValue(Chance(0.3) ? NumberText() : Text()); break;
            case 5:
                json.WriteStartArray();
                for (var i = Count(0, 1, 3); i > 0; i--)
                {
                    Any(json, depth + 1);
                }
                json.WriteEndArray();
                break;
            default:
                json.WriteStartObject();
                for (var i = Count(0, 1, 3); i > 0; i--)
                {
                    json.WritePropertyName(Text());
                    Any(json, depth + 1);
                }
                json.WriteEndObject();
                break;
        }
    }

    /// <summary>Usually a value of the expected kind (<paramref name="expected"/>), sometimes any other.</summary>
    public void Maybe(Utf8JsonWriter json, Action expected)
    {
        if (Chance(0.1))
        {
            Any(json);
        }
        else
        {
            expected();
        }
    }

    /// <summary>Writes a JSON document with a writer that lets lone surrogates and other odd text through as escapes.</summary>
    public static byte[] Json(Action<Utf8JsonWriter> write)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = false }))
        {
            write(json);
        }
        return buffer.WrittenSpan.ToArray();
    }
}
