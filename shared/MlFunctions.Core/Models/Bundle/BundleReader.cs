using System.Text.Json;
using MlFunctions.Core.Features;

namespace MlFunctions.Core.Models.Bundle;

/// <summary>
/// Reads bundle.json with System.Text.Json's JsonDocument and maps it by hand. Why not the serializer:
/// in a cold Native AOT process its first use sets up metadata for every type in the bundle, about 3 ms,
/// while JsonDocument parses and walks the same file in about 0.2 ms; a bundle is read on every cold
/// start. Writing stays with the source-generated serializer; a round-trip test keeps the two in step.
/// </summary>
internal static class BundleReader
{
    public static ModelBundle Read(JsonElement root) => new()
    {
        Format = Int(root, "format"),
        Name = Str(root, "name"),
        Version = Str(root, "version"),
        Task = Str(root, "task"),
        Trainer = Str(root, "trainer"),
        LabelColumn = Str(root, "labelColumn"),
        Features = new FeatureSpec(Get(root, "features").GetProperty("columns").EnumerateArray().Select(Column).ToArray()),
        Labels = Opt(root, "labels") is { } labels ? labels.EnumerateArray().Select(l => l.GetString()!).ToArray() : null,
        Model = Model(Get(root, "model")),
        Metrics = Get(root, "metrics").EnumerateObject().ToDictionary(p => p.Name, p => Number(p.Value)),
        Training = Training(Get(root, "training")),
        Origin = Opt(root, "origin") is { } origin
            ? new ModelOrigin(Opt(origin, "job")?.GetString(), Opt(origin, "source")?.GetString(), Opt(origin, "sourceETag")?.GetString())
            : null,
    };

    private static ColumnSpec Column(JsonElement c) => new()
    {
        Name = Str(c, "name"),
        Kind = Str(c, "kind"),
        Required = Opt(c, "required")?.GetBoolean(),
        Impute = Opt(c, "impute")?.GetString(),
        Constant = Opt(c, "constant")?.GetDouble(),
        Scaling = Opt(c, "scaling")?.GetString(),
        MaxCategories = Opt(c, "maxCategories")?.GetInt32(),
        Buckets = Opt(c, "buckets")?.GetInt32(),
        WordNgrams = Opt(c, "wordNgrams") is { } words ? Ints(words) : null,
        CharNgrams = Opt(c, "charNgrams") is { } chars ? Ints(chars) : null,
        Binary = Opt(c, "binary")?.GetBoolean(),
        Format = Opt(c, "format")?.GetString(),
        Parts = Opt(c, "parts") is { } parts ? Array(parts, static e => e.GetString()!) : null,
        Fitted = Opt(c, "fitted") is { } f ? new ColumnStats
        {
            Count = Opt(f, "count")?.GetInt64() ?? 0,
            Missing = Opt(f, "missing")?.GetInt64() ?? 0,
            Fill = Opt(f, "fill") is { } fill ? Number(fill) : null,
            Mean = Opt(f, "mean") is { } mean ? Number(mean) : null,
            Std = Opt(f, "std") is { } std ? Number(std) : null,
            Min = Opt(f, "min") is { } min ? Number(min) : null,
            Max = Opt(f, "max") is { } max ? Number(max) : null,
            Categories = Opt(f, "categories") is { } categories ? categories.EnumerateArray().Select(v => v.GetString()!).ToArray() : null,
        } : null,
    };

    private static ScoringModel Model(JsonElement m) => new()
    {
        Link = Str(m, "link"),
        Linear = Opt(m, "linear")?.EnumerateArray().Select(l => new LinearOutput(Floats(Get(l, "weights")), (float)Number(Get(l, "bias")))).ToArray(),
        Trees = Opt(m, "trees")?.EnumerateArray().Select(e => new TreeEnsembleOutput(Number(Get(e, "bias")), Trees(Get(e, "trees")),
            Opt(e, "leafCounts") is { } counts ? PackedCounts.Unpack(counts.GetBytesFromBase64()) : null)).ToArray(),
        Calibrators = Opt(m, "calibrators")?.EnumerateArray().Select(c => new PlattCalibration(Number(Get(c, "slope")), Number(Get(c, "offset")))).ToArray(),
    };

    /// <summary>An ensemble's trees: one base64 string (format 2, see <see cref="PackedTrees"/>), or a JSON object per tree (format 1).</summary>
    private static RegressionTreeData[] Trees(JsonElement trees) => trees.ValueKind == JsonValueKind.String
        ? PackedTrees.Unpack(trees.GetBytesFromBase64())
        : Array(trees, t => new RegressionTreeData(Number(Get(t, "weight")), Ints(Get(t, "splitFeatures")), Floats(Get(t, "thresholds")),
            Ints(Get(t, "left")), Ints(Get(t, "right")), Doubles(Get(t, "leaves"))));

    private static TrainingInfo Training(JsonElement t) => new(
        Str(t, "dataHash"), Get(t, "trainRows").GetInt64(), Get(t, "holdoutRows").GetInt64(), Get(t, "skippedRows").GetInt64(),
        Int(t, "seed"), Number(Get(t, "holdout")), Get(t, "createdAt").GetDateTimeOffset(),
        Get(t, "versions").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!));

    private static JsonElement Get(JsonElement e, string name) =>
        e.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : throw new InvalidDataException($"bundle.json lacks '{name}'.");

    private static JsonElement? Opt(JsonElement e, string name) =>
        e.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    private static string Str(JsonElement e, string name) => Get(e, name).GetString()!;

    private static int Int(JsonElement e, string name) => Get(e, name).GetInt32();

    /// <summary>A number, or "NaN" / "Infinity" as the writer spells undefined metrics.</summary>
    private static double Number(JsonElement e) => e.ValueKind == JsonValueKind.String
        ? double.Parse(e.GetString()!, System.Globalization.CultureInfo.InvariantCulture)
        : e.GetDouble();

    private static int[] Ints(JsonElement array) => Array(array, static e => e.GetInt32());

    private static float[] Floats(JsonElement array) => Array(array, static e => e.GetSingle());

    private static double[] Doubles(JsonElement array) => Array(array, static e => e.GetDouble());

    private static T[] Array<T>(JsonElement array, Func<JsonElement, T> read)
    {
        var values = new T[array.GetArrayLength()];
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            values[i++] = read(item);
        }
        return values;
    }
}
