using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using MlFunctions.Core.Catalog;
using MlFunctions.Core.Contract;

namespace MlFunctions.Hosting;

/// <summary>ASP.NET Core request and response to and from the transport-neutral contract.</summary>
public static class HttpTranslation
{
    /// <summary>Maps every catalog function at its route, and a problem+json 404 for anything else.</summary>
    public static void MapCatalog(this IEndpointRouteBuilder endpoints, FunctionPipeline pipeline)
    {
        foreach (var function in pipeline.Catalog.Functions)
        {
            endpoints.Map(function.Route, (RequestDelegate)(context => InvokeAsync(pipeline, function, context)));
        }
        endpoints.MapFallback((RequestDelegate)(context => Write(
            ProblemType.NotFound.With($"Nothing answers at {context.Request.Path}; GET / lists the functions.").ToResponse(), context)));
    }

    /// <summary>Reads the request (refusing a body over the limit with problem+json), runs the function, writes the response.</summary>
    public static async Task InvokeAsync(FunctionPipeline pipeline, FunctionDescriptor function, HttpContext context)
    {
        var http = context.Request;
        var limit = pipeline.Catalog.Limits.MaxBodyBytes;
        // The limit is the pipeline's (MLF_MAX_BODY_BYTES, refused with problem+json), not the server's 30 MB
        // default, whichever host built the server (the Azure isolated worker's is not ours to configure).
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } server)
        {
            server.MaxRequestBodySize = null;
        }
        if (http.ContentLength > limit)
        {
            await Write(pipeline.TooLarge(http.ContentLength.Value).ToResponse(), context).ConfigureAwait(false);
            return;
        }
        var body = await ReadBodyAsync(http.Body, limit, context.RequestAborted).ConfigureAwait(false);
        if (body is null)
        {
            await Write(pipeline.TooLarge(limit + 1).ToResponse(), context).ConfigureAwait(false);
            return;
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
        await Write(response, context).ConfigureAwait(false);
    }

    /// <summary>Writes a transport-neutral response: status, Content-Type, headers, body.</summary>
    public static async Task Write(FunctionResponse response, HttpContext context)
    {
        var http = context.Response;
        http.StatusCode = response.Status;
        http.ContentType = response.ContentType;
        foreach (var (name, value) in response.Headers)
        {
            http.Headers[name] = value;
        }
        http.ContentLength = response.Body.Length;
        await http.Body.WriteAsync(response.Body, context.RequestAborted).ConfigureAwait(false);
    }

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
}
