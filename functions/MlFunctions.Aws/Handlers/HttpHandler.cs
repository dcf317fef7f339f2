using System.Buffers.Text;
using System.Text.Json;
using MlFunctions.Aws.Events;
using MlFunctions.Core.Catalog;
using MlFunctions.Core.Contract;
using MlFunctions.Lambda;

namespace MlFunctions.Aws.Handlers;

/// <summary>An HTTP catalog function behind API Gateway (HTTP API, payload 2.0) or a Function URL.</summary>
internal sealed class HttpHandler(FunctionPipeline pipeline, FunctionDescriptor function) : ILambdaHandler
{
    // Room for the status, headers and flags around the body (the writer grows if a response needs more).
    private const int HeadersAllowance = 2048;

    // Lambda's synchronous response payload limit.
    private const int LambdaPayloadBytes = 6 * 1024 * 1024;

    public string Name => function.Name;

    public string Accepts => "an API Gateway HTTP API (2.0) or Function URL request";

    public async Task<LambdaResult> HandleAsync(byte[] payload, CancellationToken cancellationToken)
    {
        var request = ApiGatewayTranslation.Parse(payload);
        // The registry's writes take IAM callers only (template.yaml puts them behind AWS_IAM whatever the
        // API's default authorizer is): an event without an IAM principal did not come through that route.
        var response = function.Admin && request.Caller is null
            ? ProblemType.Forbidden.With($"{function.Name} changes the model registry: call it signed with IAM (SigV4) by a principal allowed to invoke it.").ToResponse()
            : await pipeline.InvokeAsync(function, request, cancellationToken).ConfigureAwait(false);
        var answer = Answer(response);
        if (answer.Length > LambdaPayloadBytes)
        {
            // Lambda would fail the invocation at the Runtime API; the client gets our problem instead.
            response = ProblemType.ResponseTooLarge.With(
                $"The answer, encoded for Lambda, has {answer.Length:N0} bytes; Lambda carries at most {LambdaPayloadBytes:N0}. Ask for less: fewer records, a smaller image or a binary output.").ToResponse();
            answer = Answer(response);
        }
        return new LambdaResult(answer, response.Status);
    }

    private static ReadOnlyMemory<byte> Answer(FunctionResponse response)
    {
        // Sized for the body's base64 at the outset: grown by doubling, then copied out, a tensor's 800 KB
        // answer was written three times over, and a cold start pays for each fresh page.
        var json = new ResponseBuffer(Base64.GetMaxEncodedToUtf8Length(response.Body.Length) + HeadersAllowance);
        using (var writer = new Utf8JsonWriter(json))
        {
            JsonSerializer.Serialize(writer, ApiGatewayTranslation.ToResponse(response), AwsJsonContext.Default.ApiGatewayV2Response);
        }
        return json.WrittenMemory;
    }
}
