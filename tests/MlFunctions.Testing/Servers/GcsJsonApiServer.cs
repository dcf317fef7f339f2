using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace MlFunctions.Testing.Servers;

/// <summary>
/// A test server for the Cloud Storage JSON API paths the GCS store uses (no GCS emulator installs
/// here: fake-gcs-server is a Go binary, not on npm or in Debian): objects.get with alt=media (the
/// generation in x-goog-generation), objects.insert with uploadType=media or resumable (a session, chunks
/// by PUT with Content-Range, 308 until the total has arrived) and ifGenerationMatch (412 when it does
/// not hold; 0 means "does not exist"), objects.list with prefix and page tokens. Objects
/// live in memory per bucket; writes to one key are atomic. <see cref="FailNext"/> injects 503s. It also
/// answers the metadata server's token path, so that the token flow can be tested.
/// </summary>
public sealed class GcsJsonApiServer : IAsyncDisposable
{
    private readonly ConcurrentDictionary<(string Bucket, string Name), (byte[] Content, long Generation, string ContentType)> _objects = new();
    private readonly Lock _write = new();
    private readonly ConcurrentDictionary<string, UploadSession> _sessions = new();
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
        server._app.MapPut("/upload/storage/v1/b/{bucket}/o", (Delegate)server.ResumeAsync);
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
        if (query["uploadType"] is not ["media"] and not ["resumable"] || string.IsNullOrEmpty(query["name"]))
        {
            return Results.BadRequest("uploadType=media or resumable, and name, are required");
        }
        var name = query["name"].ToString();
        long? expected = long.TryParse(query["ifGenerationMatch"], NumberStyles.None, CultureInfo.InvariantCulture, out var g) ? g : null;
        if (query["uploadType"] == "resumable")
        {
            // A session: chunks arrive by PUT to the Location, and the object exists once the last one has.
            var id = Guid.NewGuid().ToString("N");
            _sessions[id] = new UploadSession(bucket, name, expected, context.Request.Headers["X-Upload-Content-Type"].ToString(), new MemoryStream());
            context.Response.Headers.Location = $"{Endpoint}/upload/storage/v1/b/{Uri.EscapeDataString(bucket)}/o?uploadType=resumable&upload_id={id}";
            return Results.Ok();
        }
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        return Commit(bucket, name, expected, body.ToArray(), context.Request.ContentType);
    }

    /// <summary>A chunk of a resumable upload ("bytes first-last/*"), or its end ("bytes */total" or "bytes first-last/total").</summary>
    private async Task<IResult> ResumeAsync(string bucket, HttpContext context)
    {
        if (!_sessions.TryGetValue(context.Request.Query["upload_id"].ToString(), out var session) || session.Bucket != bucket)
        {
            return Error(404, "No such upload session");
        }
        var range = context.Request.Headers.ContentRange.ToString();
        var (span, total) = range.StartsWith("bytes ", StringComparison.Ordinal) && range[6..].Split('/') is [var s, var t]
            ? (s, t) : throw new InvalidOperationException($"Content-Range '{range}'");
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        lock (session)
        {
            if (span != "*")
            {
                var first = long.Parse(span.Split('-')[0], CultureInfo.InvariantCulture);
                if (first > session.Content.Length)
                {
                    return Error(400, "A chunk starts past the bytes received");
                }
                // A chunk sent again after a lost answer overlaps what arrived: written over, as GCS ignores it.
                session.Content.SetLength(first);
                session.Content.Position = first;
                body.WriteTo(session.Content);
            }
            if (total == "*" || long.Parse(total, CultureInfo.InvariantCulture) != session.Content.Length)
            {
                context.Response.Headers["Range"] = $"bytes=0-{session.Content.Length - 1}";
                return Results.StatusCode(308);
            }
        }
        _sessions.TryRemove(context.Request.Query["upload_id"].ToString(), out _);
        return Commit(bucket, session.Name, session.Expected, session.Content.ToArray(), session.ContentType);
    }

    private IResult Commit(string bucket, string name, long? expected, byte[] content, string? contentType)
    {
        long generation;
        lock (_write)
        {
            var current = _objects.TryGetValue((bucket, name), out var stored) ? stored.Generation : 0;
            if (expected is { } match && match != current)
            {
                return Error(412, "Precondition Failed");
            }
            generation = ++_generation;
            _objects[(bucket, name)] = (content, generation, string.IsNullOrEmpty(contentType) ? "application/octet-stream" : contentType);
        }
        return Results.Json(Resource(bucket, name, generation, content.Length));
    }

    private sealed record UploadSession(string Bucket, string Name, long? Expected, string ContentType, MemoryStream Content);

    /// <summary>Resumable uploads started (a test checks that large objects took this path).</summary>
    public int SessionsStarted => Requests.Count(r => r.StartsWith("POST ", StringComparison.Ordinal) && r.Contains("uploadType=resumable", StringComparison.Ordinal));

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
