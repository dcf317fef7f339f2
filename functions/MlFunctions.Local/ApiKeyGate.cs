using System.Net;
using System.Security.Cryptography;
using System.Text;
using MlFunctions.Core.Contract;
using MlFunctions.Hosting;

namespace MlFunctions.Local;

/// <summary>
/// The local host's optional API key: every request but /healthz carries it as 'X-Api-Key: KEY' or
/// 'Authorization: Bearer KEY', or gets a 401 problem. Loopback needs none; any other address refuses
/// to start without one, so that the host is never open to a network by accident.
/// </summary>
public sealed class ApiKeyGate
{
    private readonly byte[] _key;

    private ApiKeyGate(string key) => _key = Encoding.UTF8.GetBytes(key);

    /// <summary>The gate for <paramref name="key"/>; null on loopback without a key; an error elsewhere without one.</summary>
    public static ApiKeyGate? FromSettings(string? key, IPAddress address)
    {
        if (!string.IsNullOrEmpty(key))
        {
            return key.Length >= 16 ? new ApiKeyGate(key) : throw new ArgumentException("The API key must have at least 16 characters.");
        }
        return IPAddress.IsLoopback(address)
            ? null
            : throw new ArgumentException($"Listening on {address} needs an API key (--api-key or MLF_API_KEY): this host would otherwise be open to the network.");
    }

    public void Register(WebApplication app) => app.Use(async (context, next) =>
    {
        if (context.Request.Path == "/healthz" || Presented(context.Request) is { } given && Matches(given))
        {
            await next(context).ConfigureAwait(false);
            return;
        }
        context.Response.Headers.WWWAuthenticate = "Bearer";
        await HttpTranslation.Write(ProblemType.Unauthorized.With("Send the API key as 'X-Api-Key: KEY' or 'Authorization: Bearer KEY'.").ToResponse(), context).ConfigureAwait(false);
    });

    private static string? Presented(HttpRequest request)
    {
        if (request.Headers["X-Api-Key"].ToString() is { Length: > 0 } header)
        {
            return header;
        }
        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization["Bearer ".Length..].Trim() : null;
    }

    // Compared in constant time, so that the key cannot be guessed a byte at a time from response times.
    private bool Matches(string given) => CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), _key);
}
