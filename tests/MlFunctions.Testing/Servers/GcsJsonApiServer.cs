using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace MlFunctions.Testing.Servers;

/// <summary>
/// A test server for the Cloud Storage JSON API paths the GCS store uses (no GCS emulator installs
/// here: fake-gcs-server is a Go binary, not on npm or in Debian): objects.get with alt=media (the
/// generation in x-goog-generation), objects.insert with uploadType=media and ifGenerationMatch (412
/// when it does not hold; 0 means "does not exist"), objects.list with prefix and page tokens. Objects
/// live in memory per bucket; writes to one key are atomic. <see cref="FailNext"/> injects 503s. It also
/// answers the metadata server's token path, so that the token flow can be tested.
/// </summary>
public sealed class GcsJsonApiServer : IAsyncDisposable
{
    private readonly ConcurrentDictionary<(string Bucket, string Name), (byte[] Content, long Generation, string ContentType)> _objects = new();
    private readonly Lock _write = new();
    private WebApplication _app = null!;
    private long _generation = 1_700_000_000_000_000;
    private int _failures;

    /// <summary>http://127.0.0.1:port, the value of STORAGE_EMULATOR_HOST.</summary>
    public string Endpoint { get; private set; } = "";

    /// <summary>Every request seen, as "METHOD path?query".</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    public int PageSize { get; set; } = 1000;

    /// <summary>The Authorization header of every request that had one.</summary>
    public ConcurrentQueue<string> Authorizations { get; } = new();

    /// <summary>The access token the metadata-server path hands out.</summary>
    public const string Token = "ya29.test-token";

    /// <summary>The next <paramref name="count"/> requests get a 503.</summary>
    public void FailNext(int count) => Interlocked.Exchange(ref _failures, count);

    public static async Task<GcsJsonApiServer> StartAsync()
    {
        var server = new GcsJsonApiServer();
        server._app = LoopbackServer.Build();
        server._app.Use(async (context, next) =>
        {
            server.Requests.Enqueue($"{context.Request.Method} {context.Request.Path}{context.Request.QueryString}");
            if (context.Request.Headers.Authorization.ToString() is { Length: > 0 } authorization)
            {
                server.Authorizations.Enqueue(authorization);
            }
            if (Interlocked.Decrement(ref server._failures) >= 0)
            {
                context.Response.StatusCode = 503;
                await context.Response.WriteAsync("""{"error": {"code": 503, "message": "Backend Error"}}""");
                return;
            }
            await next(context);
        });
        server._app.MapGet("/storage/v1/b/{bucket}/o/{**name}", (Delegate)server.Get);
        server._app.MapPost("/upload/storage/v1/b/{bucket}/o", (Delegate)server.InsertAsync);
        server._app.MapGet("/storage/v1/b/{bucket}/o", (Delegate)server.List);
        // The metadata server's token endpoint, as Cloud Run's answers it (only with Metadata-Flavor: Google).
        server._app.MapGet("/computeMetadata/v1/instance/service-accounts/default/token", (HttpContext context) =>
            context.Request.Headers["Metadata-Flavor"] == "Google"
                ? Results.Json(new Dictionary<string, object> { ["access_token"] = Token, ["expires_in"] = 3599, ["token_type"] = "Bearer" })
                : Results.StatusCode(403));
        server.Endpoint = (await LoopbackServer.StartAsync(server._app)).GetLeftPart(UriPartial.Authority);
        return server;
    }

    private IResult Get(string bucket, string name, HttpContext context)
    {
        if (context.Request.Query["alt"] != "media")
        {
            return Results.BadRequest("only alt=media is served here");
        }
        if (!_objects.TryGetValue((bucket, Uri.UnescapeDataString(name)), out var stored))
        {
            return Error(404, "No such object");
        }
        context.Response.Headers["x-goog-generation"] = stored.Generation.ToString(CultureInfo.InvariantCulture);
        return Results.Bytes(stored.Content, stored.ContentType);
    }

    private async Task<IResult> InsertAsync(string bucket, HttpContext context)
    {
        var query = context.Request.Query;
        if (query["uploadType"] != "media" || string.IsNullOrEmpty(query["name"]))
        {
            return Results.BadRequest("uploadType=media and name are required");
        }
        var name = query["name"].ToString();
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        long? expected = long.TryParse(query["ifGenerationMatch"], NumberStyles.None, CultureInfo.InvariantCulture, out var g) ? g : null;
        long generation;
        lock (_write)
        {
            var current = _objects.TryGetValue((bucket, name), out var stored) ? stored.Generation : 0;
            if (expected is { } match && match != current)
            {
                return Error(412, "Precondition Failed");
            }
            generation = ++_generation;
            _objects[(bucket, name)] = (body.ToArray(), generation, context.Request.ContentType ?? "application/octet-stream");
        }
        return Results.Json(Resource(bucket, name, generation, body.Length));
    }

    private IResult List(string bucket, string? prefix, string? pageToken)
    {
        var names = _objects.Keys.Where(k => k.Bucket == bucket && k.Name.StartsWith(prefix ?? "", StringComparison.Ordinal))
            .Select(k => k.Name).Order(StringComparer.Ordinal).ToList();
        var start = pageToken is null ? 0 : int.Parse(pageToken, CultureInfo.InvariantCulture);
        var page = names.Skip(start).Take(PageSize).Select(n => new Dictionary<string, string> { ["name"] = n }).ToArray();
        var next = start + PageSize < names.Count ? (start + PageSize).ToString(CultureInfo.InvariantCulture) : null;
        return Results.Json(next is null ? new Dictionary<string, object> { ["items"] = page } : new Dictionary<string, object> { ["items"] = page, ["nextPageToken"] = next });
    }

    private static Dictionary<string, string> Resource(string bucket, string name, long generation, long size) => new()
    {
        ["kind"] = "storage#object", ["bucket"] = bucket, ["name"] = name,
        ["generation"] = generation.ToString(CultureInfo.InvariantCulture), ["size"] = size.ToString(CultureInfo.InvariantCulture),
    };

    private static IResult Error(int status, string message) =>
        Results.Json(new { error = new { code = status, message } }, (JsonSerializerOptions?)null, "application/json", status);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
