using System.Net;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlFunctions.Adapters.Tests.Local;
using MlFunctions.Testing;

namespace MlFunctions.Adapters.Tests.Trainer;

/// <summary>
/// A user's own ML.NET model.zip (built here with its own transforms: one-hot, concatenate, normalise,
/// a trainer) imported by the Trainer's import-mlnet as a user runs it: converted to ONNX, checked
/// against ML.NET on sample rows, registered, and served by the real local host from JSON records with
/// ML.NET's own answers; a pipeline with a transform that has no ONNX export is refused by name.
/// </summary>
public sealed class ImportMlNetTests(LocalHostFixture host) : IClassFixture<LocalHostFixture>, IDisposable
{
    private static readonly string[] Inputs = ["Island", "Beak Length (mm)", "Beak Depth (mm)", "Flipper Length (mm)", "Body Mass (g)", "Sex"];
    private readonly string _work = Directory.CreateTempSubdirectory("mlf-mlnet-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    private static IDataView Penguins(MLContext ml) => ml.Data.LoadFromTextFile(RepoPaths.Penguins, new TextLoader.Options
    {
        HasHeader = true, Separators = [','], AllowQuoting = true,
        Columns =
        [
            new("Species", DataKind.String, 0), new("Island", DataKind.String, 1), new("Beak Length (mm)", DataKind.Single, 2),
            new("Beak Depth (mm)", DataKind.Single, 3), new("Flipper Length (mm)", DataKind.Single, 4), new("Body Mass (g)", DataKind.Single, 5), new("Sex", DataKind.String, 6),
        ],
    });

    private string Save(MLContext ml, ITransformer model, IDataView data, string name)
    {
        var path = Path.Combine(_work, name);
        ml.Model.Save(model, data.Schema, path);
        return path;
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_work, name);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>Sample rows without missing values, every fifth penguin.</summary>
    private string Samples() => Write("samples.csv", string.Join('\n', File.ReadLines(RepoPaths.Penguins).Where((line, i) => i == 0 || (i % 5 == 0 && !line.Contains("NA", StringComparison.Ordinal) && !line.EndsWith(",.", StringComparison.Ordinal)))) + "\n");

    private Task<ProcessRunner.Result> ImportAsync(string model, string zip) =>
        ProcessRunner.RunAsync("dotnet", [typeof(MlFunctions.Trainer.RetrainHandler).Assembly.Location, "import-mlnet", "--model", model, "--zip", zip,
            "--manifest", Write("import.json", JsonSerializer.Serialize(new { task = "multiclass", columns = Inputs })), "--samples", Samples(), "--bucket", host.Bucket], TimeSpan.FromMinutes(3));

    [Fact]
    public async Task A_pipeline_with_its_own_transforms_is_converted_checked_registered_and_served_with_mlnets_answers()
    {
        var ml = new MLContext(3);
        var data = Penguins(ml);
        var pipeline = ml.Transforms.ReplaceMissingValues([new("Beak Length (mm)"), new("Beak Depth (mm)"), new("Flipper Length (mm)"), new("Body Mass (g)")])
            .Append(ml.Transforms.Categorical.OneHotEncoding([new("IslandHot", "Island"), new("SexHot", "Sex")]))
            .Append(ml.Transforms.Concatenate("Features", "IslandHot", "SexHot", "Beak Length (mm)", "Beak Depth (mm)", "Flipper Length (mm)", "Body Mass (g)"))
            .Append(ml.Transforms.NormalizeMinMax("Features"))
            .Append(ml.Transforms.Conversion.MapValueToKey("Label", "Species"))
            .Append(ml.MulticlassClassification.Trainers.SdcaMaximumEntropy())
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
        var model = pipeline.Fit(data);

        var import = await ImportAsync("own-penguins", Save(ml, model, data, "model.zip"));

        Assert.True(import.ExitCode == 0, import.Output + import.Error);
        Assert.Contains("own-penguins: registered", import.Output, StringComparison.Ordinal);
        Assert.Contains("largest difference", import.Error, StringComparison.Ordinal);

        // Served from JSON records by the host, with ML.NET's own label and probability for each.
        var engine = ml.Model.CreatePredictionEngine<PenguinInput, PenguinOutput>(model);
        PenguinInput[] penguins =
        [
            new() { Island = "Torgersen", BeakLength = 39.1f, BeakDepth = 18.7f, Flipper = 181, Mass = 3750, Sex = "MALE" },
            new() { Island = "Biscoe", BeakLength = 46.1f, BeakDepth = 13.2f, Flipper = 211, Mass = 4500, Sex = "FEMALE" },
            new() { Island = "Dream", BeakLength = 49.5f, BeakDepth = 19.0f, Flipper = 200, Mass = 3800, Sex = "MALE" },
        ];
        var records = JsonSerializer.Serialize(new { records = penguins.Select(p => new Dictionary<string, object> { ["Island"] = p.Island, ["Beak Length (mm)"] = p.BeakLength, ["Beak Depth (mm)"] = p.BeakDepth, ["Flipper Length (mm)"] = p.Flipper, ["Body Mass (g)"] = p.Mass, ["Sex"] = p.Sex }) });
        using var response = await host.Client.PostAsync("/api/predict/own-penguins", new StringContent(records));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        var served = JsonDocument.Parse(text).RootElement.GetProperty("predictions").EnumerateArray().ToArray();
        for (var i = 0; i < penguins.Length; i++)
        {
            var expected = engine.Predict(penguins[i]);
            Assert.Equal(expected.PredictedLabel, served[i].GetProperty("label").GetString());
            Assert.Equal(expected.Score.Max(), served[i].GetProperty("probability").GetDouble(), 1e-5);
        }
    }

    [Fact]
    public async Task Dropped_into_the_bucket_the_model_is_converted_by_a_trainer_job_and_served()
    {
        var ml = new MLContext(4);
        var data = Penguins(ml);
        var pipeline = ml.Transforms.ReplaceMissingValues([new("Beak Length (mm)"), new("Flipper Length (mm)")])
            .Append(ml.Transforms.Concatenate("Features", "Beak Length (mm)", "Flipper Length (mm)"))
            .Append(ml.Transforms.NormalizeMeanVariance("Features"))
            .Append(ml.Transforms.Conversion.MapValueToKey("Label", "Species"))
            .Append(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy());
        var zip = Save(ml, pipeline.Fit(data), data, "dropped.zip");
        var imports = Path.Combine(host.Bucket, "imports", "dropped-penguins");
        Directory.CreateDirectory(imports);
        File.Copy(zip, Path.Combine(imports, "mine.zip")); // no sample rows: the Trainer draws them from the input schema
        await File.WriteAllTextAsync(Path.Combine(imports, "mine.json"), JsonSerializer.Serialize(new { task = "multiclass", columns = new[] { "Beak Length (mm)", "Flipper Length (mm)" } }));

        var job = await Eventually.Async(async () =>
        {
            using var response = await host.Client.GetAsync("/api/jobs/dropped-penguins");
            return response.StatusCode == HttpStatusCode.OK
                ? JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.EnumerateArray().Select(j => (JsonElement?)j.Clone())
                    .FirstOrDefault(j => j!.Value.GetProperty("state").GetString() is "succeeded" or "not promoted" or "failed" or "rejected")
                : null;
        }, "the conversion job", TimeSpan.FromMinutes(3));

        Assert.True(job!.Value.GetProperty("state").GetString() == "succeeded", job.Value.ToString());
        using var predict = await host.Client.PostAsync("/api/predict/dropped-penguins",
            new StringContent("""{"records": [{"Beak Length (mm)": 50.5, "Flipper Length (mm)": 225}, {"Beak Length (mm)": 38, "Flipper Length (mm)": 185}]}"""));
        var text = await predict.Content.ReadAsStringAsync();
        Assert.True(predict.StatusCode == HttpStatusCode.OK, text);
        Assert.Equal(["Gentoo", "Adelie"], JsonDocument.Parse(text).RootElement.GetProperty("predictions").EnumerateArray().Select(p => p.GetProperty("label").GetString()));
    }

    [Fact]
    public async Task A_pipeline_with_a_transform_that_has_no_onnx_export_is_refused_by_name_and_nothing_is_registered()
    {
        var ml = new MLContext(3);
        var data = Penguins(ml);
        var pipeline = ml.Transforms.Text.FeaturizeText("IslandText", "Island")
            .Append(ml.Transforms.Concatenate("Features", "IslandText", "Beak Length (mm)"))
            .Append(ml.Transforms.Conversion.MapValueToKey("Label", "Species"))
            .Append(ml.MulticlassClassification.Trainers.SdcaMaximumEntropy());

        var import = await ImportAsync("text-penguins", Save(ml, pipeline.Fit(data), data, "text.zip"));

        Assert.True(import.ExitCode == 1, import.Output + import.Error);
        Assert.Contains("text-penguins: rejected: the pipeline cannot be converted to ONNX: its transform 'TextFeaturizingEstimator.Transformer' has no ONNX export", import.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(host.Bucket, "models", "text-penguins")));
    }

    private sealed class PenguinInput
    {
        public string Species { get; set; } = "";

        public string Island { get; set; } = "";

        [ColumnName("Beak Length (mm)")]
        public float BeakLength { get; set; }

        [ColumnName("Beak Depth (mm)")]
        public float BeakDepth { get; set; }

        [ColumnName("Flipper Length (mm)")]
        public float Flipper { get; set; }

        [ColumnName("Body Mass (g)")]
        public float Mass { get; set; }

        public string Sex { get; set; } = "";
    }

    private sealed class PenguinOutput
    {
        public string PredictedLabel { get; set; } = "";

        public float[] Score { get; set; } = [];
    }
}
