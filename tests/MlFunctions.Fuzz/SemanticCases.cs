using System.Globalization;
using System.Text;
using System.Text.Json;

namespace MlFunctions.Fuzz;

/// <summary>One generated request: its query, body and route model (or object key, for an event), and its Content-Type.</summary>
internal sealed record SemanticCase(string Query, byte[] Body, string? Model = null, string? ContentType = null, Dictionary<string, string>? Route = null);

/// <summary>
/// Requests generated from each function's schema: the right shape, with values from
/// <see cref="HostileValues"/>, so that what they test is meaning (sizes, counts, names, duplicates,
/// numbers), not the parser's handling of broken bytes, which the byte-mutation targets cover.
/// </summary>
internal static class SemanticCases
{
    private static readonly string[] ImageParameters = ["width", "height", "fit", "format", "quality", "background"];
    private static readonly string[] TensorParameters = ["width", "height", "fit", "background", "layout", "channels", "scale", "mean", "std", "output", "stride", "resize", "preset", "dtype"];
    private static readonly string[] Kinds = ["numeric", "categorical", "text", "boolean", "ignore", "NUMERIC", "", "datetime"];
    private static readonly string[] PenguinColumns = ["Island", "Beak Length (mm)", "Beak Depth (mm)", "Flipper Length (mm)", "Body Mass (g)", "Sex"];
    private static readonly string[] ModelNames = ["penguins", "penguins\n", "penguins%0A", "Penguins", "..", "a/b", "", "x", "🐧", "penguins ", new string('p', 65), "nope"];

    public static SemanticCase Image(HostileValues v, byte[][] images, bool tensor)
    {
        var names = tensor ? TensorParameters : ImageParameters;
        var query = new List<string>();
        foreach (var name in names.Where(_ => v.Chance(0.4)))
        {
            query.Add($"{name}={Uri.EscapeDataString(ImageValue(v, name))}");
        }
        if (v.Chance(0.05))
        {
            query.Add($"{Uri.EscapeDataString(v.Text())}=1");
        }
        if (v.Chance(0.05))
        {
            query.Add(query.Count > 0 ? query[0] : "width=1"); // a repeated parameter
        }
        if (v.Chance(0.3))
        {
            // A form: no parts, one, a few, or hundreds; empty parts, parts that are not images, odd boundaries, cut short.
            var (form, type) = Form(v, images, v.Count(0, 1, 2, 3, 8, 300));
            return new SemanticCase(string.Join('&', query), form, ContentType: type);
        }
        return new SemanticCase(string.Join('&', query), v.Pick(images));
    }

    private static (byte[] Body, string ContentType) Form(HostileValues v, byte[][] images, int parts)
    {
        var boundary = v.Pick(["b0undary", "x", new string('-', 70), new string('b', 71), "", "with space", "\"quoted\""]);
        var body = new MemoryStream();
        void Write(string text) => body.Write(Encoding.UTF8.GetBytes(text));
        for (var i = 0; i < parts; i++)
        {
            Write($"--{boundary}\r\n");
            var name = v.Chance(0.8) ? "image" : v.Text();
            Write(v.Chance(0.9) ? $"Content-Disposition: form-data; name=\"{name}\"{(v.Chance(0.7) ? $"; filename=\"p{i}.jpg\"" : "")}\r\n" : "Content-Disposition\r\n");
            Write(v.Chance(0.9) ? "\r\n" : "");
            body.Write(v.Chance(0.85) ? v.Pick(images) : v.Chance(0.5) ? [] : Encoding.UTF8.GetBytes(v.Text()));
            Write("\r\n");
        }
        if (v.Chance(0.9))
        {
            Write($"--{boundary}--\r\n");
        }
        var bytes = body.ToArray();
        return (v.Chance(0.1) ? bytes[..(bytes.Length / 2)] : bytes, v.Chance(0.9) ? $"multipart/form-data; boundary={boundary}" : "multipart/form-data");
    }

    /// <summary>An image (raw or a form) to an ONNX model: a classifier, a detector, a records model, or none.</summary>
    public static SemanticCase PredictImage(HostileValues v, byte[][] images)
    {
        var query = new List<string>();
        foreach (var (name, value) in new[] { ("topK", v.NumberText()), ("threshold", v.NumberText()), ("version", v.Pick(ModelNames)) }.Where(_ => v.Chance(0.3)))
        {
            query.Add($"{name}={Uri.EscapeDataString(value)}");
        }
        var model = v.Pick(["colours", "detector", "colours", "detector", "penguins", "nope"]);
        if (v.Chance(0.3))
        {
            var (form, type) = Form(v, images, v.Count(0, 1, 2, 3));
            return new SemanticCase(string.Join('&', query), form, model, type);
        }
        return new SemanticCase(string.Join('&', query), v.Pick(images), model, v.Pick(["image/jpeg", "image/png", "application/octet-stream", "text/plain"]));
    }

    /// <summary>An ONNX manifest for an import: the right shape, hostile values (names, sizes, labels, tasks, layouts, a feature spec).</summary>
    public static SemanticCase Manifest(HostileValues v) => v.Chance(0.2) ? FittingManifest(v) : new("", HostileValues.Json(json =>
    {
        json.WriteStartObject();
        json.WriteString("task", v.Pick(["image-classification", "object-detection", "image-embedding", "multiclass", "regression", "binary", "", "IMAGE-CLASSIFICATION", v.Text()]));
        foreach (var (member, names) in new[] { ("input", new[] { "image", "images", "features", "", v.Text() }), ("output", new[] { "logits", "output0", "scores", v.Text() }) })
        {
            json.WritePropertyName(member);
            v.Maybe(json, () =>
            {
                json.WriteStartObject();
                json.WriteString("name", v.Pick(names));
                if (v.Chance(0.3))
                {
                    json.WriteStartArray("shape");
                    for (var d = v.Count(0, 1, 2, 4, 9); d > 0; d--)
                    {
                        json.WriteNumberValue(v.Chance(0.5) ? v.Random.Next(-2, 20) : Math.Min(int.MaxValue, Math.Abs(v.Whole())));
                    }
                    json.WriteEndArray();
                }
                json.WriteEndObject();
            });
        }
        if (v.Chance(0.8))
        {
            json.WritePropertyName("image");
            v.Maybe(json, () =>
            {
                json.WriteStartObject();
                foreach (var name in new[] { "width", "height" }.Where(_ => v.Chance(0.7)))
                {
                    json.WriteNumber(name, v.Chance(0.5) ? v.Pick([16, 64, 8192, 0, -1]) : Math.Min(int.MaxValue, Math.Abs(v.Whole())));
                }
                foreach (var name in new[] { "fit", "layout", "channels", "background" }.Where(_ => v.Chance(0.3)))
                {
                    json.WriteString(name, v.Pick(["pad", "cover", "fill", "nchw", "nhwc", "bgr", "#727272", "", v.Text()]));
                }
                json.WriteEndObject();
            });
        }
        if (v.Chance(0.3))
        {
            json.WritePropertyName("features");
            v.Maybe(json, () => Spec(v, json));
        }
        if (v.Chance(0.8))
        {
            json.WritePropertyName("labels");
            v.Maybe(json, () =>
            {
                json.WriteStartArray();
                for (var i = v.Count(0, 1, 2, 3, 3, 4, 20_000); i > 0; i--)
                {
                    json.WriteStringValue(v.Chance(0.9) ? v.Pick(["warm", "leafy", "cold", "person", "dog"]) : v.Text());
                }
                json.WriteEndArray();
            });
        }
        if (v.Chance(0.4))
        {
            json.WritePropertyName("detection");
            v.Maybe(json, () =>
            {
                json.WriteStartObject();
                json.WriteString("layout", v.Pick(["yolov8", "yolov5", "rows", "ssd", ""]));
                json.WriteString("boxes", v.Pick(["xyxy", "cxcywh", "xywh"]));
                json.WriteNumber("confidence", v.Number());
                json.WriteNumber("iou", v.Number());
                json.WriteNumber("maxDetections", Math.Max(int.MinValue, Math.Min(int.MaxValue, v.Whole())));
                json.WriteEndObject();
            });
        }
        foreach (var name in new[] { "activation", "version" }.Where(_ => v.Chance(0.2)))
        {
            json.WriteString(name, name == "version" ? v.Pick(ModelNames) : v.Pick(["softmax", "sigmoid", "none", "relu"]));
        }
        json.WriteEndObject();
    }), v.Pick(["colours-head", "detector-head", "linear"]));

    /// <summary>A manifest that fits the classification head but for a version name, a promote flag and topK-sized labels that may not.</summary>
    private static SemanticCase FittingManifest(HostileValues v) => new("", HostileValues.Json(json =>
    {
        json.WriteStartObject();
        json.WriteString("task", "image-classification");
        json.WriteStartObject("input");
        json.WriteString("name", "image");
        json.WriteEndObject();
        json.WriteStartObject("output");
        json.WriteString("name", "logits");
        json.WriteEndObject();
        json.WriteStartObject("image");
        json.WriteNumber("width", 16);
        json.WriteNumber("height", 16);
        json.WriteString("fit", "fill");
        json.WriteEndObject();
        json.WriteStartArray("labels");
        foreach (var label in v.Chance(0.8) ? ["warm", "leafy", "cold"] : new[] { "warm", "warm", "cold" })
        {
            json.WriteStringValue(label);
        }
        json.WriteEndArray();
        if (v.Chance(0.5))
        {
            json.WriteString("version", v.Pick(ModelNames));
        }
        if (v.Chance(0.3))
        {
            json.WriteBoolean("promote", v.Chance(0.5));
        }
        json.WriteEndObject();
    }), "colours-head");

    private static string ImageValue(HostileValues v, string name) => name switch
    {
        "width" or "height" or "quality" => v.Chance(0.6) ? ((int)Math.Min(int.MaxValue, Math.Abs(v.Whole()))).ToString(CultureInfo.InvariantCulture) : v.NumberText(),
        "fit" => v.Pick(["cover", "contain", "fill", "pad", "COVER", "inside", ""]),
        "format" => v.Pick(["jpeg", "jpg", "png", "webp", "gif", "avif", ""]),
        "background" => v.Pick(["#fff", "#ffffff", "ffffff80", "#12345", "red", "#gggggg", "", "#ffffffffff"]),
        "layout" => v.Pick(["nchw", "nhwc", "NCHW", "chw"]),
        "channels" => v.Pick(["rgb", "bgr", "rgba", "gray"]),
        "output" => v.Pick(["json", "binary", "float16", "csv"]),
        "mean" or "std" => string.Join(',', Enumerable.Range(0, v.Count(1, 2, 3, 3, 3, 4)).Select(_ => v.NumberText())),
        _ => v.NumberText(),
    };

    public static SemanticCase Features(HostileValues v) => new("", HostileValues.Json(json =>
    {
        json.WriteStartObject();
        if (v.Chance(0.9))
        {
            json.WritePropertyName("spec");
            v.Maybe(json, () => Spec(v, json));
        }
        if (v.Chance(0.15))
        {
            json.WriteString("model", v.Pick(ModelNames));
        }
        json.WritePropertyName("records");
        v.Maybe(json, () => Records(v, json, [.. Enumerable.Range(0, 3).Select(_ => v.Text()), "x0", "c1", "t2", "f3", "x", "c", "t"]));
        json.WriteEndObject();
    }));

    private static void Spec(HostileValues v, Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteStartArray("columns");
        var columns = v.Chance(0.05) ? v.Count(40, 2000) : v.Count(0, 1, 2, 3, 4, 6);
        for (var i = 0; i < columns; i++)
        {
            json.WriteStartObject();
            json.WriteString("name", v.Chance(0.6) ? v.Pick(["x", "c", "t", "f"]) + i.ToString(CultureInfo.InvariantCulture)
                : v.Chance(0.5) ? v.Pick(["x", "c", "t", "f", "x"]) : v.Text());
            json.WriteString("kind", v.Chance(0.8) ? v.Pick(["numeric", "categorical", "text", "boolean"]) : v.Pick(Kinds));
            foreach (var option in new[] { "buckets", "maxCategories", "constant" }.Where(_ => v.Chance(0.3)))
            {
                json.WriteNumber(option, v.Chance(0.5) ? v.Random.Next(1, 300) : v.Whole());
            }
            foreach (var option in new[] { "wordNgrams", "charNgrams" }.Where(_ => v.Chance(0.3)))
            {
                json.WriteStartArray(option);
                for (var n = v.Count(0, 1, 2, 2, 3); n > 0; n--)
                {
                    json.WriteNumberValue(v.Chance(0.7) ? v.Random.Next(-1, 10) : v.Whole());
                }
                json.WriteEndArray();
            }
            if (v.Chance(0.2))
            {
                json.WriteString(v.Pick(["impute", "scaling"]), v.Pick(["mean", "median", "constant", "minmax", "none", "standardize", "log"]));
            }
            if (v.Chance(0.8))
            {
                json.WriteStartObject("fitted");
                foreach (var stat in new[] { "fill", "mean", "std", "min", "max" }.Where(_ => v.Chance(0.85)))
                {
                    json.WriteNumber(stat, v.Number());
                }
                if (v.Chance(0.3))
                {
                    json.WriteNumber("count", v.Chance(0.8) ? v.Random.Next(1000) : v.Whole());
                }
                if (v.Chance(columns > 100 ? 0.01 : 0.6))
                {
                    json.WriteStartArray("categories");
                    var categories = v.Count(0, 1, 2, 3, 10, 20_000);
                    for (var c = 0; c < categories; c++)
                    {
                        // Many categories are many short ones: the request stays a few megabytes.
                        if (v.Chance(0.01))
                        {
                            v.Any(json);
                            continue;
                        }
                        json.WriteStringValue(categories > 100 ? $"c{c % 15_000}" : v.Chance(0.8) ? $"v{c}" : v.Chance(0.5) ? v.Pick(["a", "b", "a"]) : v.Text());
                    }
                    json.WriteEndArray();
                }
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void Records(HostileValues v, Utf8JsonWriter json, string[] columns)
    {
        json.WriteStartArray();
        var count = v.Chance(0.04) ? v.Count(10_000, 10_001) : v.Count(0, 1, 2, 5, 50);
        var wide = count > 100;
        // A long request is hostile by its length; its names stay short, or it would outgrow any body limit.
        columns = wide ? [.. columns.Where(c => c.Length < 64)] : columns;
        for (var r = 0; r < count; r++)
        {
            json.WriteStartObject();
            foreach (var column in columns.Where(_ => v.Chance(0.8)))
            {
                json.WritePropertyName(column);
                if (wide)
                {
                    json.WriteNumberValue(r);
                }
                else
                {
                    v.Any(json);
                }
            }
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    public static SemanticCase Format(HostileValues v) => new("", HostileValues.Json(json =>
    {
        json.WriteStartObject();
        var rows = v.Chance(0.05) ? 3000 : v.Count(0, 1, 2, 5, 100);
        var width = v.Chance(0.05) ? v.Count(1000, 100_000) : v.Count(0, 1, 2, 3, 10);
        if (rows * (long)width > 2_000_000)
        {
            rows = 1;
        }
        foreach (var name in new[] { "scores", "logits" }.Where(_ => v.Chance(0.6)))
        {
            json.WriteStartArray(name);
            for (var r = 0; r < rows; r++)
            {
                v.Maybe(json, () =>
                {
                    json.WriteStartArray();
                    var w = v.Chance(0.05) ? width + 1 : width;
                    for (var c = 0; c < w; c++)
                    {
                        json.WriteNumberValue(width > 100 ? c * 1e-3 : v.Number());
                    }
                    json.WriteEndArray();
                });
            }
            json.WriteEndArray();
        }
        if (v.Chance(0.6))
        {
            json.WriteStartArray("labels");
            var labels = width == 1 ? 2 : width + (v.Chance(0.1) ? 1 : 0);
            for (var l = 0; l < labels; l++)
            {
                v.Maybe(json, () => json.WriteStringValue(v.Chance(0.9) ? $"label{l}" : v.Text()));
            }
            json.WriteEndArray();
        }
        Options(v, json);
        if (v.Chance(0.3))
        {
            json.WriteString("activation", v.Pick(["none", "sigmoid", "softmax", "relu", ""]));
        }
        if (v.Chance(0.3))
        {
            json.WriteString("output", v.Pick(["json", "csv", "xml"]));
        }
        if (v.Chance(0.25))
        {
            Detection(v, json, rows);
        }
        json.WriteEndObject();
    }));

    /// <summary>A detection head's boxes and options beside the scores: hostile corners, counts, thresholds and transforms.</summary>
    private static void Detection(HostileValues v, Utf8JsonWriter json, int rows)
    {
        json.WriteStartArray("boxes");
        for (var r = v.Chance(0.1) ? rows + 1 : rows; r > 0; r--)
        {
            v.Maybe(json, () =>
            {
                json.WriteStartArray();
                for (var c = v.Chance(0.05) ? 3 : 4; c > 0; c--)
                {
                    json.WriteNumberValue(v.Chance(0.7) ? v.Random.Next(0, 640) : v.Number());
                }
                json.WriteEndArray();
            });
        }
        json.WriteEndArray();
        foreach (var name in new[] { "iou", "maxDetections" }.Where(_ => v.Chance(0.3)))
        {
            json.WriteNumber(name, name == "iou" ? v.Number() : Math.Min(int.MaxValue, Math.Abs(v.Whole())));
        }
        foreach (var name in new[] { "classAgnostic", "normalized" }.Where(_ => v.Chance(0.3)))
        {
            json.WriteBoolean(name, v.Chance(0.5));
        }
        if (v.Chance(0.3))
        {
            json.WriteString("boxFormat", v.Pick(["xyxy", "cxcywh", "xywh"]));
        }
        if (v.Chance(0.5))
        {
            json.WriteStartObject("transform");
            foreach (var name in new[] { "originalWidth", "originalHeight", "inputWidth", "inputHeight" })
            {
                json.WriteNumber(name, v.Chance(0.8) ? v.Random.Next(1, 2000) : Math.Clamp(v.Whole(), int.MinValue, int.MaxValue));
            }
            foreach (var name in new[] { "sourceX", "sourceY", "sourceWidth", "sourceHeight", "padX", "padY", "drawnWidth", "drawnHeight" })
            {
                json.WriteNumber(name, v.Chance(0.7) ? v.Random.Next(0, 640) : v.Number());
            }
            json.WriteEndObject();
        }
    }

    public static SemanticCase Predict(HostileValues v) => new(
        string.Join('&', new[]
        {
            v.Chance(0.1) ? "version=" + Uri.EscapeDataString(v.Pick(ModelNames)) : null,
            v.Chance(0.1) ? "alias=" + Uri.EscapeDataString(v.Pick(Aliases)) : null,
            v.Chance(0.3) ? "explain=" + v.Pick(["true", "1", "false", "yes", ""]) : null,
        }.OfType<string>()),
        HostileValues.Json(json =>
        {
            json.WriteStartObject();
            json.WritePropertyName("records");
            v.Maybe(json, () => Records(v, json, [.. PenguinColumns, v.Text()]));
            Options(v, json);
            json.WriteEndObject();
        }),
        v.Chance(0.8) ? "penguins" : v.Pick(ModelNames));

    /// <summary>The penguin model's real versions, set by the run: valid writes as well as hostile ones.</summary>
    public static string[] KnownVersions { get; set; } = [];

    private static readonly string[] Aliases = ["staging", "champion", "previous", "staging", "champion", "Staging", "", "a-b", "staging\n", "..", "x/y", new string('s', 33), "🐧", "prod"];

    /// <summary>The registry's writes: alias names, versions and reasons that are empty, huge, traversing, duplicated or oddly encoded.</summary>
    public static SemanticCase SetAlias(HostileValues v) => new("", VersionBody(v), v.Chance(0.8) ? "penguins" : v.Pick(ModelNames),
        Route: new() { ["alias"] = v.Pick(Aliases) });

    public static SemanticCase Rollback(HostileValues v) => new("", v.Chance(0.3) ? [] : VersionBody(v), v.Chance(0.8) ? "penguins" : v.Pick(ModelNames));

    public static SemanticCase Review(HostileValues v) => new("", v.Chance(0.5) ? [] : VersionBody(v), v.Chance(0.8) ? "penguins" : v.Pick(ModelNames),
        Route: new() { ["job"] = v.Chance(0.5) ? "0123456789abcdef0123" : v.Text(), ["decision"] = v.Pick(["approve", "reject", "Approve", "", "approve\n"]) });

    public static SemanticCase Model(HostileValues v) => new(v.Chance(0.3) ? "limit=" + Uri.EscapeDataString(v.Chance(0.5) ? v.Whole().ToString(System.Globalization.CultureInfo.InvariantCulture) : v.Text()) : "",
        [], v.Chance(0.6) ? "penguins" : v.Pick(ModelNames));

    private static byte[] VersionBody(HostileValues v) => HostileValues.Json(json =>
    {
        json.WriteStartObject();
        if (v.Chance(0.8))
        {
            json.WritePropertyName("version");
            v.Maybe(json, () => json.WriteStringValue(v.Chance(0.5) && KnownVersions.Length > 0 ? v.Pick(KnownVersions) : v.Chance(0.5) ? v.Pick(ModelNames) : v.Text()));
        }
        if (v.Chance(0.4))
        {
            json.WritePropertyName("reason");
            v.Maybe(json, () => json.WriteStringValue(v.Text()));
        }
        json.WriteEndObject();
    });

    public static SemanticCase Drift(HostileValues v) => new(v.Chance(0.5) ? "days=" + Uri.EscapeDataString(v.Chance(0.5) ? v.Whole().ToString(System.Globalization.CultureInfo.InvariantCulture) : v.Text()) : "",
        [], v.Chance(0.6) ? "penguins" : v.Pick(ModelNames));

    public static SemanticCase Jobs(HostileValues v) => new(v.Chance(0.1) ? "limit=5" : "", [], v.Pick(ModelNames));

    private static void Options(HostileValues v, Utf8JsonWriter json)
    {
        if (v.Chance(0.4))
        {
            json.WritePropertyName("topK");
            v.Maybe(json, () => json.WriteNumberValue(v.Chance(0.5) ? v.Random.Next(-2, 8) : Math.Min(int.MaxValue, Math.Abs(v.Whole()))));
        }
        if (v.Chance(0.4))
        {
            json.WritePropertyName("threshold");
            v.Maybe(json, () => json.WriteNumberValue(v.Chance(0.5) ? v.Random.NextDouble() : v.Number()));
        }
    }

    /// <summary>An S3 event whose records name hostile keys and sizes.</summary>
    public static SemanticCase S3Event(HostileValues v) => new("", HostileValues.Json(json =>
    {
        json.WriteStartObject();
        json.WriteStartArray("Records");
        for (var r = v.Count(0, 1, 2, 100); r > 0; r--)
        {
            json.WriteStartObject();
            json.WriteString("eventSource", "aws:s3");
            json.WriteString("eventName", v.Pick(["ObjectCreated:Put", "ObjectRemoved:Delete", "ObjectCreated:CompleteMultipartUpload"]));
            json.WriteStartObject("s3");
            json.WriteStartObject("bucket");
            json.WriteString("name", v.Chance(0.9) ? "b" : v.Text());
            json.WriteEndObject();
            json.WriteStartObject("object");
            json.WriteString("key", Uri.EscapeDataString(Key(v)).Replace("%2F", "/", StringComparison.Ordinal));
            json.WritePropertyName("size");
            v.Maybe(json, () => json.WriteNumberValue(v.Whole()));
            json.WriteString("eTag", v.Chance(0.9) ? "d41d8cd98f00b204e9800998ecf8427e" : v.Text());
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }));

    /// <summary>A key under one of on-upload's prefixes, with a hostile model, file or image name.</summary>
    public static string Key(HostileValues v) => v.Pick(["incoming/images/", "training/", "batch/", "jobs/", "models/", ""])
        + (v.Chance(0.7) ? v.Pick(ModelNames) : v.Text()) + v.Pick(["/", "//", "/../", ""]) + v.Pick(["a.csv", "a.CSV", ".csv", "a.job.json", "x.jpg", v.Text()]);

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
