using MlFunctions.Core.Storage;

namespace MlFunctions.Testing.Servers;

/// <summary>What a bucket needs before penguins.csv can be dropped under training/penguins/: the sample model's spec.</summary>
public static class SampleBucket
{
    public static async Task WritePenguinSpecAsync(IObjectStore store) =>
        await store.WriteAsync(BucketLayout.ModelSpec("penguins"), await File.ReadAllBytesAsync(Path.Combine(RepoPaths.Root, "samples", "penguins.model.json")),
            ObjectStoreJson.ContentType, WriteCondition.Always, CancellationToken.None);
}
