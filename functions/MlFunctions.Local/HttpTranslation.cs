using MlFunctions.Core.Catalog;
using MlFunctions.Core.Contract;

namespace MlFunctions.Local;

/// <summary>ASP.NET Core request and response to and from the transport-neutral contract.</summary>
internal static class HttpTranslation
{
    public static async Task<IResult> InvokeAsync(FunctionPipeline pipeline, FunctionDescriptor function, HttpContext context)
    {
        var http = context.Request;
        var limit = pipeline.Catalog.Limits.MaxBodyBytes;
        if (http.ContentLength > limit)
        {
            return Write(pipeline.TooLarge(http.ContentLength.Value).ToResponse());
        }
        var body = await ReadBodyAsync(http.Body, limit, context.RequestAborted).ConfigureAwait(false);
        if (body is null)
        {
            return Write(pipeline.TooLarge(limit + 1).ToResponse());
        }
        var request = new FunctionRequest
        {
            Method = http.Method,
            Path = http.Path.Value ?? "/",
            Query = FunctionRequest.Map(http.Query.Select(q => KeyValuePair.Create(q.Key, q.Value.ToString()))),
            Headers = FunctionRequest.Map(http.Headers.Select(h => KeyValuePair.Create(h.Key, h.Value.ToString()))),
            RouteValues = FunctionRequest.Map(http.RouteValues.Select(r => KeyValuePair.Create(r.Key, r.Value?.ToString() ?? ""))),
            Body = body,
        };
        var response = await pipeline.InvokeAsync(function, request, context.RequestAborted).ConfigureAwait(false);
        return Write(response);
    }

    public static IResult Write(FunctionResponse response) => new FunctionResult(response);

    /// <summary>Reads at most <paramref name="limit"/> bytes; null when the body is longer.</summary>
    private static async Task<byte[]?> ReadBodyAsync(Stream body, long limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private sealed class FunctionResult(FunctionResponse response) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var http = httpContext.Response;
            http.StatusCode = response.Status;
            http.ContentType = response.ContentType;
            foreach (var (name, value) in response.Headers)
            {
                http.Headers[name] = value;
            }
            http.ContentLength = response.Body.Length;
            await http.Body.WriteAsync(response.Body, httpContext.RequestAborted).ConfigureAwait(false);
        }
    }
}
