using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using MlFunctions.Core.Contract;
using MlFunctions.Core.Jobs;
using MlFunctions.Core.Json;
using MlFunctions.Core.Models.Registry;
using MlFunctions.Core.Models.Store;
using MlFunctions.Core.Storage;

namespace MlFunctions.Trainer;

/// <summary>
/// models list | show MODEL | alias MODEL ALIAS VERSION | rollback MODEL [--to VERSION] | approve MODEL JOB |
/// reject MODEL JOB: the registry's functions on a bucket folder, answering the same JSON as
/// /api/models and its writes. Whoever can write the folder is its admin; the history records the user.
/// A refused change (no such version, a lost race, a stale approval) is one line on stderr and exit 1.
/// </summary>
internal static class ModelsCommand
{
    public static Command Create(Func<Option<string>> bucketOption)
    {
        var command = new Command("models", "The model registry: list models, show one's versions, aliases and history; set an alias, roll back, approve or reject a job awaiting approval.");
        var bucket = bucketOption();
        bucket.Recursive = true;
        command.Options.Add(bucket);

        var list = new Command("list", "Every model with its task and champion.");
        list.SetAction((r, ct) => RunAsync(r, bucket, (registry, _) => Print(registry.ListAsync(ct), CoreJsonContext.Web.ModelList)));

        var model = new Argument<string>("model") { Description = "The model's name." };
        var show = new Command("show", "A model's aliases, versions (newest first, with metrics and lineage) and history.") { model };
        var limit = new Option<int>("--limit") { Description = "How many versions (1 to 100).", DefaultValueFactory = _ => 20 };
        show.Options.Add(limit);
        show.SetAction((r, ct) => RunAsync(r, bucket, (registry, _) => Print(registry.DescribeAsync(r.GetValue(model)!, Math.Clamp(r.GetValue(limit), 1, ModelRegistry.MaxVersions), ct), CoreJsonContext.Web.ModelDetails)));

        var aliasName = new Argument<string>("alias") { Description = "champion (promotes), or a name of yours such as staging." };
        var version = new Argument<string>("version") { Description = "The version it points at." };
        var alias = new Command("alias", "Point an alias at a version (champion promotes it), by a conditional write.") { model, aliasName, version };
        alias.SetAction((r, ct) => RunAsync(r, bucket, (registry, by) => Print(registry.SetAliasAsync(r.GetValue(model)!, r.GetValue(aliasName)!, r.GetValue(version)!, by, null, ct), CoreJsonContext.Web.AliasChange)));

        var to = new Option<string>("--to") { Description = "The version to make champion (default: the previous champion).", HelpName = "VERSION" };
        var rollback = new Command("rollback", "Make the previous champion (or --to VERSION) champion again.") { model, to };
        rollback.SetAction((r, ct) => RunAsync(r, bucket, (registry, by) => Print(registry.RollbackAsync(r.GetValue(model)!, r.GetValue(to), by, null, ct), CoreJsonContext.Web.ChampionChange)));

        var job = new Argument<string>("job") { Description = "The job id (GET /api/jobs/MODEL lists them)." };
        var approve = new Command("approve", "Promote the version of a job awaiting approval, unless the champion changed since it was compared.") { model, job };
        approve.SetAction((r, ct) => RunAsync(r, bucket, (registry, by) => Print(new JobReview(registry).DecideAsync(r.GetValue(model)!, r.GetValue(job)!, true, by, null, ct), CoreJsonContext.Web.JobStatus)));
        var reject = new Command("reject", "Reject a job awaiting approval: its version stays, the champion does not change.") { model, job };
        reject.SetAction((r, ct) => RunAsync(r, bucket, (registry, by) => Print(new JobReview(registry).DecideAsync(r.GetValue(model)!, r.GetValue(job)!, false, by, null, ct), CoreJsonContext.Web.JobStatus)));

        foreach (var sub in new[] { list, show, alias, rollback, approve, reject })
        {
            command.Subcommands.Add(sub);
        }
        return command;
    }

    private static async Task<int> RunAsync(ParseResult result, Option<string> bucket, Func<ModelRegistry, string, Task<string>> run)
    {
        var folder = result.GetValue(bucket) ?? Environment.GetEnvironmentVariable("MLF_BUCKET") ?? "bucket";
        var registry = new ModelRegistry(new ObjectModelStore(new LocalFolderStore(folder)));
        try
        {
            await Console.Out.WriteLineAsync(await run(registry, $"trainer ({Environment.UserName})").ConfigureAwait(false)).ConfigureAwait(false);
            return 0;
        }
        catch (ProblemException e)
        {
            await Console.Error.WriteLineAsync($"models: {e.Message}").ConfigureAwait(false);
            return 1;
        }
    }

    /// <summary>The document as the HTTP API answers it: one line of JSON (pipe it to jq to read it).</summary>
    private static async Task<string> Print<T>(Task<T> document, JsonTypeInfo<T> type) =>
        JsonSerializer.Serialize(await document.ConfigureAwait(false), type);
}
