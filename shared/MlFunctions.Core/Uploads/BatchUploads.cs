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
/// batch/&lt;model&gt;/&lt;file&gt;.csv (or .jsonl, .ndjson, .parquet: <see cref="TableFiles"/>) ->
/// predictions/&lt;model&gt;/&lt;file&gt;.jsonl: one line per input row, in input order, scored by the champion's
/// bundle. A row that does not fit the spec gets a line with its problem, so line n is always row n. A
/// file that cannot be scored at all (no model, a missing column, broken CSV or Parquet) gets
/// predictions/&lt;model&gt;/&lt;file&gt;.status.json instead.
/// </summary>
internal sealed class BatchUploads(FunctionLimits limits, ModelCache models, TimeProvider clock, Action<string>? progress)
{
    public async Task<UploadOutcome> HandleAsync(IObjectStore store, string key, string model, string file, TableFormat format, CancellationToken cancellationToken)
    {
        await using var source = await store.OpenReadAsync(key, cancellationToken).ConfigureAwait(false);
        if (source is null)
        {
            return UploadOutcome.Ignored(key, "the object is gone");
        }
        var target = BucketLayout.Predictions(model, file);
        var statusKey = BucketLayout.PredictionsStatus(model, file);
        try
        {
            UploadGuards.CheckSize(key, source.Length, limits.MaxObjectBytes, "MLF_MAX_OBJECT_BYTES");
            var scorer = await models.GetAsync(model, null, cancellationToken).ConfigureAwait(false);
            long rows = 0;
            // Row in, line out: the CSV is read from the store's stream and the lines go up as they are made,
            // so memory does not grow with the file. A file that fails part way leaves no predictions object.
            await store.WriteFromAsync(target, "application/x-ndjson", WriteCondition.Always,
                (output, ct) => Task.Run(() => rows = Score(source.Content, format, output, scorer, key, ct), ct), cancellationToken).ConfigureAwait(false);
            return new UploadOutcome(key, "batch", UploadResults.Processed, $"{rows:N0} rows scored by {model} {scorer.Bundle.Version}", [target]);
        }
        catch (ProblemException e)
        {
            var failed = new BatchStatus(key, "failed", clock.GetUtcNow(), e.ToProblem());
            await store.WriteJsonAsync(statusKey, failed, CoreJsonContext.Web.BatchStatus, WriteCondition.Always, cancellationToken).ConfigureAwait(false);
            return new UploadOutcome(key, "batch", UploadResults.Rejected, e.Message, [statusKey]);
        }
    }

    private long Score(Stream source, TableFormat format, Stream output, BundleScorer scorer, string key, CancellationToken cancellationToken)
    {
        var bundle = scorer.Bundle;
        var vectorizer = scorer.Vectorizer;
        var features = new float[vectorizer.Width];
        var scores = new double[scorer.Outputs];
        var options = bundle.Labels is null ? null : FormatOptions.Create(bundle.Labels, Activation.None, null, null);
        using var table = TableFiles.Open(source, format);
        var rows = table.RowsOrProblems(vectorizer.Columns);
        // Lines are gathered into 64 KiB writes: a write into the upload's pipe is a hand-over, too dear per line.
        using var lines = new BufferedStream(output, 1 << 16);
        using var writer = new Utf8JsonWriter(lines, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true });
        long row = 0;
        foreach (var (record, problem) in rows)
        {
            row++;
            if ((row & 0xFFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                progress?.Invoke($"{key}: {row:N0} rows scored");
            }
            PredictionLine line;
            try
            {
                vectorizer.Transform(record ?? throw problem!, features, row);
                scorer.Predict(features, scores);
                line = options is null
                    ? new PredictionLine(row, Value: scores[0])
                    : new PredictionLine(row, Prediction: ScoreFormatter.Format(scores, options, row));
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
        writer.Flush();
        lines.Flush();
        return row;
    }
}

/// <summary>One line of a predictions file: the row number (1-based) and its prediction, value or problem.</summary>
public sealed record PredictionLine(long Row, Prediction? Prediction = null, double? Value = null, Problem? Problem = null);

/// <summary>predictions/&lt;model&gt;/&lt;file&gt;.status.json: why a batch file could not be scored.</summary>
public sealed record BatchStatus(string Source, string State, DateTimeOffset UpdatedAt, Problem Problem);
