using MlFunctions.Core.Contract;
using MlFunctions.Core.Functions;
using MlFunctions.Core.Jobs;
using MlFunctions.Core.Json;
using MlFunctions.Core.Models.Registry;
using MlFunctions.Core.Models.Store;
using MlFunctions.Core.Monitoring;
using MlFunctions.Core.Storage;
using MlFunctions.Core.Uploads;

namespace MlFunctions.Core.Catalog;

/// <summary>Every function the product serves. Adapters, deployment files and the README are checked against it.</summary>
public sealed class FunctionCatalog
{
    private FunctionCatalog(FunctionLimits limits, IReadOnlyList<FunctionDescriptor> functions)
    {
        Limits = limits;
        Functions = functions;
    }

    public FunctionLimits Limits { get; }

    public IReadOnlyList<FunctionDescriptor> Functions { get; }

    /// <summary>The functions that objects created in the bucket start.</summary>
    public IReadOnlyList<StorageTrigger> Triggers { get; } =
    [
        new(OnUploadFunction.Name, OnUploadFunction.Prefixes, null, "adapters",
            "Routes a new object by prefix: images to processed variants, training CSVs to validated jobs, batch CSVs to predictions, capture files to the drift job."),
        new("retrain", [BucketLayout.Jobs], BucketLayout.JobSuffix, "trainer",
            "Runs a training job: trains, scores challenger and champion on the same holdout, promotes only a better model."),
    ];

    /// <summary>Every function, serving models from <paramref name="bucket"/>; a new champion is noticed within <paramref name="recheck"/>.</summary>
    public static FunctionCatalog Create(FunctionLimits limits, IObjectStore bucket, TimeSpan recheck) =>
        Create(limits, new ModelCache(new ObjectModelStore(bucket), recheck), bucket);

    /// <summary>Every function, with predict serving from <paramref name="models"/> and jobs listed from <paramref name="bucket"/>.</summary>
    /// <param name="capture">Where predict's captured records go (the host's one writer); null captures nothing.</param>
    public static FunctionCatalog Create(FunctionLimits limits, ModelCache models, IObjectStore bucket, TrafficCapture? capture = null)
    {
        var registry = new ModelRegistry(new ObjectModelStore(bucket));
        return new(limits, AllFunctions(limits, models, bucket, registry, capture));
    }

    private static FunctionDescriptor[] AllFunctions(FunctionLimits limits, ModelCache models, IObjectStore bucket, ModelRegistry registry, TrafficCapture? capture) =>
    [
        new("resize", "POST", "/api/resize",
            "Image bytes to a resized image: fit contain, cover, fill or pad; jpeg, png or webp; EXIF orientation applied.",
            new ResizeFunction(limits)),
        new("tensor", "POST", "/api/tensor",
            "Image bytes to a float32 model input tensor (NCHW or NHWC, RGB or BGR, scale, mean, std) as bytes or JSON.",
            new TensorFunction(limits)),
        new("features", "POST", "/api/features",
            "JSON records and a fitted feature spec (or a model's) to feature vectors with their names.",
            new FeaturesFunction(limits, models)),
        new("format", "POST", "/api/format",
            "Scores or logits and labels to predictions (sigmoid, softmax, top-k, threshold) as JSON or CSV.",
            new FormatFunction(limits)),
        new("predict", "POST", "/api/predict/{model}",
            "JSON records to the predictions of a model's champion (or ?version=, ?alias=): labels and probabilities, or values; ?explain=true adds why.",
            new PredictFunction(limits, models, capture)),
        new("jobs", "GET", "/api/jobs/{model}",
            "A model's training jobs, newest first: queued, running, succeeded, not promoted, rejected or failed, with metrics and reasons.",
            new JobsFunction(bucket)),
        new("models", "GET", "/api/models",
            "Every model with its task and champion.",
            new ModelsFunction(registry)),
        new("model", "GET", "/api/models/{model}",
            "A model's aliases, versions (newest first, with metrics and lineage) and history of champion changes.",
            new ModelFunction(registry)),
        new("set-alias", "POST", "/api/models/{model}/aliases/{alias}",
            "Admin: points an alias (champion promotes; staging or any name) at a version, by a conditional write.",
            new AliasFunction(registry), Admin: true),
        new("rollback", "POST", "/api/models/{model}/rollback",
            "Admin: makes the previous champion (or a named version) champion again.",
            new RollbackFunction(registry), Admin: true),
        new("review", "POST", "/api/jobs/{model}/{job}/{decision}",
            "Admin: approves (promotes, unless the champion changed meanwhile) or rejects a job awaiting approval.",
            new ReviewFunction(new JobReview(registry)), Admin: true),
        new("drift", "GET", "/api/drift/{model}",
            "Captured traffic against the champion's training data: PSI and KS per column, the drifted ones named; the report is kept under monitoring/.",
            new DriftFunction(new DriftJobs(limits, bucket))),
    ];

    public FunctionDescriptor? Find(string name) =>
        Functions.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The catalog as JSON, for a host's index page.</summary>
    public FunctionResponse Describe() => FunctionResponse.Json(
        new CatalogDocument(Functions.Select(f => new CatalogEntry(f.Name, f.Method, f.Route, f.Summary, f.Admin ? true : null)).ToArray()),
        CoreJsonContext.Web.CatalogDocument);
}
