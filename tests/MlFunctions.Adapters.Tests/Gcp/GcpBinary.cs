using System.Diagnostics;
using MlFunctions.Testing;

namespace MlFunctions.Adapters.Tests.Gcp;

/// <summary>The real Native AOT binary on the Functions Framework contract: PORT and FUNCTION_TARGET.</summary>
public static class GcpBinary
{
    public static async Task<HttpProcess> StartAsync(string target, IReadOnlyDictionary<string, string> settings) =>
        await HttpProcess.StartAsync(new ProcessStartInfo(await AotPublisher.PublishAsync("functions", "MlFunctions.Gcp")), "PORT",
            new Dictionary<string, string>(settings) { ["FUNCTION_TARGET"] = target }, probe: "/robots.txt");
}
