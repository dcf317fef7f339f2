using System.Globalization;
using System.Text;
using System.Text.Json;
using MlFunctions.Core.Formatting;
using MlFunctions.Core.Tabular;

namespace MlFunctions.Core.Tests.Formatting;

public sealed class FormatFunctionTests
{
    private static async Task<JsonElement> Predictions(string body)
    {
        var response = await FunctionCall.InvokeAsync("format", "", Encoding.UTF8.GetBytes(body));
        Assert.Equal(200, response.Status);
        return JsonDocument.Parse(response.Body).RootElement.GetProperty("predictions");
    }

    [Fact]
    public void Softmax_of_huge_logits_does_not_overflow()
    {
        var probabilities = new double[3];
        Activations.Softmax([1000, 1000, -1000], probabilities);

        Assert.Equal(0.5, probabilities[0], 12);
        Assert.Equal(0.5, probabilities[1], 12);
        Assert.InRange(probabilities[2], 0, 1e-300);
    }

    [Theory]
    [InlineData(-1000, 0)]
    [InlineData(1000, 1)]
    [InlineData(0, 0.5)]
    public void Sigmoid_is_stable_at_the_extremes(double x, double expected) =>
        Assert.Equal(expected, Activations.Sigmoid(x), 12);

    [Fact]
    public async Task Top_k_keeps_column_order_on_ties()
    {
        var row = (await Predictions("""{"logits": [[1, 3, 3, 1, 3]], "labels": ["a", "b", "c", "d", "e"], "topK": 4}"""))[0];

        Assert.Equal(["b", "c", "e", "a"], row.GetProperty("top").EnumerateArray().Select(t => t.GetProperty("label").GetString()));
        Assert.Equal("b", row.GetProperty("label").GetString());
    }

    [Theory]
    [InlineData(0.3, null, "no", 0.7)]
    [InlineData(0.3, 0.25, "yes", 0.3)]
    [InlineData(0.9, null, "yes", 0.9)]
    public async Task One_score_is_a_binary_decision_at_the_threshold(double score, double? threshold, string label, double probability)
    {
        var thresholdJson = threshold is null ? "" : $", \"threshold\": {threshold.Value.ToString(CultureInfo.InvariantCulture)}";
        var row = (await Predictions($$"""{"scores": [[{{score.ToString(CultureInfo.InvariantCulture)}}]], "labels": ["no", "yes"]{{thresholdJson}}}"""))[0];

        Assert.Equal(label, row.GetProperty("label").GetString());
        Assert.Equal(probability, row.GetProperty("probability").GetDouble(), 12);
    }

    [Fact]
    public async Task Sigmoid_over_several_columns_lists_every_label_over_the_threshold()
    {
        var row = (await Predictions("""{"logits": [[2, -2, 0.5]], "labels": ["cat", "dog", "outdoor"], "activation": "sigmoid"}"""))[0];

        Assert.Equal(["cat", "outdoor"], row.GetProperty("labels").EnumerateArray().Select(l => l.GetString()));
    }

    [Fact]
    public async Task A_multiclass_row_below_the_threshold_has_no_label()
    {
        var row = (await Predictions("""{"scores": [[0.4, 0.35, 0.25]], "threshold": 0.5}"""))[0];

        Assert.Equal(JsonValueKind.Null, row.GetProperty("label").ValueKind);
        Assert.Equal("0", row.GetProperty("top")[0].GetProperty("label").GetString());
    }

    [Fact]
    public async Task Csv_output_parses_back_to_the_same_values()
    {
        const string request = """{"logits": [[0.1, 2.5, -1.25], [7, 7, 7]], "labels": ["plain", "with, comma", "with \"quote\""], "topK": 3}""";
        var json = await Predictions(request);
        var response = await FunctionCall.InvokeAsync("format", "", Encoding.UTF8.GetBytes(request.Replace("}", ", \"output\": \"csv\"}", StringComparison.Ordinal)));

        Assert.StartsWith("text/csv", response.ContentType);
        using var table = CsvTable.Open(new StringReader(Encoding.UTF8.GetString(response.Body.Span)));
        string[] columns = ["label", "probability", "top1_label", "top1_probability", "top2_label", "top2_probability", "top3_label", "top3_probability"];
        var rows = table.Rows(columns).Select(r => columns.Select((_, i) => r[i].Text).ToArray()).ToList();
        Assert.Equal(2, rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            var expected = json[i];
            Assert.Equal(expected.GetProperty("label").GetString(), rows[i][0]);
            Assert.Equal(expected.GetProperty("probability").GetDouble(), double.Parse(rows[i][1]!, CultureInfo.InvariantCulture));
            for (var k = 0; k < 3; k++)
            {
                var top = expected.GetProperty("top")[k];
                Assert.Equal(top.GetProperty("label").GetString(), rows[i][2 + (2 * k)]);
                Assert.Equal(top.GetProperty("probability").GetDouble(), double.Parse(rows[i][3 + (2 * k)]!, CultureInfo.InvariantCulture));
            }
        }
    }

    [Theory]
    [InlineData("""{"scores": [[0.5, "NaN"]]}""", "invalid-scores")]
    [InlineData("""{"logits": [[1, "Infinity"]]}""", "invalid-scores")]
    [InlineData("""{"logits": [[1, 1e999]]}""", "invalid-scores")]
    [InlineData("""{"scores": [[0.5, 1.5]]}""", "invalid-scores")]
    [InlineData("""{"scores": [[0.5, 0.5], [1]]}""", "invalid-scores")]
    [InlineData("""{"scores": [[0.5, 0.5]], "logits": [[1, 2]]}""", "invalid-json")]
    [InlineData("""{"scores": [[0.5, 0.5]], "labels": ["a"]}""", "invalid-parameter")]
    [InlineData("""{"scores": [[0.5, 0.5]], "activation": "relu"}""", "invalid-parameter")]
    [InlineData("""{"scores": [[0.5, 0.5]], "topK": 0}""", "invalid-parameter")]
    [InlineData("""{"scores": [[0.5]], "threshold": 2}""", "invalid-parameter")]
    [InlineData("""{"scores": []}""", "too-many-records")]
    public async Task Bad_scores_and_options_are_4xx_that_say_what(string body, string type)
    {
        var problem = FunctionCall.Problem(await FunctionCall.InvokeAsync("format", "", Encoding.UTF8.GetBytes(body)));

        Assert.Equal("urn:mlfunctions:problem:" + type, problem.GetProperty("type").GetString());
        Assert.InRange(problem.GetProperty("status").GetInt32(), 400, 499);
    }
}
