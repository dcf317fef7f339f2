using MlFunctions.Core.Models;
using MlFunctions.Core.Models.Store;

namespace MlFunctions.Training;

/// <summary>Trains a model and writes it into a model store as a new version, promoting it when asked or when there is no champion.</summary>
public static class ModelPublisher
{
    public static async Task<(TrainingResult Result, bool Promoted)> TrainAsync(
        string csv, ModelSpec spec, string name, LocalModelStore store, bool promote, Action<string> log, CancellationToken cancellationToken)
    {
        var result = ModelTrainer.Train(csv, spec, name, log);
        var bundle = result.Bundle;
        await store.WriteVersionAsync(bundle, result.ModelZip(), cancellationToken).ConfigureAwait(false);
        log($"Wrote {Path.Combine(store.Root, name, bundle.Version)}");
        var champion = await store.ReadChampionAsync(name, cancellationToken).ConfigureAwait(false);
        if (!promote && champion is not null)
        {
            log($"Not promoted: '{name}' already has champion {champion.Version} (pass --promote to replace it)");
            return (result, false);
        }
        var (metric, _) = spec.PromotionMetric();
        var reason = champion is null ? "first model" : "promoted on request";
        await store.PromoteAsync(name, new ChampionPointer(bundle.Version, metric, bundle.Metrics[metric], DateTimeOffset.UtcNow, reason), cancellationToken).ConfigureAwait(false);
        log($"Champion of '{name}' is now {bundle.Version} ({reason})");
        return (result, true);
    }
}
