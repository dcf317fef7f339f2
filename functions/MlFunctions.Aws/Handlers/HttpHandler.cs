using System.Text.Json;
using MlFunctions.Aws.Events;
using MlFunctions.Core.Catalog;
using MlFunctions.Core.Contract;
using MlFunctions.Lambda;

namespace MlFunctions.Aws.Handlers;

/// <summary>An HTTP catalog function behind API Gateway (HTTP API, payload 2.0) or a Function URL.</summary>
internal sealed class HttpHandler(FunctionPipeline pipeline, FunctionDescriptor function) : ILambdaHandler
{
    public string Name => function.Name;

    public string Accepts => "an API Gateway HTTP API (2.0) or Function URL request";

    public async Task<LambdaResult> HandleAsync(byte[] payload, CancellationToken cancellationToken)
    {
        var request = ApiGatewayTranslation.Parse(payload);
        var response = await pipeline.InvokeAsync(function, request, cancellationToken).ConfigureAwait(false);
        return new LambdaResult(JsonSerializer.SerializeToUtf8Bytes(ApiGatewayTranslation.ToResponse(response), AwsJsonContext.Default.ApiGatewayV2Response), response.Status);
    }
}
