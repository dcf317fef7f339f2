using System.Net.Http.Headers;
using System.Reflection.PortableExecutable;
using System.Text.Json;
using MlFunctions.Testing.AzureWorker;
using MlFunctions.Testing.AzureWorker.Rpc;
using MlFunctions.Core.Storage;
using MlFunctions.Testing;
using SkiaSharp;

namespace MlFunctions.Adapters.Tests.Azure.Worker;

/// <summary>
/// The real published isolated worker, started and driven as the Functions host does it, over the
/// worker's gRPC protocol (the host cannot run here): its functions are the catalog's, and resize, predict,
/// a bad request and on-upload answer with the same bytes as the AOT custom handler.
/// </summary>
public sealed class AzureWorkerTests(AzureWorkerFixture azure) : IClassFixture<AzureWorkerFixture>
{
    private static readonly string[] NonHttp = ["on-upload", "drift-schedule"];

    [Fact]
    public async Task The_workers_functions_are_the_catalogs_with_the_custom_handlers_routes_methods_and_auth_levels()
    {
        using var generated = await GeneratedFunctionJson.WriteAsync();

        Assert.Equal(TestCatalog.Instance.Functions.Select(f => f.Name).Concat(NonHttp).Order(StringComparer.Ordinal), azure.Host.Functions.Select(f => f.Name).Order(StringComparer.Ordinal));
        Assert.Equal(generated.Functions, azure.Host.Functions.Select(f => f.Name).Order(StringComparer.Ordinal));
        foreach (var function in TestCatalog.Instance.Functions)
        {
            var worker = azure.Host.Functions.Single(f => f.Name == function.Name);
            var custom = generated.Bindings(function.Name).EnumerateArray().Single(b => b.GetProperty("type").GetString() == "httpTrigger");
            Assert.Equal("httpTrigger", worker.TriggerType);
            Assert.Equal(function.Route["/api/".Length..], worker.Text("route"));
            Assert.Equal(custom.GetProperty("route").GetString(), worker.Text("route"));
            Assert.Equal([function.Method.ToLowerInvariant()], worker.Trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()));
            Assert.Equal(function.Admin ? "admin" : "function", worker.Text("authLevel")!.ToLowerInvariant());
            Assert.Equal(custom.GetProperty("authLevel").GetString(), worker.Text("authLevel")!.ToLowerInvariant());
        }
        var upload = azure.Host.Functions.Single(f => f.Name == "on-upload");
        Assert.Equal(("blobTrigger", "EventGrid", "%MLF_BUCKET%/{name}", "AzureWebJobsStorage"), (upload.TriggerType, upload.Text("source"), upload.Text("path"), upload.Text("connection")));
        var schedule = azure.Host.Functions.Single(f => f.Name == "drift-schedule");
        Assert.Equal(generated.Bindings("drift-schedule")[0].GetProperty("schedule").GetString(), schedule.Text("schedule"));

        // The deploy script subscribes either app's on-upload with the filters the app prints.
        var handlerFilters = await ProcessRunner.RunAsync(generated.Binary, ["event-grid-filters", "mlfunctions"], TimeSpan.FromMinutes(1));
        var workerFilters = await ProcessRunner.RunAsync("dotnet", [Path.Combine(azure.AppDirectory, "MlFunctions.Azure.Worker.dll"), "event-grid-filters", "mlfunctions"], TimeSpan.FromMinutes(1));
        Assert.True(workerFilters.ExitCode == 0, workerFilters.Error);
        Assert.Contains("/blobServices/default/containers/mlfunctions/blobs/incoming/", workerFilters.Output, StringComparison.Ordinal);
        Assert.Equal(handlerFilters.Output, workerFilters.Output);
    }

    [Fact]
    public async Task The_publish_folder_is_a_dotnet_isolated_app_as_func_publishes_it()
    {
        var app = azure.AppDirectory;
        using var host = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(app, "host.json")));
        Assert.Equal("2.0", host.RootElement.GetProperty("version").GetString());
        Assert.Equal("api", host.RootElement.GetProperty("extensions").GetProperty("http").GetProperty("routePrefix").GetString());
        Assert.False(host.RootElement.TryGetProperty("customHandler", out _));

        using var config = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(app, "worker.config.json")));
        var description = config.RootElement.GetProperty("description");
        Assert.Equal("dotnet-isolated", description.GetProperty("language").GetString());
        Assert.Equal("dotnet", description.GetProperty("defaultExecutablePath").GetString());
        Assert.Equal("true", description.GetProperty("workerIndexing").GetString());
        var worker = Path.Combine(app, description.GetProperty("defaultWorkerPath").GetString()!);
        Assert.True(File.Exists(worker), worker);

        // The SDK's build-time index (the host's fallback when it does not ask the worker) lists the same functions.
        using var metadata = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(app, "functions.metadata")));
        Assert.Equal(azure.Host.Functions.Select(f => f.Name).Order(StringComparer.Ordinal), metadata.RootElement.EnumerateArray().Select(f => f.GetProperty("name").GetString()!).Order(StringComparer.Ordinal));

        // The host loads the blob trigger's extension from the app (the HTTP and timer ones are its own).
        using var extensions = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(app, "extensions.json")));
        var blobs = extensions.RootElement.GetProperty("extensions").EnumerateArray().Single(e => e.GetProperty("name").GetString() == "AzureStorageBlobs");
        Assert.True(File.Exists(Path.Combine(app, blobs.GetProperty("hintPath").GetString()!)), blobs.ToString());

        // scripts/azure-publish-worker.sh's example settings: func reads the worker runtime from them.
        using var local = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(app, "local.settings.json")));
        Assert.Equal("dotnet-isolated", local.RootElement.GetProperty("Values").GetProperty("FUNCTIONS_WORKER_RUNTIME").GetString());
        Assert.Empty(Directory.GetFiles(app, "*.pdb"));

        // ReadyToRun: the worker's code is precompiled (it cannot be Native AOT).
        using var pe = new PEReader(File.OpenRead(worker));
        Assert.True(pe.PEHeaders.CorHeader!.ManagedNativeHeaderDirectory.Size > 0, "the worker assembly is not ReadyToRun");
    }

    [Fact]
    public async Task Resize_through_the_host_answers_the_custom_handlers_bytes()
    {
        var photo = await File.ReadAllBytesAsync(RepoPaths.ExifImage("Portrait_7"));
        const string path = "/api/resize?width=160&height=120&fit=cover&format=png";

        var (worker, handler) = await BothAsync(path, photo);

        Assert.True(worker.Status == 200, System.Text.Encoding.UTF8.GetString(worker.Body) + azure.Host.Logs);
        Assert.Equal(StatusResult.Types.Status.Success, worker.Invocation.Result.Status);
        Assert.Equal((160, 120), (Pixels.Decode(worker.Body).Width, Pixels.Decode(worker.Body).Height));
        Assert.Equal(handler.ContentType, worker.ContentType);
        Assert.Equal(handler.Body, worker.Body);
    }

    [Fact]
    public async Task Predict_through_the_host_answers_the_custom_handlers_labels_and_probabilities_to_the_byte()
    {
        var image = SyntheticImages.Solid(90, 60, new SKColor(230, 60, 40), SKEncodedImageFormat.Jpeg);
        const string path = "/api/predict/colours?topK=3";

        var (worker, handler) = await BothAsync(path, image);

        var body = System.Text.Encoding.UTF8.GetString(worker.Body);
        Assert.True(worker.Status == 200, body + azure.Host.Logs);
        Assert.Equal("warm", JsonDocument.Parse(body).RootElement.GetProperty("predictions")[0].GetProperty("label").GetString());
        Assert.Equal(System.Text.Encoding.UTF8.GetString(handler.Body), body);
    }

    [Fact]
    public async Task A_bad_request_is_the_custom_handlers_problem_json_and_a_route_nothing_serves_is_the_hosts_404()
    {
        var photo = await File.ReadAllBytesAsync(RepoPaths.ExifImage("Portrait_7"));
        const string path = "/api/resize?width=-3";

        var (worker, handler) = await BothAsync(path, photo);

        Assert.Equal(400, worker.Status);
        Assert.Equal("application/problem+json", worker.ContentType);
        Assert.Contains("width", System.Text.Encoding.UTF8.GetString(worker.Body), StringComparison.Ordinal);
        Assert.Equal(handler.Body, worker.Body);
        // A 4xx is the function's answer, not a failed invocation (the host would log it as an error).
        Assert.Equal(StatusResult.Types.Status.Success, worker.Invocation.Result.Status);
        Assert.Null(await azure.Host.SendAsync(HttpMethod.Get, "/api/resize"));
    }

    [Fact]
    public async Task A_body_over_kestrels_default_limit_reaches_the_pipeline_as_in_the_custom_handler()
    {
        // 31 MB: over Kestrel's 30 MB default, under Azure's MLF_MAX_BODY_BYTES (100 MiB): the pipeline's answer, not a failed read.
        var body = new byte[31_000_000];
        const string path = "/api/resize?width=64";

        var (worker, handler) = await BothAsync(path, body);

        Assert.Equal(StatusResult.Types.Status.Success, worker.Invocation.Result.Status);
        Assert.Equal(handler.Status, worker.Status);
        Assert.Equal("application/problem+json", worker.ContentType);
        Assert.Equal(handler.Body, worker.Body);
    }

    [Fact]
    public async Task On_upload_through_event_grid_writes_the_custom_handlers_variants_in_azurite()
    {
        var photo = await File.ReadAllBytesAsync(RepoPaths.ExifImage("Portrait_5"));
        var etag = await azure.Container.WriteAsync("incoming/images/worker.jpg", photo, "image/jpeg", WriteCondition.Always, CancellationToken.None);
        var handlerEtag = await azure.Container.WriteAsync("incoming/images/handler.jpg", photo, "image/jpeg", WriteCondition.Always, CancellationToken.None);

        var response = await azure.Host.DeliverEventGridAsync(BlobCreated("incoming/images/worker.jpg", etag, photo.Length));
        using var handler = await azure.CustomHandler.Client.PostAsync("/on-upload", new StringContent(
            "{\"Data\": {\"event\": " + BlobCreated("incoming/images/handler.jpg", handlerEtag, photo.Length) + "}, \"Metadata\": {}}", System.Text.Encoding.UTF8, "application/json"));

        Assert.NotNull(response);
        Assert.True(response.Result.Status == StatusResult.Types.Status.Success, response.Result.Exception?.Message + azure.Host.Logs);
        using var outcome = JsonDocument.Parse(response.ReturnValue.String);
        Assert.Equal("processed", outcome.RootElement.GetProperty("result").GetString());
        var written = outcome.RootElement.GetProperty("written").EnumerateArray().Select(k => k.GetString()!).ToArray();
        Assert.Contains("processed/images/worker.jpg/status.json", written);
        Assert.True(written.Length > 1, string.Join(", ", written));
        // The variants; status.json names its own source object and time.
        foreach (var key in written.Where(k => !k.EndsWith("/status.json", StringComparison.Ordinal)))
        {
            var variant = await azure.Container.ReadAsync(key, CancellationToken.None);
            var twin = await azure.Container.ReadAsync(key.Replace("/worker.jpg/", "/handler.jpg/", StringComparison.Ordinal), CancellationToken.None);
            Assert.NotNull(variant);
            Assert.Equal(twin!.Content, variant.Content);
        }
        Assert.Null(await azure.Host.DeliverEventGridAsync(BlobCreated("incoming/images/worker.jpg", etag, photo.Length, container: "another")));
    }

    [Fact]
    public async Task The_drift_schedule_runs_on_a_timer_tick()
    {
        var response = await azure.Host.TickAsync("drift-schedule");

        Assert.True(response.Result.Status == StatusResult.Types.Status.Success, response.Result.Exception?.Message + azure.Host.Logs);
    }

    private string BlobCreated(string key, string? etag, long length, string? container = null)
    {
        var name = container ?? azure.Container.Bucket;
        return JsonSerializer.Serialize(new
        {
            id = Guid.NewGuid().ToString(),
            topic = "/subscriptions/s/resourceGroups/g/providers/Microsoft.Storage/storageAccounts/devstoreaccount1",
            subject = $"/blobServices/default/containers/{name}/blobs/{key}",
            eventType = "Microsoft.Storage.BlobCreated",
            eventTime = DateTimeOffset.UtcNow,
            dataVersion = "",
            data = new { api = "PutBlob", eTag = etag, contentType = "image/jpeg", contentLength = length, blobType = "BlockBlob", url = $"http://127.0.0.1:10000/devstoreaccount1/{name}/{key}" },
        });
    }

    /// <summary>The same JPEG-typed POST through the host to the worker and straight to the custom handler.</summary>
    private async Task<(HttpInvocation Worker, (int Status, string? ContentType, byte[] Body) Handler)> BothAsync(string path, byte[] body)
    {
        var worker = await SendAsync(HttpMethod.Post, path, body, "image/jpeg");
        using var handler = await azure.CustomHandler.Client.PostAsync(path, Content(body, "image/jpeg"));
        return (worker, ((int)handler.StatusCode, handler.Content.Headers.ContentType?.ToString(), await handler.Content.ReadAsByteArrayAsync()));
    }

    private async Task<HttpInvocation> SendAsync(HttpMethod method, string path, byte[] body, string contentType) =>
        await azure.Host.SendAsync(method, path, Content(body, contentType)) ?? throw new InvalidOperationException($"no function routes {method} {path}");

    private static ByteArrayContent Content(byte[] body, string contentType)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return content;
    }
}
