using MlFunctions.Testing;

namespace MlFunctions.Adapters.Tests.Azure;

/// <summary>
/// What can be checked of the Azure deploy here (no Azure is reachable): the Event Grid subject filters
/// the real AOT handler generates for on-upload take every input and none of on-upload's own outputs,
/// so its writes never start it again; and the deploy script is valid bash that uses them.
/// </summary>
public sealed class AzureDeployTests
{
    private const string Blobs = "/blobServices/default/containers/mlfunctions/blobs/";

    [Fact]
    public async Task On_uploads_subject_filters_take_its_inputs_and_none_of_its_outputs()
    {
        var binary = await AotPublisher.PublishAsync("functions", "MlFunctions.Azure");
        var result = await ProcessRunner.RunAsync(binary, ["event-grid-filters", "mlfunctions"], TimeSpan.FromMinutes(1));
        Assert.True(result.ExitCode == 0, result.Error);
        var filters = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        string[] inputs = ["incoming/images/cat.jpg", "training/penguins/2026-11.csv", "batch/penguins/all.csv", "imports/pets/r18.json", "imports/pets/r18.onnx"];
        string[] outputs =
        [
            "processed/images/cat.jpg/thumb.jpg", "processed/images/cat.jpg/status.json",
            "jobs/penguins/job-1.job.json", "jobs/penguins/job-1.status.json",
            "predictions/penguins/all.jsonl", "predictions/penguins/all.status.json",
            "models/pets/imports/r18.status.json", "models/pets/v-1/model.onnx", "models/pets/v-1/model.json", "models/pets/champion.json",
        ];
        Assert.All(filters, filter => Assert.StartsWith(Blobs, filter, StringComparison.Ordinal));
        Assert.All(inputs, key => Assert.Contains(filters, f => (Blobs + key).StartsWith(f, StringComparison.Ordinal)));
        Assert.All(outputs, key => Assert.DoesNotContain(filters, f => (Blobs + key).StartsWith(f, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task The_deploy_script_is_valid_bash_and_subscribes_on_upload_with_the_generated_filters()
    {
        var script = Path.Combine(RepoPaths.Root, "scripts", "azure-deploy.sh");

        var syntax = await ProcessRunner.RunAsync("bash", ["-n", script], TimeSpan.FromSeconds(30));
        var text = await File.ReadAllTextAsync(script);

        Assert.True(syntax.ExitCode == 0, syntax.Error);
        Assert.Contains("MlFunctions.Azure event-grid-filters", text, StringComparison.Ordinal);
        Assert.Contains("--advanced-filter subject StringBeginsWith $filters", text, StringComparison.Ordinal);
        Assert.Contains("--runtime custom", text, StringComparison.Ordinal);
        Assert.Contains("--flexconsumption-location", text, StringComparison.Ordinal);
        // APP=worker: the isolated worker, its on-upload a blob trigger fed by the blobs extension's Event Grid webhook.
        Assert.Contains("--runtime dotnet-isolated --runtime-version 10.0", text, StringComparison.Ordinal);
        Assert.Contains("scripts/azure-publish-worker.sh out/azure-worker", text, StringComparison.Ordinal);
        Assert.Contains("MlFunctions.Azure.Worker.dll event-grid-filters", text, StringComparison.Ordinal);
        Assert.Contains("systemKeys.blobs_extension", text, StringComparison.Ordinal);
        Assert.Contains("runtime/webhooks/blobs?functionName=Host.Functions.on-upload", text, StringComparison.Ordinal);
    }
}
