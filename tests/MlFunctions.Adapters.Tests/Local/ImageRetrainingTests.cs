using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using MlFunctions.Adapters.Tests.Aws;
using MlFunctions.Testing;

namespace MlFunctions.Adapters.Tests.Local;

/// <summary>
/// Image classifiers retrained from a dropped zip of label folders: drawn shapes on varied backgrounds
/// copied into the real local host's bucket folder, trained by its worker on ResNet18's features,
/// promoted, and served by predict on images, by the host and by the AOT Lambda bootstrap.
/// </summary>
public sealed class ImageRetrainingTests(LocalHostFixture host) : IClassFixture<LocalHostFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task A_zip_of_shapes_trains_a_classifier_that_the_host_and_the_aot_bootstrap_serve()
    {
        var folder = Path.Combine(host.Bucket, "training", "shapes");
        Directory.CreateDirectory(Path.Combine(host.Bucket, "models", "shapes"));
        await File.WriteAllTextAsync(Path.Combine(host.Bucket, "models", "shapes", "spec.json"), """{"task": "image-classification"}""");
        Directory.CreateDirectory(folder);
        var zip = ShapeImages.Zip(perLabel: 20, seed: 1, extra: archive =>
        {
            ShapeImages.Add(archive, "circle/broken.jpg", [0xFF, 0xD8, 0xFF, 0xE0, 0, 16]);   // a JPEG that stops in its header
            ShapeImages.Add(archive, "hexagon/only-one.jpg", ShapeImages.Draw("circle", new Random(5))); // a label with one image
        });
        await File.WriteAllBytesAsync(Path.Combine(folder, "shapes.zip"), zip);

        var job = await Eventually.Async(async () => (await JobsAsync()).Cast<JsonElement?>()
            .FirstOrDefault(j => j!.Value.GetProperty("state").GetString() is "succeeded" or "not promoted" or "failed" or "rejected"), "the job to finish", Patience);
        var text = job!.Value.ToString();
        Assert.True(job.Value.GetProperty("state").GetString() == "succeeded", text);
        var report = job.Value.GetProperty("report").GetString()!;
        Assert.Contains("images: 60 in 3 labels: circle 20, square 20, triangle 20", report, StringComparison.Ordinal);
        Assert.Contains("circle/broken.jpg:", report, StringComparison.Ordinal);
        Assert.Contains("label 'hexagon': 1 image, fewer than 5; left out", report, StringComparison.Ordinal);
        Assert.True(job.Value.GetProperty("challenger").GetProperty("metrics").GetProperty("macroAccuracy").GetDouble() >= 0.9, text);

        // New drawings the model never saw, through the host (JIT) and the AOT bootstrap reading the same bucket.
        var random = new Random(99);
        var tests = ShapeImages.Labels.SelectMany(label => Enumerable.Range(0, 4).Select(_ => (label, image: ShapeImages.Draw(label, random)))).ToArray();
        var hostLabels = new List<string>();
        foreach (var (_, image) in tests)
        {
            hostLabels.Add((await PredictAsync(image)).GetProperty("label").GetString()!);
        }
        Assert.True(tests.Zip(hostLabels).Count(p => p.First.label == p.Second) >= 10, $"host: {string.Join(", ", hostLabels)}");

        await using var emulator = await LambdaRuntimeEmulator.StartAsync();
        await using var bootstrap = await BootstrapProcess.StartAsync(emulator, "predict", new Dictionary<string, string> { ["MLF_STORAGE"] = "folder", ["MLF_BUCKET"] = host.Bucket });
        foreach (var ((_, image), expected) in tests.Zip(hostLabels))
        {
            var aot = await ImagePredictEvent.InvokeAsync(emulator, "shapes", image);
            Assert.Equal(expected, aot.GetProperty("predictions")[0].GetProperty("label").GetString());
        }

        // The same zip again (the same bytes, so the same ETag): no second job.
        await File.WriteAllBytesAsync(Path.Combine(folder, "shapes.zip"), zip);
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Single(await JobsAsync());
    }

    [Fact]
    public async Task A_csv_of_keys_and_labels_trains_from_images_already_in_the_bucket_and_reports_the_missing_ones()
    {
        Directory.CreateDirectory(Path.Combine(host.Bucket, "models", "listed"));
        await File.WriteAllTextAsync(Path.Combine(host.Bucket, "models", "listed", "spec.json"), """{"task": "image-classification"}""");
        var random = new Random(11);
        var rows = new List<string> { "key,label" };
        foreach (var label in ShapeImages.Labels)
        {
            for (var i = 0; i < 12; i++)
            {
                var key = $"photos/{label}s/{i}.jpg";
                Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(host.Bucket, key))!);
                await File.WriteAllBytesAsync(Path.Combine(host.Bucket, key), ShapeImages.Draw(label, random));
                rows.Add($"{key},{label}");
            }
        }
        rows.Add("photos/gone.jpg,circle");
        Directory.CreateDirectory(Path.Combine(host.Bucket, "training", "listed"));
        await File.WriteAllLinesAsync(Path.Combine(host.Bucket, "training", "listed", "list.csv"), rows);

        var job = await Eventually.Async(async () => (await JobsAsync("listed")).Cast<JsonElement?>()
            .FirstOrDefault(j => j!.Value.GetProperty("state").GetString() is "succeeded" or "not promoted" or "failed" or "rejected"), "the job to finish", Patience);

        Assert.True(job!.Value.GetProperty("state").GetString() == "succeeded", job.Value.ToString());
        var report = job.Value.GetProperty("report").GetString()!;
        Assert.Contains("images: 36 in 3 labels", report, StringComparison.Ordinal);
        Assert.Contains("row 37 (photos/gone.jpg): not in the bucket", report, StringComparison.Ordinal);
        using var body = new ByteArrayContent(ShapeImages.Draw("square", new Random(1234)));
        body.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        using var response = await host.Client.PostAsync("/api/predict/listed", body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_spec_asking_for_trees_trains_a_tree_head_that_the_aot_bootstrap_serves_as_the_host_does()
    {
        Directory.CreateDirectory(Path.Combine(host.Bucket, "models", "treed"));
        await File.WriteAllTextAsync(Path.Combine(host.Bucket, "models", "treed", "spec.json"), """{"task": "image-classification", "trainer": "tree", "iterations": 30}""");
        Directory.CreateDirectory(Path.Combine(host.Bucket, "training", "treed"));
        await File.WriteAllBytesAsync(Path.Combine(host.Bucket, "training", "treed", "shapes.zip"), ShapeImages.Zip(perLabel: 20, seed: 3));

        var job = await Eventually.Async(async () => (await JobsAsync("treed")).Cast<JsonElement?>()
            .FirstOrDefault(j => j!.Value.GetProperty("state").GetString() is "succeeded" or "not promoted" or "failed" or "rejected"), "the job to finish", Patience);

        Assert.True(job!.Value.GetProperty("state").GetString() == "succeeded", job.Value.ToString());
        var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(Directory.GetFiles(Path.Combine(host.Bucket, "models", "treed"), "model.json", SearchOption.AllDirectories).Single())).RootElement;
        Assert.True(manifest.GetProperty("head").GetProperty("trees").GetArrayLength() == 3, "one tree ensemble a label");
        var random = new Random(77);
        var images = ShapeImages.Labels.Select(label => ShapeImages.Draw(label, random)).ToArray();
        await using var emulator = await LambdaRuntimeEmulator.StartAsync();
        await using var bootstrap = await BootstrapProcess.StartAsync(emulator, "predict", new Dictionary<string, string> { ["MLF_STORAGE"] = "folder", ["MLF_BUCKET"] = host.Bucket });
        foreach (var image in images)
        {
            var local = await PredictAsync(image, "treed");
            var aot = (await ImagePredictEvent.InvokeAsync(emulator, "treed", image)).GetProperty("predictions")[0];
            Assert.Equal(local.GetProperty("label").GetString(), aot.GetProperty("label").GetString());
            Assert.Equal(local.GetProperty("probability").GetDouble(), aot.GetProperty("probability").GetDouble(), 5);
        }
    }

    private async Task<JsonElement> PredictAsync(byte[] image, string model = "shapes")
    {
        using var body = new ByteArrayContent(image);
        body.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        using var response = await host.Client.PostAsync($"/api/predict/{model}", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement.GetProperty("predictions")[0].Clone();
    }

    private async Task<JsonElement[]> JobsAsync(string model = "shapes")
    {
        using var response = await host.Client.GetAsync($"/api/jobs/{model}");
        return response.StatusCode == HttpStatusCode.OK ? JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.EnumerateArray().Select(e => e.Clone()).ToArray() : [];
    }
}
