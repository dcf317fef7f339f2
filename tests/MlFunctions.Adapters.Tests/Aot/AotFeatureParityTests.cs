using System.Text;
using System.Text.Json;
using MlFunctions.Core.Contract;
using MlFunctions.Core.Features;
using MlFunctions.Core.Tabular;
using MlFunctions.Testing;

namespace MlFunctions.Adapters.Tests.Aot;

/// <summary>The same penguin records give the same feature vectors, and the same scores the same predictions, under Native AOT.</summary>
public sealed class AotFeatureParityTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("mlf-aot-features-").FullName;

    [Fact]
    public async Task Penguin_records_give_the_same_vectors_under_AOT_as_under_JIT()
    {
        var csv = RepoPaths.Penguins;
        FeatureSpec spec;
        using (var sample = CsvTable.Open(csv))
        {
            spec = SpecProposer.Propose(sample);
        }
        using (var table = CsvTable.Open(csv))
        {
            spec = FeatureFitter.Fit(spec, table.Rows(spec.Columns.Select(c => c.Name).ToArray()));
        }
        // Every penguin as a JSON record, numbers as numbers and missing values as null.
        var records = File.ReadLines(csv).Skip(1).Select(line => line.Split(',')).Select(cells => "{" + string.Join(',', spec.Columns.Select((c, i) =>
            $"{JsonSerializer.Serialize(c.Name)}:{(cells[i].Length == 0 ? "null" : c.Kind == ColumnKind.Numeric ? cells[i] : JsonSerializer.Serialize(cells[i]))}")) + "}");
        var body = $"{{\"spec\":{FeatureSpecJson.Write(spec)},\"records\":[{string.Join(',', records)}]}}";

        await AssertSameAsync("features", body, expectedRows: 344);
    }

    [Fact]
    public async Task Dates_give_the_same_vectors_under_AOT_as_under_JIT()
    {
        var spec = new FeatureSpec(
        [
            new ColumnSpec { Name = "iso", Kind = ColumnKind.DateTime, Fitted = new ColumnStats { Fill = 1.6e9, Mean = 1.65e9, Std = 3e7 } },
            new ColumnSpec { Name = "us", Kind = ColumnKind.DateTime, Format = "mdy", Parts = ["dayOfWeek", "hour"], Fitted = new ColumnStats { Fill = 1.6e9 } },
        ]);
        var records = new[] { "2024-02-29T23:59:59.5+05:30", "1 Mar 2024", "2024/12/31 06:00", "1999-01-01" }
            .Select((iso, i) => $$"""{"iso": "{{iso}}", "us": {{(i == 3 ? "null" : $"\"{i + 1}/{i + 12}/2024 {i}:30\"")}}}""");
        await AssertSameAsync("features", $"{{\"spec\":{FeatureSpecJson.Write(spec)},\"records\":[{string.Join(',', records)}]}}", expectedRows: 4);
    }

    [Fact]
    public async Task Format_gives_the_same_predictions_under_AOT_as_under_JIT() =>
        await AssertSameAsync("format", """{"logits": [[1000, 1000, -1000], [0.1, 2.5, -1.25]], "labels": ["a", "b", "c"], "topK": 2}""", expectedRows: 2);

    private async Task AssertSameAsync(string function, string body, int expectedRows)
    {
        var input = Path.Combine(_work, function + ".json");
        await File.WriteAllTextAsync(input, body);

        var aot = await AotProbeRunner.RunAsync(function, "", input);

        Assert.Equal(200, aot.Status);
        var catalog = TestCatalog.Instance;
        var jit = await new FunctionPipeline(catalog).InvokeAsync(catalog.Find(function)!,
            new FunctionRequest { Method = "POST", Path = "/", Body = Encoding.UTF8.GetBytes(body) }, CancellationToken.None);
        Assert.Equal(200, jit.Status);
        Assert.Equal(Encoding.UTF8.GetString(jit.Body.Span), Encoding.UTF8.GetString(aot.Body));
        var rows = JsonDocument.Parse(aot.Body).RootElement.EnumerateObject().Last().Value.GetArrayLength();
        Assert.Equal(expectedRows, rows);
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);
}
