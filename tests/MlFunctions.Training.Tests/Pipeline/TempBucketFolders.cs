using MlFunctions.Core.Storage;

namespace MlFunctions.Training.Tests.Pipeline;

/// <summary>Empty local-folder buckets for one test class, deleted with it.</summary>
internal sealed class TempBucketFolders(string prefix) : IDisposable
{
    private readonly List<string> _folders = [];

    public Task<IObjectStore> NewAsync()
    {
        var folder = Directory.CreateTempSubdirectory(prefix).FullName;
        _folders.Add(folder);
        return Task.FromResult<IObjectStore>(new LocalFolderStore(folder));
    }

    public void Dispose() => _folders.ForEach(f => Directory.Delete(f, recursive: true));
}
