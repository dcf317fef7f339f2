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
        var width = specWidth is { } known
            ? known
            : (await models.GetAsync(body.Model!, body.Version, cancellationToken).ConfigureAwait(false)).Vectorizer.Width;
        // Checked before the vectorizer (and its names) is built: the spec's width is known from its options.
        FunctionLimits.Budget(records.Count * Math.Max(1, width), limits.MaxFeatureValues, "MLF_MAX_FEATURE_VALUES", "records", "feature values (records x vector width)");
        var vectorizer = body.Spec is not null
            ? new FeatureVectorizer(body.Spec)
            : (await models.GetAsync(body.Model!, body.Version, cancellationToken).ConfigureAwait(false)).Vectorizer;
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
