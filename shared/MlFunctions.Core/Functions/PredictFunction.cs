using MlFunctions.Core.Contract;
using MlFunctions.Core.Formatting;
using MlFunctions.Core.Json;
using MlFunctions.Core.Models.Store;
using MlFunctions.Core.Tabular;

namespace MlFunctions.Core.Functions;

/// <summary>
/// POST /api/predict/{model}[?version=]: records in; the champion's (or the pinned version's)
/// predictions out, through the format step: label, probability and top-k, or a value for regression.
/// </summary>
public sealed class PredictFunction(FunctionLimits limits, ModelCache models) : IHttpFunction
{
    public async Task<FunctionResponse> HandleAsync(FunctionRequest request, CancellationToken cancellationToken)
    {
        var parameters = new Parameters(request.Query);
        parameters.RejectUnknown("version");
        var model = request.RouteValues.GetValueOrDefault("model") ?? throw ProblemType.ModelNotFound.With("Name the model: POST /api/predict/{model}.", "model");
        var scorer = await models.GetAsync(model, parameters.Text("version"), cancellationToken).ConfigureAwait(false);
        var body = JsonBody.Read(request, CoreJsonContext.Web.PredictRequest);
        var records = JsonRecords.Read(body.Records, limits);

        var bundle = scorer.Bundle;
        var vectorizer = scorer.Vectorizer;
        var features = new float[vectorizer.Width];
        var output = new double[scorer.Outputs];
        var options = bundle.Labels is null ? null : FormatOptions.Create(bundle.Labels, Activation.None, body.TopK, body.Threshold);
        var predictions = options is null ? null : new Prediction[records.Count];
        var values = options is null ? new double[records.Count] : null;
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
        }
        return FunctionResponse.Json(new PredictResponse(bundle.Name, bundle.Version, bundle.Task, predictions, values), CoreJsonContext.Web.PredictResponse);
    }
}
