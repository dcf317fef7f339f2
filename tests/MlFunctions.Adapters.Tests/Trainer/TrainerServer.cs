using System.Diagnostics;
using MlFunctions.Testing;

namespace MlFunctions.Adapters.Tests.Trainer;

/// <summary>The Trainer (JIT) started as an HTTP retrain function, as a platform starts it.</summary>
public static class TrainerServer
{
    public static Task<HttpProcess> StartAsync(IReadOnlyDictionary<string, string> settings, string portVariable) =>
        HttpProcess.StartAsync(new ProcessStartInfo("dotnet", [typeof(MlFunctions.Trainer.RetrainRunner).Assembly.Location]), portVariable, settings);
}
