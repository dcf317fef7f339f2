using System.Text;
using System.Text.Json;
using MlFunctions.Core.Contract;
using MlFunctions.Core.Formatting;
using MlFunctions.Core.Json;
using MlFunctions.Core.Models;
using MlFunctions.Core.Models.Store;
using MlFunctions.Core.Storage;
using MlFunctions.Core.Tabular;

namespace MlFunctions.Core.Uploads;

/// <summary>
/// batch/&lt;model&gt;/&lt;file&gt;.csv -> predictions/&lt;model&gt;/&lt;file&gt;.jsonl: one line per input row, in
/// input order, scored by the champion's bundle. A row that does not fit the spec gets a line with its
/// problem, so line n is always row n. A file that cannot be scored at all (no model, a missing column,
/// broken CSV) gets predictions/&lt;model&gt;/&lt;file&gt;.status.json instead.
/// </summary>
internal sealed class BatchUploads(FunctionLimits limits, ModelCache models, TimeProvider clock)
{
    public async Task<UploadOutcome> HandleAsync(IObjectStore store, string key, string model, string file, CancellationToken cancellationToken)
    {
        var stored = await store.ReadAsync(key, cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            return UploadOutcome.Ignored(key, "the object is gone");
        }
        var target = BucketLayout.Predictions(model, file);
        var statusKey = BucketLayout.PredictionsStatus(model, file);
        try
        {
            UploadGuards.CheckSize(stored, limits);
            var scorer = await models.GetAsync(model, null, cancellationToken).ConfigureAwait(false);
            var (lines, rows) = Score(stored.Content, scorer);
            await store.WriteAsync(target, lines, "application/x-ndjson", WriteCondition.Always, cancellationToken).ConfigureAwait(false);
            return new UploadOutcome(key, "batch", UploadResults.Processed, $"{rows:N0} rows scored by {model} {scorer.Bundle.Version}", [target]);
        }
        catch (ProblemException e)
        {
            var failed = new BatchStatus(key, "failed", clock.GetUtcNow(), e.ToProblem());
            await store.WriteJsonAsync(statusKey, failed, CoreJsonContext.Web.BatchStatus, WriteCondition.Always, cancellationToken).ConfigureAwait(false);
            return new UploadOutcome(key, "batch", UploadResults.Rejected, e.Message, [statusKey]);
        }
    }

    private static (byte[] Lines, long Rows) Score(byte[] csv, BundleScorer scorer)
    {
        var bundle = scorer.Bundle;
        var vectorizer = scorer.Vectorizer;
        var features = new float[vectorizer.Width];
        var output = new double[scorer.Outputs];
        var options = bundle.Labels is null ? null : FormatOptions.Create(bundle.Labels, Activation.None, null, null);
        using var table = CsvTable.Open(new StreamReader(new MemoryStream(csv), Encoding.UTF8));
        using var lines = new MemoryStream();
        using var writer = new Utf8JsonWriter(lines, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        long row = 0;
        foreach (var record in table.Rows(vectorizer.Columns))
        {
            row++;
            PredictionLine line;
            try
            {
                vectorizer.Transform(record, features, row);
                scorer.Predict(features, output);
                line = options is null
                    ? new PredictionLine(row, Value: output[0])
                    : new PredictionLine(row, Prediction: ScoreFormatter.Format(output, options, row));
            }
            catch (ProblemException e)
            {
                line = new PredictionLine(row, Problem: e.ToProblem());
            }
            JsonSerializer.Serialize(writer, line, CoreJsonContext.Web.PredictionLine);
            writer.Flush();
            writer.Reset();
            lines.WriteByte((byte)'\n');
        }
        return (lines.ToArray(), row);
    }
}

/// <summary>One line of a predictions file: the row number (1-based) and its prediction, value or problem.</summary>
public sealed record PredictionLine(long Row, Prediction? Prediction = null, double? Value = null, Problem? Problem = null);

/// <summary>predictions/&lt;model&gt;/&lt;file&gt;.status.json: why a batch file could not be scored.</summary>
public sealed record BatchStatus(string Source, string State, DateTimeOffset UpdatedAt, Problem Problem);
