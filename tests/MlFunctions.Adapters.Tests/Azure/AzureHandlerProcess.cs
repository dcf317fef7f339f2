using System.Diagnostics;
using MlFunctions.Testing;

namespace MlFunctions.Adapters.Tests.Azure;

/// <summary>The real AOT custom handler, as the Functions host starts it: on FUNCTIONS_CUSTOMHANDLER_PORT, ready once GET / answers.</summary>
public static class AzureHandlerProcess
{
    public static async Task<HttpProcess> StartAsync(IReadOnlyDictionary<string, string>? settings = null) =>
        await HttpProcess.StartAsync(new ProcessStartInfo(await AotPublisher.PublishAsync("functions", "MlFunctions.Azure")), "FUNCTIONS_CUSTOMHANDLER_PORT", settings);
}
