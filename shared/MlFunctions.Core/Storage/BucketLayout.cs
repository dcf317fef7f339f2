using MlFunctions.Core.Models.Store;

namespace MlFunctions.Core.Storage;

/// <summary>
/// Where everything lives in a bucket, the same on every cloud and in the local folder:
/// <code>
/// incoming/images/&lt;name&gt;        -> processed/images/&lt;name&gt;/&lt;variant&gt;.&lt;ext&gt; and status.json
/// training/&lt;model&gt;/&lt;file&gt;.csv   -> jobs/&lt;model&gt;/&lt;job-id&gt;.job.json and &lt;job-id&gt;.status.json
/// jobs/&lt;model&gt;/&lt;job-id&gt;.job.json -> models/&lt;model&gt;/&lt;version&gt;/{bundle.json, model.zip, metrics.json}, champion.json
/// batch/&lt;model&gt;/&lt;file&gt;.csv      -> predictions/&lt;model&gt;/&lt;file&gt;.jsonl (and .status.json when it fails)
/// imports/&lt;model&gt;/&lt;name&gt;.json   -> an ONNX version (&lt;name&gt;.onnx uploaded first), models/&lt;model&gt;/imports/&lt;name&gt;.status.json
/// models/&lt;model&gt;/spec.json        the model spec retraining follows
/// models/&lt;model&gt;/history/&lt;n&gt;.json  each change of champion, numbered; aliases/&lt;alias&gt;.json the user-named pointers
/// </code>
/// </summary>
public static class BucketLayout
{
    public const string IncomingImages = "incoming/images/";
    public const string Training = "training/";
    public const string Jobs = "jobs/";
    public const string Batch = "batch/";
    public const string Imports = "imports/";
    public const string StatusSuffix = ".status.json";

    /// <summary>
    /// A job manifest's suffix: distinct from <see cref="StatusSuffix"/>, so that a trigger filtered on it
    /// (S3's suffix rule, a blob path pattern) fires once per job, never for the status documents beside it.
    /// </summary>
    public const string JobSuffix = ".job.json";

    public static string ProcessedImage(string name, string variant, string extension) => $"processed/images/{name}/{variant}.{extension}";

    public static string ImageStatus(string name) => $"processed/images/{name}/status.json";

    public static string Job(string model, string jobId) => $"{Jobs}{Check(model)}/{jobId}{JobSuffix}";

    public static string JobStatus(string model, string jobId) => $"{Jobs}{Check(model)}/{jobId}{StatusSuffix}";

    public static string Predictions(string model, string file) => $"predictions/{Check(model)}/{Path.GetFileNameWithoutExtension(file)}.jsonl";

    public static string PredictionsStatus(string model, string file) => $"predictions/{Check(model)}/{Path.GetFileNameWithoutExtension(file)}{StatusSuffix}";

    public static string ModelSpec(string model) => $"models/{Check(model)}/spec.json";

    public static string Champion(string model) => $"models/{Check(model)}/champion.json";

    public const string HistoryFolder = "history";
    public const string AliasesFolder = "aliases";

    /// <summary>Folders beside the versions in models/&lt;model&gt;/: no version may take their names.</summary>
    public static readonly string[] ModelFolders = [HistoryFolder, AliasesFolder, "imports"];

    public static string History(string model, long sequence) => $"models/{Check(model)}/{HistoryFolder}/{sequence:D10}.json";

    public static string HistoryPrefix(string model) => $"models/{Check(model)}/{HistoryFolder}/";

    public static string Alias(string model, string alias) => $"models/{Check(model)}/{AliasesFolder}/{alias}.json";

    public static string AliasPrefix(string model) => $"models/{Check(model)}/{AliasesFolder}/";

    public static string Version(string model, string version, string file) =>
        ModelFolders.Contains(version)
            ? throw Contract.Parameters.Invalid("version", $"'{version}' is a folder of the model's, not a version.")
            : $"models/{Check(model)}/{ModelNames.Check(version, "version")}/{file}";

    /// <summary>The model and job id of a job manifest key (not of its status), or null.</summary>
    public static (string Model, string JobId)? ParseJob(string key) =>
        key.Split('/') is ["jobs", var model, var file] && file.EndsWith(JobSuffix, StringComparison.Ordinal) && file.Length > JobSuffix.Length
            ? (model, file[..^JobSuffix.Length])
            : null;

    private static string Check(string model) => ModelNames.Check(model, "model");
}
