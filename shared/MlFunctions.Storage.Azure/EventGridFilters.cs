using MlFunctions.Core.Catalog;

namespace MlFunctions.Storage.Azure;

/// <summary>
/// The Event Grid subscription's subject filters for on-upload (StringBeginsWith on subject): its input
/// prefixes in a container, so that what on-upload writes (processed/, jobs/, predictions/, models/) never
/// starts it again. Both Azure apps print them for the deploy script (event-grid-filters CONTAINER).
/// </summary>
public static class EventGridFilters
{
    public static IEnumerable<string> For(FunctionCatalog catalog, string container) =>
        Triggers(catalog).SelectMany(t => t.Prefixes).Select(prefix => $"/blobServices/default/containers/{container}/blobs/{prefix}");

    /// <summary>The storage triggers the Azure apps serve (retrain runs in the Trainer, which cannot be AOT).</summary>
    public static IEnumerable<StorageTrigger> Triggers(FunctionCatalog catalog) => catalog.Triggers.Where(t => t.RunsIn == "adapters");
}
