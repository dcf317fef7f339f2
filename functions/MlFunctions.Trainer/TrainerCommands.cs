using System.CommandLine;

namespace MlFunctions.Trainer;

/// <summary>
/// The Trainer's command line (System.CommandLine): train, retrain and register, each with --help. A
/// user's mistake is one line on standard error and exit code 2; a job or import that fails is 1.
/// </summary>
internal static class TrainerCommands
{
    public const int UsageError = 2;

    public static async Task<int> InvokeAsync(string[] args)
    {
        var root = new RootCommand("""
            MlFunctions Trainer (ML.NET, JIT): trains models into a bucket folder, runs training jobs, registers ONNX models,
            and keeps the model registry (aliases, rollback, approvals).
            With no arguments under a platform it is the retrain function: under Lambda (AWS_LAMBDA_RUNTIME_API),
            as an Azure custom handler (FUNCTIONS_CUSTOMHANDLER_PORT) or a Cloud Run service (FUNCTION_TARGET=retrain).
            """) { Train(), Retrain(), Register(), ImportMlNet(), ModelsCommand.Create(Bucket) };
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0 || args.Length == 0)
        {
            var command = parsed.CommandResult.Command == root ? "MlFunctions.Trainer" : parsed.CommandResult.Command.Name;
            var why = args.Length > 0 ? (parsed.Errors.FirstOrDefault(e => e.Message.StartsWith("Unrecognized", StringComparison.Ordinal)) ?? parsed.Errors[0]).Message : "give a command: train, retrain, register, import-mlnet or models.";
            await Console.Error.WriteLineAsync($"{command}: {why} (--help lists the options)").ConfigureAwait(false);
            return UsageError;
        }
        return await parsed.InvokeAsync().ConfigureAwait(false);
    }

    private static Option<string> Bucket() => new("--bucket") { Description = "The bucket folder (MLF_BUCKET, else ./bucket).", HelpName = "DIR" };

    private static Command Train()
    {
        var data = new Option<string>("--data") { Description = "The training data: CSV, JSON Lines (.jsonl, .ndjson) or Parquet, by extension.", Required = true, HelpName = "data.csv" };
        var spec = new Option<string>("--spec") { Description = "The model spec: task, label, trainer, feature spec, metric.", Required = true, HelpName = "model.json" };
        var model = new Option<string>("--model") { Description = "The model's name: 1 to 64 letters, digits, '.', '-' or '_'.", Required = true, HelpName = "NAME" };
        var bucket = Bucket();
        var promote = new Option<bool>("--promote") { Description = "Make the new version the champion even if the model has one." };
        var command = new Command("train", "Train a new version into DIR/models/NAME/<version>/ (bundle.json, model.zip, metrics.json), with progress and its metrics; the champion when there is none yet, or with --promote.")
        {
            data, spec, model, bucket, promote,
        };
        command.SetAction((r, _) => TrainCommand.RunAsync(r.GetValue(data)!, r.GetValue(spec)!, r.GetValue(model)!, r.GetValue(bucket), r.GetValue(promote), Console.Out, Console.Error));
        return command;
    }

    private static Command Retrain()
    {
        var manifest = new Argument<string>("job") { Description = "The job manifest's key in the bucket: jobs/MODEL/JOB-ID.job.json." };
        var bucket = Bucket();
        var rerun = new Option<bool>("--rerun") { Description = "Queue a failed (or stale) job again first." };
        var command = new Command("retrain", "Run one training job of the bucket, as the platforms do on its event: train, evaluate against the champion, promote only a better model.")
        {
            manifest, bucket, rerun,
        };
        command.SetAction((r, _) => RetrainCommand.RunAsync(r.GetValue(manifest)!, r.GetValue(bucket), r.GetValue(rerun), Console.Out, Console.Error));
        return command;
    }

    private static Command ImportMlNet()
    {
        var model = new Option<string>("--model") { Description = "The model's name.", Required = true, HelpName = "NAME" };
        var zip = new Option<string>("--zip") { Description = "The ML.NET model, as mlContext.Model.Save wrote it.", Required = true, HelpName = "model.zip" };
        var manifest = new Option<string>("--manifest") { Description = "task (multiclass, binary, regression), columns (the inputs a record gives), and optionally score, labels, version, promote.", Required = true, HelpName = "import.json" };
        var samples = new Option<string>("--samples") { Description = "Sample rows (CSV with a header naming the model's input columns): the converted graph must give ML.NET's scores on them to 1e-5. Drawn from the model's input schema when left out.", HelpName = "rows.csv" };
        var bucket = Bucket();
        var command = new Command("import-mlnet", "Convert your own ML.NET model.zip to ONNX, check it against ML.NET on sample rows, and register it as an ONNX model served from JSON records. Exit 1 when refused, with the reason.")
        {
            model, zip, manifest, samples, bucket,
        };
        command.SetAction((r, _) => ImportMlNetCommand.RunAsync(r.GetValue(model)!, r.GetValue(zip)!, r.GetValue(manifest)!, r.GetValue(samples), r.GetValue(bucket), Console.Out, Console.Error));
        return command;
    }

    private static Command Register()
    {
        var model = new Option<string>("--model") { Description = "The model's name.", Required = true, HelpName = "NAME" };
        var graph = new Option<string>("--graph") { Description = "The ONNX graph.", Required = true, HelpName = "model.onnx" };
        var manifest = new Option<string>("--manifest") { Description = "Its manifest: task, input, output, image options or feature spec, labels.", Required = true, HelpName = "model.json" };
        var prepare = new Option<string>("--prepare") { Description = "A preparation graph the manifest names, run before the model.", HelpName = "prepare.onnx" };
        var bucket = Bucket();
        var command = new Command("register", "Register an ONNX model as dropping it under imports/NAME/ would: optimised once, checked against its manifest, run once, written as a version (the champion if there is none, or with \"promote\": true). Exit 1 when rejected, with the reason.")
        {
            model, graph, manifest, prepare, bucket,
        };
        command.SetAction((r, _) => RegisterCommand.RunAsync(r.GetValue(model)!, r.GetValue(graph)!, r.GetValue(manifest)!, r.GetValue(prepare), r.GetValue(bucket), Console.Out, Console.Error));
        return command;
    }
}
