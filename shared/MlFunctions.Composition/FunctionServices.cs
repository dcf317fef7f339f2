using MlFunctions.Core.Catalog;
using MlFunctions.Core.Contract;
using MlFunctions.Core.Models.Onnx;
using MlFunctions.Core.Models.Store;
using MlFunctions.Core.Monitoring;
using MlFunctions.Core.Storage;
using MlFunctions.Core.Uploads;
using MlFunctions.Onnx;

namespace MlFunctions.Composition;

/// <summary>
/// The one place the functions are wired: settings become limits, the bucket a model cache that can
/// serve every model kind (bundles, and ONNX graphs through ONNX Runtime, loaded only by the first
/// graph), the catalog of HTTP functions and the on-upload function. Every host (the AOT Lambda
/// bootstrap, the Azure handler, the Google binary, the local host, the Trainer's register command)
/// starts here, so adding a model runtime or a function touches this file once.
/// </summary>
public sealed class FunctionServices
{
    private readonly Func<string, string?> _setting;

    private FunctionServices(Func<string, string?> setting, FunctionLimits limits, IObjectStore bucket, TimeSpan modelRefresh)
    {
        _setting = setting;
        Limits = limits;
        Bucket = bucket;
        Graphs = new OnnxGraphRunner();
        Models = new ModelCache(new ObjectModelStore(bucket), modelRefresh, graphs: Graphs);
        // One capture writer an instance, named so that instances never write the same object.
        Capture = new TrafficCapture(bucket, $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}");
        Catalog = FunctionCatalog.Create(limits, Models, bucket, Capture);
        Registration = new OnnxRegistration(limits, Graphs);
    }

    public FunctionLimits Limits { get; }

    public IObjectStore Bucket { get; }

    public ModelCache Models { get; }

    public FunctionCatalog Catalog { get; }

    /// <summary>Predict's data capture (for models whose spec asks for it): hosts dispose it when they stop, which writes what is queued.</summary>
    public TrafficCapture Capture { get; }

    /// <summary>ONNX Runtime, which serves ONNX models (and featurises images for the Trainer).</summary>
    public IGraphRunner Graphs { get; }

    /// <summary>Registers ONNX models as imports do (optimised once, checked, written, promoted by the usual rules).</summary>
    public OnnxRegistration Registration { get; }

    /// <summary>
    /// The services for a platform: <paramref name="platform"/> gives the limits the environment may
    /// lower (MLF_MAX_*), <paramref name="bucket"/> the store; a champion changed in the bucket is
    /// noticed within <paramref name="modelRefresh"/> (10 s when left out).
    /// </summary>
    public static FunctionServices Create(Func<string, string?> setting, FunctionLimits platform, IObjectStore bucket, TimeSpan? modelRefresh = null) =>
        new(setting, FunctionLimits.FromSettings(setting, platform), bucket, modelRefresh ?? TimeSpan.FromSeconds(10));

    /// <summary>The drift job, for a platform's schedule (every model that captures traffic).</summary>
    public DriftJobs CreateDriftJobs() => new(Limits, Bucket);

    /// <summary>The on-upload function with the image variants of MLF_IMAGE_VARIANTS; <paramref name="progress"/> hears long work (a large batch).</summary>
    public OnUploadFunction CreateOnUpload(Action<string>? progress = null) =>
        new(Limits, Models, ImageVariant.Parse(_setting("MLF_IMAGE_VARIANTS"), Limits), progress: progress);
}
