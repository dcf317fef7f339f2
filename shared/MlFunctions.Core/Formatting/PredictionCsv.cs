using System.Globalization;
using System.Text;

namespace MlFunctions.Core.Formatting;

/// <summary>Predictions as RFC 4180 CSV with a header; numbers round-trip exactly.</summary>
public static class PredictionCsv
{
    public static string Write(IReadOnlyList<Prediction> predictions, int topK, bool multiLabel)
    {
        var csv = new StringBuilder("row,label,probability");
        for (var k = 1; k <= topK; k++)
        {
            csv.Append(CultureInfo.InvariantCulture, $",top{k}_label,top{k}_probability");
        }
        csv.Append(multiLabel ? ",labels\r\n" : "\r\n");
        for (var row = 0; row < predictions.Count; row++)
        {
            var prediction = predictions[row];
            csv.Append(CultureInfo.InvariantCulture, $"{row},{Field(prediction.Label ?? "")},{Number(prediction.Probability)}");
            for (var k = 0; k < topK; k++)
            {
                var entry = k < prediction.Top.Length ? prediction.Top[k] : null;
                csv.Append(',').Append(Field(entry?.Label ?? "")).Append(',').Append(entry is null ? "" : Number(entry.Probability));
            }
            if (multiLabel)
            {
                csv.Append(',').Append(Field(string.Join(';', prediction.Labels ?? [])));
            }
            csv.Append("\r\n");
        }
        return csv.ToString();
    }

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Quotes a field that holds a comma, a quote or a line break, doubling its quotes.</summary>
    public static string Field(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}
