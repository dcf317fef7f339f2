using System.Net.Http.Json;

namespace MlFunctions.Storage.Gcp;

/// <summary>
/// Access tokens from the metadata server (Cloud Run, Cloud Functions, GCE), cached until a minute
/// before they expire.
/// </summary>
public sealed class MetadataTokenSource(HttpClient http, Uri? tokenUrl = null, TimeProvider? clock = null)
{
    public const string TokenPath = "/computeMetadata/v1/instance/service-accounts/default/token";
    private readonly Uri _tokenUrl = tokenUrl ?? new Uri("http://metadata.google.internal" + TokenPath);
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private (string Token, DateTimeOffset Expires)? _cached;

    public async Task<string> GetAsync(CancellationToken cancellationToken)
    {
        if (_cached is { } cached && _clock.GetUtcNow() < cached.Expires)
        {
            return cached.Token;
        }
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_cached is { } again && _clock.GetUtcNow() < again.Expires)
            {
                return again.Token;
            }
            using var request = new HttpRequestMessage(HttpMethod.Get, _tokenUrl);
            request.Headers.Add("Metadata-Flavor", "Google");
            using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
            var token = await response.Content.ReadFromJsonAsync(GcsJsonContext.Default.MetadataToken, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidDataException("The metadata server sent no token.");
            _cached = (token.AccessToken, _clock.GetUtcNow().AddSeconds(Math.Max(0, token.ExpiresIn - 60)));
            return token.AccessToken;
        }
        finally
        {
            _gate.Release();
        }
    }
}
