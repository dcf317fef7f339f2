using MlFunctions.Core.Models;
using MlFunctions.Core.Models.Store;
using MlFunctions.Core.Storage;
using MlFunctions.Training;

namespace MlFunctions.Local;

/// <summary>
/// The sample penguin species classifier: trained into the bucket from the shipped CSV when there is no
/// champion yet, so that predict answers on a fresh clone.
/// </summary>
public static class SampleModel
{
    public const string Name = "penguins";

    public static async Task EnsureAsync(LocalFolderStore bucket, ILogger log, CancellationToken cancellationToken)
    {
        var samples = Path.Combine(AppContext.BaseDirectory, "Samples");
        var specBytes = await File.ReadAllBytesAsync(Path.Combine(samples, "penguins.model.json"), cancellationToken).ConfigureAwait(false);
        // The spec retraining follows, so that a CSV dropped under training/penguins/ retrains the sample model.
        await bucket.WriteAsync(BucketLayout.ModelSpec(Name), specBytes, ObjectStoreJson.ContentType, WriteCondition.IfNoneMatch, cancellationToken).ConfigureAwait(false);
        var store = new ObjectModelStore(bucket);
        if (await store.ReadChampionAsync(Name, cancellationToken).ConfigureAwait(false) is { } champion)
        {
            log.LogInformation("Model '{Model}' is ready: champion {Version}", Name, champion.Version);
            return;
        }
        var spec = ModelSpecJson.Read(specBytes);
        log.LogInformation("Training the sample model '{Model}' into {Folder}", Name, bucket.Root);
        var (result, _) = await ModelPublisher.TrainAsync(Path.Combine(samples, "penguins.csv"), spec, Name, bucket, promote: false,
            line => log.LogInformation("  {Line}", line), cancellationToken).ConfigureAwait(false);
        log.LogInformation("Sample model '{Model}' {Version}: holdout macro accuracy {Accuracy:F4}", Name, result.Bundle.Version, result.Bundle.Metrics["macroAccuracy"]);
    }
}
