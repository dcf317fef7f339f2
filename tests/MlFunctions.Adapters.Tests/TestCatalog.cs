using MlFunctions.Core.Catalog;
using MlFunctions.Core.Contract;
using MlFunctions.Core.Storage;

namespace MlFunctions.Adapters.Tests;

/// <summary>The catalog with default limits and no models, for tests that check names and routes or run functions without models.</summary>
internal static class TestCatalog
{
    public static FunctionCatalog Instance { get; } =
        FunctionCatalog.Create(FunctionLimits.Default, new LocalFolderStore(Path.Combine(AppContext.BaseDirectory, "no-models")), TimeSpan.FromSeconds(1));
}
