using MlFunctions.Core.Storage;

namespace MlFunctions.Composition;

/// <summary>A kind of bucket a host can use: its MLF_STORAGE name and how it is opened from the settings.</summary>
public sealed record StoreKind(string Name, Func<Func<string, string?>, IObjectStore> Open);

/// <summary>
/// Which bucket a host uses: MLF_STORAGE names the kind (the host's first kind when it is not set),
/// MLF_BUCKET names the bucket, or the folder with MLF_STORAGE=folder. A cloud store is opened on
/// first use (<c>lazy</c>), so a function that never touches the bucket (resize) never pays for its client.
/// </summary>
public static class BucketChoice
{
    public const string Folder = "folder";

    public static IObjectStore Open(Func<string, string?> setting, bool lazy, params StoreKind[] kinds)
    {
        var name = setting("MLF_STORAGE");
        if (name == Folder)
        {
            return new LocalFolderStore(setting("MLF_BUCKET") ?? throw new InvalidOperationException("MLF_STORAGE=folder needs MLF_BUCKET, the folder."));
        }
        var kind = string.IsNullOrEmpty(name) && kinds.Length > 0 ? kinds[0] : kinds.FirstOrDefault(k => k.Name == name)
            ?? throw new InvalidOperationException($"MLF_STORAGE '{name}' is not one of: {string.Join(", ", kinds.Select(k => k.Name).Append(Folder))}.");
        return lazy ? new LazyObjectStore(setting("MLF_BUCKET") ?? "", () => kind.Open(setting)) : kind.Open(setting);
    }
}
