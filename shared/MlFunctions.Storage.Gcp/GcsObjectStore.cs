using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using MlFunctions.Core.Storage;

namespace MlFunctions.Storage.Gcp;

/// <summary>
/// A bucket on Google Cloud Storage through its JSON API. The ETag is the object's generation:
/// create-only is ifGenerationMatch=0 and replace-if-unchanged ifGenerationMatch=&lt;generation&gt;, and
/// a 412 means the condition did not hold. 429 and 5xx answers, network failures and tries that time
/// out are retried as <see cref="StoreRetry"/> says (Google's client libraries are not in the mirror,
/// and a handful of JSON API calls do not need them); after the last try an <see cref="ObjectStoreException"/>.
/// </summary>
public sealed class GcsObjectStore(HttpClient http, string bucket, Func<CancellationToken, Task<string?>> token, Uri? endpoint = null, StoreRetry? retry = null) : IObjectStore
{
    private readonly Uri _endpoint = endpoint ?? new Uri("https://storage.googleapis.com/");
    private readonly StoreRetry _retry = retry ?? StoreRetry.Default;

    public string Bucket { get; } = bucket;

    /// <summary>
    /// The bucket in MLF_BUCKET with tokens from the metadata server; STORAGE_EMULATOR_HOST (as Google's
    /// own libraries read it) points it at another server, without tokens.
    /// </summary>
    public static GcsObjectStore FromEnvironment(Func<string, string?> setting, HttpClient http)
    {
        var bucket = setting("MLF_BUCKET") ?? throw new InvalidOperationException("MLF_BUCKET names the GCS bucket; it is not set.");
        if (setting("STORAGE_EMULATOR_HOST") is { Length: > 0 } emulator)
        {
            var uri = new Uri(emulator.Contains("://", StringComparison.Ordinal) ? emulator : "http://" + emulator);
            return new GcsObjectStore(http, bucket, _ => Task.FromResult<string?>(null), new Uri(uri, "/"));
        }
        var tokens = new MetadataTokenSource(http);
        return new GcsObjectStore(http, bucket, async ct => await tokens.GetAsync(ct).ConfigureAwait(false));
    }

    /// <summary>The chunk size of resumable uploads (a multiple of 256 KiB, as GCS requires); content up to it is one media upload.</summary>
    public const int ChunkBytes = 8 * 1024 * 1024;

    public async Task<ObjectReader?> OpenReadAsync(string key, CancellationToken cancellationToken)
    {
        var uri = new Uri(_endpoint, $"storage/v1/b/{Escape(Bucket)}/o/{Escape(ObjectKeys.Check(key))}?alt=media");
        var response = await SendAsync("read", key, () => new HttpRequestMessage(HttpMethod.Get, uri), cancellationToken, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
        try
        {
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                response.Dispose();
                return null;
            }
            await EnsureSuccessAsync(response, "read", key).ConfigureAwait(false);
            var generation = response.Headers.TryGetValues("x-goog-generation", out var values) ? values.First()
                : throw new InvalidDataException($"GCS sent '{key}' without its generation (x-goog-generation).");
            var content = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            return new ObjectReader(key, content, generation, response.Content.Headers.ContentLength, owner: response);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    public async Task<string?> WriteAsync(string key, Stream content, string contentType, WriteCondition condition, CancellationToken cancellationToken)
    {
        var precondition = condition.CreateOnly ? "&ifGenerationMatch=0" : condition.IfMatch is { } generation ? $"&ifGenerationMatch={Escape(generation)}" : "";
        var name = Escape(ObjectKeys.Check(key));
        var (chunk, filled, whole) = await ObjectContent.ReadFirstPartAsync(content, ChunkBytes, cancellationToken).ConfigureAwait(false);
        return whole
            ? await UploadMediaAsync(key, $"upload/storage/v1/b/{Escape(Bucket)}/o?uploadType=media&name={name}{precondition}", chunk.AsMemory(0, filled), contentType, cancellationToken).ConfigureAwait(false)
            : await UploadResumableAsync(key, $"upload/storage/v1/b/{Escape(Bucket)}/o?uploadType=resumable&name={name}{precondition}", content, chunk, filled, contentType, cancellationToken).ConfigureAwait(false);
    }

    private async Task<string?> UploadMediaAsync(string key, string query, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken)
    {
        using var response = await SendAsync("write", key, () =>
        {
            var body = new ReadOnlyMemoryContent(content);
            body.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
            return new HttpRequestMessage(HttpMethod.Post, new Uri(_endpoint, query)) { Content = body };
        }, cancellationToken).ConfigureAwait(false);
        return await WrittenAsync(response, key, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A resumable upload: a session, then chunks of <see cref="ChunkBytes"/> (each retried as a whole), then an
    /// empty request that gives the total and finalises; the object exists only once finalised, and the
    /// precondition is checked then.
    /// </summary>
    private async Task<string?> UploadResumableAsync(string key, string query, Stream content, byte[] chunk, int filled, string contentType, CancellationToken cancellationToken)
    {
        Uri session;
        using (var started = await SendAsync("write", key, () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_endpoint, query)) { Content = new ByteArrayContent([]) };
            request.Headers.Add("X-Upload-Content-Type", contentType);
            return request;
        }, cancellationToken).ConfigureAwait(false))
        {
            if (started.StatusCode == HttpStatusCode.PreconditionFailed)
            {
                return null;
            }
            await EnsureSuccessAsync(started, "write", key).ConfigureAwait(false);
            session = started.Headers.Location ?? throw new InvalidDataException($"GCS started an upload of '{key}' without a session (Location).");
        }
        long offset = 0;
        while (filled > 0)
        {
            var start = offset;
            var length = filled;
            using (var response = await SendAsync("write", key, () => Chunk(session, chunk, length, $"bytes {start}-{start + length - 1}/*"), cancellationToken).ConfigureAwait(false))
            {
                if ((int)response.StatusCode != 308)
                {
                    await EnsureSuccessAsync(response, "write", key).ConfigureAwait(false);
                }
            }
            offset += length;
            filled = await ObjectContent.FillAsync(content, chunk, cancellationToken).ConfigureAwait(false);
        }
        var total = offset;
        using var finished = await SendAsync("write", key, () => Chunk(session, chunk, 0, $"bytes */{total}"), cancellationToken).ConfigureAwait(false);
        return await WrittenAsync(finished, key, cancellationToken).ConfigureAwait(false);
    }

    private static HttpRequestMessage Chunk(Uri session, byte[] chunk, int length, string range)
    {
        var body = new ByteArrayContent(chunk, 0, length);
        body.Headers.TryAddWithoutValidation("Content-Range", range);
        return new HttpRequestMessage(HttpMethod.Put, session) { Content = body };
    }

    /// <summary>The new generation of a finished write, or null when its precondition did not hold.</summary>
    private async Task<string?> WrittenAsync(HttpResponseMessage response, string key, CancellationToken cancellationToken)
    {
        if (response.StatusCode == HttpStatusCode.PreconditionFailed)
        {
            return null;
        }
        await EnsureSuccessAsync(response, "write", key).ConfigureAwait(false);
        var written = await response.Content.ReadFromJsonAsync(GcsJsonContext.Default.GcsObject, cancellationToken).ConfigureAwait(false);
        return written?.Generation ?? throw new InvalidDataException($"GCS wrote '{key}' but sent no generation.");
    }

    public async IAsyncEnumerable<string> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? page = null;
        do
        {
            var uri = new Uri(_endpoint, $"storage/v1/b/{Escape(Bucket)}/o?prefix={Escape(prefix)}&fields=items(name),nextPageToken"
                + (page is null ? "" : $"&pageToken={Escape(page)}"));
            using var response = await SendAsync("list", prefix, () => new HttpRequestMessage(HttpMethod.Get, uri), cancellationToken).ConfigureAwait(false);
            await EnsureSuccessAsync(response, "list", prefix).ConfigureAwait(false);
            var list = await response.Content.ReadFromJsonAsync(GcsJsonContext.Default.GcsObjectList, cancellationToken).ConfigureAwait(false);
            foreach (var item in list?.Items ?? [])
            {
                if (item.Name is not null)
                {
                    yield return item.Name;
                }
            }
            page = list?.NextPageToken;
        }
        while (page is not null);
    }

    /// <summary>Sends until an answer that is not transient, or the last try; a try that outlasts <see cref="StoreRetry.AttemptTimeout"/> is cancelled and counts as failed.</summary>
    private async Task<HttpResponseMessage> SendAsync(string operation, string key, Func<HttpRequestMessage> create, CancellationToken cancellationToken,
        HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var request = create();
            if (await token(cancellationToken).ConfigureAwait(false) is { } bearer)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
            }
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(_retry.AttemptTimeout);
            HttpResponseMessage? response = null;
            try
            {
                response = await http.SendAsync(request, completion, deadline.Token).ConfigureAwait(false);
                if (!StoreRetry.IsTransient(response.StatusCode) || attempt >= _retry.Attempts)
                {
                    return response;
                }
            }
            catch (HttpRequestException e) when (!cancellationToken.IsCancellationRequested)
            {
                if (attempt >= _retry.Attempts)
                {
                    throw ObjectStoreException.After("GCS", operation, key, attempt, e.Message, e);
                }
            }
            catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                if (attempt >= _retry.Attempts)
                {
                    throw ObjectStoreException.After("GCS", operation, key, attempt, $"no answer within {_retry.AttemptTimeout.TotalSeconds:0.###} s", e);
                }
            }
            response?.Dispose();
            await Task.Delay(_retry.Delay(attempt), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task EnsureSuccessAsync(HttpResponseMessage response, string operation, string key)
    {
        if (!response.IsSuccessStatusCode)
        {
            var detail = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            var answer = $"{(int)response.StatusCode} {response.ReasonPhrase}: {detail[..Math.Min(detail.Length, 300)]}";
            throw StoreRetry.IsTransient(response.StatusCode)
                ? ObjectStoreException.After("GCS", operation, key, _retry.Attempts, answer)
                : new ObjectStoreException($"GCS {operation} of '{key}' failed: {answer}");
        }
    }

    private static string Escape(string value) => Uri.EscapeDataString(value);
}
