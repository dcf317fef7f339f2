using MlFunctions.Core.Contract;
using MlFunctions.Core.Formatting;
using MlFunctions.Core.Imaging;
using MlFunctions.Core.Json;
using MlFunctions.Core.Models;
using MlFunctions.Core.Models.Explanations;
using MlFunctions.Core.Models.Onnx;
using MlFunctions.Core.Models.Store;
using MlFunctions.Core.Monitoring;
using MlFunctions.Core.Tabular;

namespace MlFunctions.Core.Functions;

/// <summary>
/// POST /api/predict/{model}[?version= or ?alias=][&amp;explain=true]: records in; the champion's (or the pinned
/// version's) predictions out, through the format step: label, probability and top-k, or a value for
/// regression; asked to, a bundle also explains each record (per-column contributions).
/// An image in (Content-Type image/*), for an ONNX image model: its top-k labels, its embedding, or
/// its boxes (in the image's pixels). Records to an ONNX records model go through its feature spec.
/// </summary>
/// <param name="capture">Where captured records go, when the model's spec asks for capture; null where the host captures nothing.</param>
public sealed class PredictFunction(FunctionLimits limits, ModelCache models, TrafficCapture? capture = null) : IHttpFunction
{
    public async Task<FunctionResponse> HandleAsync(FunctionRequest request, CancellationToken cancellationToken)
    {
        var parameters = new Parameters(request.Query);
        var model = request.RouteValues.GetValueOrDefault("model") ?? throw ProblemType.ModelNotFound.With("Name the model: POST /api/predict/{model}.", "model");
        if (IsImage(request))
        {
            parameters.RejectUnknown("version", "alias", "topK", "threshold");
            return await PredictImageAsync(request, model, parameters, cancellationToken).ConfigureAwait(false);
        }
        parameters.RejectUnknown("version", "alias", "explain");
        var served = await ServedAsync(model, parameters, cancellationToken).ConfigureAwait(false);
        var body = JsonBody.Read(request, CoreJsonContext.Web.PredictRequest);
        var records = JsonRecords.Read(body.Records, limits);
        var explain = parameters.Bool("explain") ?? body.Explain ?? false;
        if (served is OnnxModel onnx)
        {
            if (explain)
            {
                throw ProblemType.InvalidParameter.With($"Explanations are for models trained here (bundles); '{onnx.Name}' is an ONNX graph.", "explain");
            }
            var (onnxPredictions, onnxValues) = onnx.Predict(records, body.TopK, body.Threshold, limits);
            return Versioned(FunctionResponse.Json(new PredictResponse(onnx.Name, onnx.Version, onnx.Task, onnxPredictions, onnxValues), CoreJsonContext.Web.PredictResponse), onnx.Version);
        }
        var scorer = (BundleScorer)served;
        var bundle = scorer.Bundle;
        var vectorizer = scorer.Vectorizer;
        var features = new float[vectorizer.Width];
        var output = new double[scorer.Outputs];
        var options = bundle.Labels is null ? null : FormatOptions.Create(bundle.Labels, Activation.None, body.TopK, body.Threshold);
        var predictions = options is null ? null : new Prediction[records.Count];
        var values = options is null ? new double[records.Count] : null;
        if (explain)
        {
            // Each record's explanation holds a value per column (and works through every feature): no small request may ask for millions.
            FunctionLimits.Budget((long)records.Count * Math.Max(vectorizer.Width, vectorizer.Columns.Count), limits.MaxFeatureValues, "MLF_MAX_FEATURE_VALUES", "explain", "explanation values");
            // Trees cost more a row than their width (TreeSHAP walks every leaf's path): steps, at 64 a feature value.
            FunctionLimits.Budget((long)records.Count * scorer.Explainer.Cost, limits.MaxFeatureValues * 64, "MLF_MAX_FEATURE_VALUES", "explain", "explanation steps (records x leaves x depth²)");
        }
        var explanations = explain ? new Explanation[records.Count] : null;
        var captureRate = capture is null ? 0 : (await models.GetSpecAsync(model, cancellationToken).ConfigureAwait(false))?.Capture?.Rate ?? 0;
        var now = DateTimeOffset.UtcNow;
        var row = new JsonRecord(vectorizer.Columns);
        for (var i = 0; i < records.Count; i++)
        {
            row.Record = records[i];
            vectorizer.Transform(row, features, i);
            scorer.Predict(features, output);
            if (predictions is not null)
            {
                // Binary models give the positive class's probability: one score column with [negative, positive] labels.
                predictions[i] = ScoreFormatter.Format(output, options!, i);
            }
            else
            {
                values![i] = output[0];
            }
            if (explanations is not null)
            {
                explanations[i] = scorer.Explain(features, output);
            }
            if (captureRate > 0 && (captureRate >= 1 || Random.Shared.NextDouble() < captureRate))
            {
                capture!.Offer(bundle.Name, now, CaptureLines.Write(now, bundle.Version, records[i], vectorizer.Columns, predictions?[i].Label, values?[i]));
            }
        }
        return Versioned(FunctionResponse.Json(new PredictResponse(bundle.Name, bundle.Version, bundle.Task, predictions, values, Explanations: explanations), CoreJsonContext.Web.PredictResponse), bundle.Version);
    }

    /// <summary>The answer with the version that gave it in a header, for metrics and for clients.</summary>
    private static FunctionResponse Versioned(FunctionResponse response, string version) =>
        new() { Status = response.Status, ContentType = response.ContentType, Body = response.Body, Headers = new Dictionary<string, string> { [Outcomes.ModelVersionHeader] = version } };

    /// <summary>The version asked for: pinned by ?version=, named by ?alias= (not both), or the champion.</summary>
    private async Task<ServedModel> ServedAsync(string model, Parameters parameters, CancellationToken cancellationToken)
    {
        var (version, alias) = (parameters.Text("version"), parameters.Text("alias"));
        if (version is not null && alias is not null)
        {
            throw Parameters.Invalid("alias", "give ?version= or ?alias=, not both.");
        }
        return alias is null
            ? await models.GetModelAsync(model, version, cancellationToken).ConfigureAwait(false)
            : await models.GetAliasAsync(model, alias, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>An image body: declared as image/* (or a form, curl -F), or undeclared (or octet-stream) and signed as one.</summary>
    private static bool IsImage(FunctionRequest request) => request.Header("Content-Type") is { } type
        ? type.StartsWith("image/", StringComparison.OrdinalIgnoreCase) || MultipartForm.Is(request)
            || (type.StartsWith("application/octet-stream", StringComparison.OrdinalIgnoreCase) && ImageSignature.Detect(request.Body.Span) is not null)
        : ImageSignature.Detect(request.Body.Span) is not null;

    private async Task<FunctionResponse> PredictImageAsync(FunctionRequest request, string model, Parameters parameters, CancellationToken cancellationToken)
    {
        var served = await ServedAsync(model, parameters, cancellationToken).ConfigureAwait(false);
        if (served is not OnnxModel onnx)
        {
            throw ProblemType.UnsupportedMediaType.With($"Model '{model}' scores JSON records (Content-Type application/json), not images.", "model");
        }
        var answer = onnx.Predict(MultipartForm.SingleImage(request), parameters.Int("topK", 1, int.MaxValue), parameters.Float("threshold"), limits);
        return Versioned(FunctionResponse.Json(
            new PredictResponse(onnx.Name, onnx.Version, onnx.Task, answer.Prediction is null ? null : [answer.Prediction], Embedding: answer.Embedding, Detections: answer.Detections),
            CoreJsonContext.Web.PredictResponse), onnx.Version);
    }
}
