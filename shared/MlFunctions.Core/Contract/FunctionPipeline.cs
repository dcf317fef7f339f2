using MlFunctions.Core.Catalog;

namespace MlFunctions.Core.Contract;

/// <summary>
/// The one path every adapter calls: enforces the body limit, runs the function, and turns every
/// failure into problem+json so that no exception or stack trace reaches a client. Each answer is
/// reported to <c>metrics</c> (function, status, latency, model version) when the host has a sink.
/// </summary>
public sealed class FunctionPipeline(FunctionCatalog catalog, Action<string, Exception>? onFault = null, Monitoring.IFunctionMetrics? metrics = null)
{
    public FunctionCatalog Catalog { get; } = catalog;

    public async Task<FunctionResponse> InvokeAsync(FunctionDescriptor function, FunctionRequest request, CancellationToken cancellationToken)
    {
        if (metrics is null)
        {
            return await AnswerAsync(function, request, cancellationToken).ConfigureAwait(false);
        }
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var response = await AnswerAsync(function, request, cancellationToken).ConfigureAwait(false);
        metrics.Record(function.Name, response.Status, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds,
            response.Headers.GetValueOrDefault(Monitoring.Outcomes.ModelVersionHeader));
        return response;
    }

    private async Task<FunctionResponse> AnswerAsync(FunctionDescriptor function, FunctionRequest request, CancellationToken cancellationToken)
    {
        if (!string.Equals(request.Method, function.Method, StringComparison.OrdinalIgnoreCase))
        {
            return ProblemType.MethodNotAllowed.With($"'{function.Name}' takes {function.Method}, not {request.Method}.").ToResponse();
        }
        if (request.Body.Length > Catalog.Limits.MaxBodyBytes)
        {
            return TooLarge(request.Body.Length).ToResponse();
        }
        // A page of another site may not change the registry through a user's browser (a local host
        // without a key trusts loopback); browsers say where a request comes from, other clients do not.
        if (function.Admin && request.Header("Sec-Fetch-Site") is { } site && !site.Equals("same-origin", StringComparison.OrdinalIgnoreCase) && !site.Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            return ProblemType.Forbidden.With($"'{function.Name}' changes the model registry; a page of another site ({site}) may not call it.").ToResponse();
        }
        try
        {
            var response = await function.Handler.HandleAsync(request, cancellationToken).ConfigureAwait(false);
            // The functions refuse what they can foresee; this catches the rest before a platform fails the answer.
            return response.Body.Length > Catalog.Limits.MaxResponseBytes
                ? ProblemType.ResponseTooLarge.With(
                    $"The answer has {response.Body.Length:N0} bytes; the limit is {Catalog.Limits.MaxResponseBytes:N0} (MLF_MAX_RESPONSE_BYTES). Ask for less: fewer records, a smaller image or a binary output.").ToResponse()
                : response;
        }
        catch (ProblemException problem)
        {
            return problem.ToResponse();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Storage.ObjectStoreException fault)
        {
            // Retried already (StoreRetry); the store's name and key go to the log only.
            onFault?.Invoke(function.Name, fault);
            var problem = ProblemType.StoreUnavailable.With($"'{function.Name}' could not reach its storage after several tries.").ToResponse();
            return new FunctionResponse
            {
                Status = problem.Status, ContentType = problem.ContentType, Body = problem.Body,
                Headers = new Dictionary<string, string> { ["Retry-After"] = "5" },
            };
        }
        catch (Exception fault)
        {
            onFault?.Invoke(function.Name, fault);
            return ProblemType.Internal.With($"'{function.Name}' failed unexpectedly; the details are in the server log.").ToResponse();
        }
    }

    /// <summary>The 413 for a body over the limit, for adapters that can refuse before reading it all.</summary>
    public ProblemException TooLarge(long bodyBytes) =>
        ProblemType.BodyTooLarge.With($"The body has {bodyBytes:N0} bytes or more; the limit is {Catalog.Limits.MaxBodyBytes:N0} (MLF_MAX_BODY_BYTES).");
}
