using MlFunctions.Core.Contract;
using MlFunctions.Core.Features;
using MlFunctions.Core.Json;
using MlFunctions.Core.Models.Store;
using MlFunctions.Core.Tabular;

namespace MlFunctions.Core.Functions;

/// <summary>
/// POST /api/features: <c>{spec or model, records}</c> in, <c>{names, vectors}</c> out. With a model, its
/// own fitted spec is used: the vectors are exactly what the model scores.
/// </summary>
public sealed class FeaturesFunction(FunctionLimits limits, ModelCache models) : IHttpFunction
{
    public async Task<FunctionResponse> HandleAsync(FunctionRequest request, CancellationToken cancellationToken)
    {
        var body = JsonBody.Read(request, CoreJsonContext.Web.FeaturesRequest);
        if ((body.Spec is null) == (body.Model is null))
        {
            throw ProblemType.InvalidJson.With("Send exactly one of 'spec' (a fitted feature spec) or 'model' (a model name).", "spec");
        }
        var specWidth = body.Spec?.Validate(fitted: true).Width;
        var records = JsonRecords.Read(body.Records, limits);
        var modelVectorizer = body.Model is null ? null : (await models.GetAsync(body.Model, body.Version, cancellationToken).ConfigureAwait(false)).Vectorizer;
        // Checked before a spec's vectorizer (and its names) is built: its width is known from its options.
        FunctionLimits.Budget(records.Count * Math.Max(1, specWidth ?? modelVectorizer!.Width), limits.MaxFeatureValues, "MLF_MAX_FEATURE_VALUES", "records",
            "feature values (records x vector width)");
        var vectorizer = modelVectorizer ?? new FeatureVectorizer(body.Spec!);
        var vectors = new float[records.Count][];
        var row = new JsonRecord(vectorizer.Columns);
        for (var i = 0; i < records.Count; i++)
        {
            row.Record = records[i];
            vectors[i] = vectorizer.Transform(row, i);
        }
        return FunctionResponse.Json(new FeaturesResponse(vectorizer.Names, vectors), CoreJsonContext.Web.FeaturesResponse);
    }
}
