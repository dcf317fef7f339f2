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

    public async Task<StoredObject?> ReadAsync(string key, CancellationToken cancellationToken)
    {
        var uri = new Uri(_endpoint, $"storage/v1/b/{Escape(Bucket)}/o/{Escape(ObjectKeys.Check(key))}?alt=media");
        using var response = await SendAsync("read", key, () => new HttpRequestMessage(HttpMethod.Get, uri), cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        await EnsureSuccessAsync(response, "read", key).ConfigureAwait(false);
        var generation = response.Headers.TryGetValues("x-goog-generation", out var values) ? values.First()
            : throw new InvalidDataException($"GCS sent '{key}' without its generation (x-goog-generation).");
        return new StoredObject(key, await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false), generation);
    }

    public async Task<string?> WriteAsync(string key, ReadOnlyMemory<byte> content, string contentType, WriteCondition condition, CancellationToken cancellationToken)
    {
        var query = $"upload/storage/v1/b/{Escape(Bucket)}/o?uploadType=media&name={Escape(ObjectKeys.Check(key))}";
        query += condition.CreateOnly ? "&ifGenerationMatch=0" : condition.IfMatch is { } generation ? $"&ifGenerationMatch={Escape(generation)}" : "";
        var bytes = content.ToArray();
        using var response = await SendAsync("write", key, () =>
        {
            var body = new ByteArrayContent(bytes);
            body.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
            return new HttpRequestMessage(HttpMethod.Post, new Uri(_endpoint, query)) { Content = body };
        }, cancellationToken).ConfigureAwait(false);
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
    private async Task<HttpResponseMessage> SendAsync(string operation, string key, Func<HttpRequestMessage> create, CancellationToken cancellationToken)
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
                response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, deadline.Token).ConfigureAwait(false);
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
