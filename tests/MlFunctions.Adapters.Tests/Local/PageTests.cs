using System.Text;
using System.Text.Json;
using MlFunctions.Testing;
using MlFunctions.Testing.Servers;

namespace MlFunctions.Adapters.Tests.Local;

/// <summary>
/// The local host's page in a real browser (Debian's Chromium, driven by playwright-core through
/// tests/servers/page-check.mjs): it lists the catalog and the penguin model, resizes a photo uploaded
/// through its form, makes a tensor and a prediction, and draws the drift of captured traffic. The
/// screenshots are kept under artifacts/page/. Chromium is installed by .ci/run; without it the test fails.
/// </summary>
public sealed class PageTests(LocalHostFixture host) : IClassFixture<LocalHostFixture>
{
    private const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task The_page_lists_the_models_resizes_an_upload_and_draws_drift()
    {
        Assert.True(File.Exists(Environment.GetEnvironmentVariable("MLF_CHROMIUM") ?? Chromium), $"the page tests need Chromium at {Chromium} (apt-get install chromium; .ci/run does)");
        await NodePackages.EnsureAsync();
        await CaptureShiftedTrafficAndRunDriftAsync();
        var artifacts = Directory.CreateDirectory(Path.Combine(RepoPaths.Root, "artifacts", "page")).FullName;

        var run = await ProcessRunner.RunAsync("node", [Path.Combine(NodePackages.Folder, "page-check.mjs"), host.Client.BaseAddress!.ToString(), RepoPaths.ExifImage("Landscape_6"), artifacts], TimeSpan.FromMinutes(2));

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        var page = JsonDocument.Parse(run.Output.Trim().Split('\n')[^1]).RootElement;
        Assert.Equal("MlFunctions", page.GetProperty("title").GetString());
        Assert.Equal(TestCatalog.Instance.Functions.Select(f => f.Name), page.GetProperty("functions").EnumerateArray().Select(f => f.GetString()));
        Assert.Contains("penguins", page.GetProperty("models").EnumerateArray().Select(m => m.GetString()));
        Assert.True(page.GetProperty("versions").GetInt32() >= 1);
        Assert.Equal([160, 120], page.GetProperty("resized").EnumerateArray().Select(v => v.GetInt32()));
        Assert.Contains("image/jpeg", page.GetProperty("resizeInfo").GetString());
        Assert.StartsWith("shape 1,3,224,224", page.GetProperty("tensor").GetString());
        Assert.Equal("Gentoo", page.GetProperty("predict").GetProperty("predictions")[0].GetProperty("label").GetString());
        Assert.Equal("linear", page.GetProperty("predict").GetProperty("explanations")[0].GetProperty("method").GetString());
        var bars = page.GetProperty("driftBars").EnumerateArray().ToArray();
        Assert.Equal(6, bars.Length);
        Assert.Equal(["Body Mass (g)"], bars.Where(b => b.GetProperty("drifted").GetBoolean()).Select(b => b.GetProperty("column").GetString()));
        Assert.Empty(page.GetProperty("errors").EnumerateArray());
        Assert.True(new FileInfo(Path.Combine(artifacts, "page.png")).Length > 10_000);
        Assert.True(File.Exists(Path.Combine(artifacts, "resize.png")) && File.Exists(Path.Combine(artifacts, "drift.png")));
    }

    /// <summary>Capture on for the sample model, heavier birds sent to predict, and the drift job run once they are written.</summary>
    private async Task CaptureShiftedTrafficAndRunDriftAsync()
    {
        var spec = Path.Combine(host.Bucket, "models", "penguins", "spec.json");
        await File.WriteAllTextAsync(spec, """{"task": "multiclass", "label": "Species", "capture": {"rate": 1}}""");
        await Task.Delay(TimeSpan.FromSeconds(1.2)); // the host re-reads a spec within a second
        var records = File.ReadLines(RepoPaths.Penguins).Skip(1).Select(l => l.Split(',')).Where(c => c[5].Length > 0 && c[2].Length > 0)
            .Select(c => $$"""{"Island": "{{c[1]}}", "Beak Length (mm)": {{c[2]}}, "Beak Depth (mm)": {{c[3]}}, "Flipper Length (mm)": {{c[4]}}, "Body Mass (g)": {{double.Parse(c[5], System.Globalization.CultureInfo.InvariantCulture) + 1500}}, "Sex": {{(c[6] is "MALE" or "FEMALE" ? $"\"{c[6]}\"" : "null")}}}""");
        using (var sent = await host.Client.PostAsync("/api/predict/penguins", new StringContent($$"""{"records": [{{string.Join(',', records)}}]}""", Encoding.UTF8, "application/json")))
        {
            Assert.True(sent.IsSuccessStatusCode, await sent.Content.ReadAsStringAsync());
        }
        await Eventually.Async(() => Task.FromResult(Directory.Exists(Path.Combine(host.Bucket, "capture", "penguins")) ? "" : null), "captured traffic written", TimeSpan.FromSeconds(20));
        using var drift = await host.Client.GetAsync("/api/drift/penguins");
        Assert.True(drift.IsSuccessStatusCode, await drift.Content.ReadAsStringAsync());
    }
}
