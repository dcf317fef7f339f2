using MlFunctions.Core.Contract;
using MlFunctions.Core.Features;
using MlFunctions.Core.Json;
using MlFunctions.Core.Tabular;

namespace MlFunctions.Core.Functions;

/// <summary>POST /api/features: <c>{spec, records}</c> in, <c>{names, vectors}</c> out.</summary>
public sealed class FeaturesFunction(FunctionLimits limits) : IHttpFunction
{
    public Task<FunctionResponse> HandleAsync(FunctionRequest request, CancellationToken cancellationToken)
    {
        var body = JsonBody.Read(request, CoreJsonContext.Web.FeaturesRequest);
        var spec = body.Spec ?? throw ProblemType.InvalidJson.With("The body needs a 'spec': a fitted feature spec.", "spec");
        var vectorizer = new FeatureVectorizer(spec);
        var records = JsonRecords.Read(body.Records, limits);
        var vectors = new float[records.Count][];
        for (var i = 0; i < records.Count; i++)
        {
            vectors[i] = vectorizer.Transform(new JsonRecord(records[i], vectorizer.Columns), i);
        }
        return Task.FromResult(FunctionResponse.Json(new FeaturesResponse(vectorizer.Names, vectors), CoreJsonContext.Web.FeaturesResponse));
    }
}
