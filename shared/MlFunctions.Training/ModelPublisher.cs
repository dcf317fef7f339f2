using MlFunctions.Core.Models;
using MlFunctions.Core.Models.Store;
using MlFunctions.Core.Storage;

namespace MlFunctions.Training;

/// <summary>Trains a model and writes it into a bucket as a new version, promoting it when asked or when there is no champion.</summary>
public static class ModelPublisher
{
    public static async Task<(TrainingResult Result, bool Promoted)> TrainAsync(
        string data, ModelSpec spec, string name, IObjectStore bucket, bool promote, Action<string> log, CancellationToken cancellationToken)
    {
        var store = new ObjectModelStore(bucket);
        var result = ModelTrainer.Train(data, spec, name, log);
        var bundle = result.Bundle with { Origin = new Core.Models.Bundle.ModelOrigin(Source: Path.GetFileName(data)) };
        await store.WriteVersionAsync(bundle, result.ModelZip(), cancellationToken, result.Profile).ConfigureAwait(false);
        log($"Wrote {BucketLayout.Version(name, bundle.Version, "")}");
        var champion = await store.ReadChampionWithETagAsync(name, cancellationToken).ConfigureAwait(false);
        if (!promote && champion is not null)
        {
            log($"Not promoted: '{name}' already has champion {champion.Value.Pointer.Version} (pass --promote to replace it)");
            return (result, false);
        }
        var (metric, _) = spec.PromotionMetric();
        var reason = champion is null ? "first model" : "promoted on request";
        var pointer = new ChampionPointer(bundle.Version, metric, bundle.Metrics[metric], DateTimeOffset.UtcNow, reason, By: $"trainer ({Environment.UserName})", Task: bundle.Task);
        var condition = champion is null ? WriteCondition.IfNoneMatch : WriteCondition.Unchanged(champion.Value.ETag);
        if (!await store.TryPromoteAsync(name, pointer, condition, cancellationToken).ConfigureAwait(false))
        {
            log($"Not promoted: the champion of '{name}' changed while this model trained");
            return (result, false);
        }
        log($"Champion of '{name}' is now {bundle.Version} ({reason})");
        return (result, true);
    }
}
