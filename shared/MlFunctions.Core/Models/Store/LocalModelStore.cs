using System.Text.Json;
using MlFunctions.Core.Json;
using MlFunctions.Core.Models.Bundle;

namespace MlFunctions.Core.Models.Store;

/// <summary>
/// Models in a local folder (the local host's bucket/models). Every write goes to a temporary name
/// first and is renamed into place, so a reader never sees a half-written file or version.
/// </summary>
public sealed class LocalModelStore(string root) : IModelStore
{
    public string Root { get; } = Path.GetFullPath(root);

    public async Task<ChampionPointer?> ReadChampionAsync(string model, CancellationToken cancellationToken)
    {
        var path = Path.Combine(ModelFolder(model), "champion.json");
        if (!File.Exists(path))
        {
            return null;
        }
        var bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        return JsonSerializer.Deserialize(bytes, CoreJsonContext.Web.ChampionPointer);
    }

    public Task<ModelBundle?> ReadBundleAsync(string model, string version, CancellationToken cancellationToken)
    {
        var path = Path.Combine(ModelFolder(model), ModelNames.Check(version, "version"), "bundle.json");
        // A synchronous read: a bundle is small, and async file I/O costs a cold process more than it saves.
        return Task.FromResult(File.Exists(path) ? ModelBundleJson.Read(File.ReadAllBytes(path)) : null);
    }

    /// <summary>Writes a version's files (bundle.json, model.zip, metrics.json) as one folder, renamed into place.</summary>
    public async Task WriteVersionAsync(ModelBundle bundle, byte[] modelZip, CancellationToken cancellationToken)
    {
        var target = Path.Combine(ModelFolder(bundle.Name), ModelNames.Check(bundle.Version, "version"));
        var temporary = target + ".tmp-" + Guid.NewGuid().ToString("N");
        Directory.CreateDirectory(temporary);
        await File.WriteAllBytesAsync(Path.Combine(temporary, "bundle.json"), ModelBundleJson.Write(bundle), cancellationToken).ConfigureAwait(false);
        await File.WriteAllBytesAsync(Path.Combine(temporary, "model.zip"), modelZip, cancellationToken).ConfigureAwait(false);
        await File.WriteAllBytesAsync(Path.Combine(temporary, "metrics.json"),
            JsonSerializer.SerializeToUtf8Bytes(bundle.Metrics, CoreJsonContext.Web.DictionaryStringDouble), cancellationToken).ConfigureAwait(false);
        Directory.Move(temporary, target);
    }

    /// <summary>Points champion.json at a version, replacing the file atomically.</summary>
    public async Task PromoteAsync(string model, ChampionPointer champion, CancellationToken cancellationToken)
    {
        var path = Path.Combine(ModelFolder(model), "champion.json");
        var temporary = path + ".tmp-" + Guid.NewGuid().ToString("N");
        await File.WriteAllBytesAsync(temporary, JsonSerializer.SerializeToUtf8Bytes(champion, CoreJsonContext.Web.ChampionPointer), cancellationToken).ConfigureAwait(false);
        File.Move(temporary, path, overwrite: true);
    }

    private string ModelFolder(string model) => Path.Combine(Root, ModelNames.Check(model, "model"));
}
