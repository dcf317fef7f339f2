using MlFunctions.Core.Contract;
using MlFunctions.Core.Models.Store;
using MlFunctions.Core.Storage;
using MlFunctions.Core.Tabular;

namespace MlFunctions.Core.Uploads;

/// <summary>
/// The on-upload function: an object-created event in, routed by key prefix (see <see cref="BucketLayout"/>).
/// Every route is idempotent, because every cloud delivers events at least once. Bad objects become
/// status documents, never exceptions; an exception means the store itself failed, and the platform
/// should retry.
/// </summary>
public sealed class OnUploadFunction
{
    public const string Name = "on-upload";

    /// <summary>The prefixes on-upload is triggered by; deployment files are checked against them.</summary>
    public static readonly string[] Prefixes = [BucketLayout.IncomingImages, BucketLayout.Training, BucketLayout.Batch, BucketLayout.Imports, Monitoring.TrafficCapture.Prefix];

    private readonly FunctionLimits _limits;
    private readonly ImageUploads _images;
    private readonly TrainingUploads _training;
    private readonly BatchUploads _batch;
    private readonly ModelImports _imports;
    private readonly Func<IObjectStore, DriftJobs> _drift;

    /// <param name="progress">Where long work (a large batch) reports how far it has got.</param>
    public OnUploadFunction(FunctionLimits limits, ModelCache models, IReadOnlyList<ImageVariant> variants, TimeProvider? clock = null, Action<string>? progress = null)
    {
        clock ??= TimeProvider.System;
        _limits = limits;
        _images = new ImageUploads(limits, variants, clock);
        _training = new TrainingUploads(limits, clock);
        _batch = new BatchUploads(limits, models, clock, progress);
        _imports = new ModelImports(limits, models, clock);
        var time = clock;
        _drift = store => new DriftJobs(limits, store, time);
    }

    public Task<UploadOutcome> HandleAsync(ObjectCreated upload, IObjectStore store, CancellationToken cancellationToken)
    {
        if (ObjectKeys.Problem(upload.Key) is { } problem)
        {
            return Task.FromResult(UploadOutcome.Ignored(upload.Key, problem));
        }
        if (upload.Size > _limits.MaxObjectBytes)
        {
            // Refused on the event's word, before a byte is read: a huge upload must not fill the memory.
            return Task.FromResult(new UploadOutcome(upload.Key, "refused", UploadResults.Rejected,
                $"{upload.Size:N0} bytes is over the limit of {_limits.MaxObjectBytes:N0} (MLF_MAX_OBJECT_BYTES); not read", []));
        }
        return upload.Key.Split('/') switch
        {
            ["incoming", "images", .. var path] => _images.HandleAsync(store, upload.Key, string.Join('/', path), cancellationToken),
            ["training", var model, var file] when (TableFiles.FormatOf(file) is not null || IsZip(file)) && IsModel(model) => _training.HandleAsync(store, upload, model, TableFiles.FormatOf(file), cancellationToken),
            ["batch", var model, var file] when TableFiles.FormatOf(file) is { } format && IsModel(model) => _batch.HandleAsync(store, upload.Key, model, file, format, cancellationToken),
            ["imports", var model, var file] when IsImportManifest(file) && IsModel(model) => _imports.HandleAsync(store, upload.Key, model, file[..^".json".Length], cancellationToken),
            ["capture", var model, _, var file] when file.EndsWith(".jsonl", StringComparison.Ordinal) && IsModel(model) => _drift(store).OnCaptureAsync(upload.Key, model, cancellationToken),
            _ => Task.FromResult(UploadOutcome.Ignored(upload.Key, $"not under incoming/images/, training/<model>/ (as {TableFiles.Extensions}, or a .zip of label folders) or batch/<model>/ as {TableFiles.Extensions}, imports/<model>/*.json, or capture/<model>/<day>/*.jsonl")),
        };
    }

    private static bool IsModel(string model) => ModelNames.IsValid(model);

    /// <summary>A zip of label folders, which trains an image classifier.</summary>
    private static bool IsZip(string file) => file.Length > 4 && file.EndsWith(".zip", StringComparison.OrdinalIgnoreCase);

    /// <summary>An import's manifest: its graphs (.onnx) are uploaded before it and read when it arrives.</summary>
    private static bool IsImportManifest(string file) => file.EndsWith(".json", StringComparison.Ordinal) && ModelNames.IsValid(file[..^".json".Length]);
}
