using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace MlFunctions.Adapters.Tests.Local;

/// <summary>The local host's GET /metrics: Prometheus text (exposition format 0.0.4) that counts what it served.</summary>
public sealed partial class MetricsTests(LocalHostFixture host) : IClassFixture<LocalHostFixture>
{
    [Fact]
    public async Task Metrics_parse_as_prometheus_text_and_count_each_outcome()
    {
        using (await host.Client.PostAsync("/api/format", new StringContent("""{"logits": [[1, 2]]}"""))) { }
        using (await host.Client.PostAsync("/api/format", new StringContent("""{"logits": "no"}"""))) { }
        using (await host.Client.PostAsync("/api/predict/penguins", new StringContent("""{"records": []}"""))) { }

        using var response = await host.Client.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType!.ToString().Replace("\"", "", StringComparison.Ordinal));
        var text = await response.Content.ReadAsStringAsync();

        // Every line is a HELP, a TYPE (declared once, before its samples) or a sample: name, labels, a float.
        var types = new Dictionary<string, string>();
        var samples = new Dictionary<string, double>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (TypeLine().Match(line) is { Success: true } type)
            {
                Assert.True(types.TryAdd(type.Groups[1].Value, type.Groups[2].Value), $"TYPE twice: {line}");
                continue;
            }
            if (line.StartsWith("# HELP ", StringComparison.Ordinal))
            {
                continue;
            }
            var sample = SampleLine().Match(line);
            Assert.True(sample.Success, $"not a sample: {line}");
            var family = Regex.Replace(sample.Groups["name"].Value, "_(bucket|sum|count)$", "");
            Assert.True(types.ContainsKey(family) || types.ContainsKey(sample.Groups["name"].Value), $"no TYPE before {line}");
            samples[sample.Groups["name"].Value + sample.Groups["labels"].Value] = double.Parse(sample.Groups["value"].Value.Replace("+Inf", "Infinity", StringComparison.Ordinal), CultureInfo.InvariantCulture);
        }
        Assert.Equal("counter", types["mlf_requests_total"]);
        Assert.Equal("histogram", types["mlf_request_duration_seconds"]);
        Assert.True(samples["mlf_requests_total{function=\"format\",outcome=\"2xx\"}"] >= 1);
        Assert.True(samples["mlf_requests_total{function=\"format\",outcome=\"4xx\"}"] >= 1);
        Assert.True(samples["mlf_requests_total{function=\"predict\",outcome=\"2xx\"}"] >= 1);
        // A histogram's buckets never fall, and +Inf is its count.
        var buckets = samples.Where(s => s.Key.StartsWith("mlf_request_duration_seconds_bucket{function=\"format\"", StringComparison.Ordinal)).Select(s => s.Value).ToArray();
        Assert.Equal(buckets.Order(), buckets);
        Assert.Equal(samples["mlf_request_duration_seconds_count{function=\"format\"}"], buckets[^1]);
        Assert.True(samples.ContainsKey("mlf_capture_dropped_total"));
    }

    [GeneratedRegex(@"^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$")]
    private static partial Regex TypeLine();

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?<labels>\{(?:[a-zA-Z_][a-zA-Z0-9_]*=""(?:[^""\\\n]|\\.)*"",?)*\})? (?<value>[-+]?(?:\d+(?:\.\d*)?(?:[eE][-+]?\d+)?|\+Inf|-Inf|NaN))$")]
    private static partial Regex SampleLine();
}
