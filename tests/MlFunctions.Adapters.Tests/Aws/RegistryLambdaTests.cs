using System.Text.Json;
using MlFunctions.Core.Models;
using MlFunctions.Core.Models.Store;
using MlFunctions.Core.Storage;
using MlFunctions.Testing;

namespace MlFunctions.Adapters.Tests.Aws;

/// <summary>
/// The registry's writes through the real AOT bootstrap: an event that API Gateway's IAM authorizer
/// vouched for (requestContext.authorizer.iam) sets the alias and records the principal; one without is
/// a 403 that writes nothing, whatever authorizer the API is given.
/// </summary>
public sealed class RegistryLambdaTests : IAsyncLifetime
{
    private readonly string _bucket = Directory.CreateTempSubdirectory("mlf-registry-lambda-").FullName;
    private LambdaRuntimeEmulator _emulator = null!;
    private BootstrapProcess _bootstrap = null!;
    private string _version = "";

    public async Task InitializeAsync()
    {
        var bundle = MlFunctions.Training.ModelTrainer.Train(RepoPaths.Penguins, new ModelSpec { Task = ModelTask.Multiclass, Label = "Species" }, "penguins").Bundle;
        await new ObjectModelStore(new LocalFolderStore(_bucket)).WriteVersionAsync(bundle, [], CancellationToken.None);
        _version = bundle.Version;
        _emulator = await LambdaRuntimeEmulator.StartAsync();
        _bootstrap = await BootstrapProcess.StartAsync(_emulator, "set-alias", new Dictionary<string, string> { ["MLF_STORAGE"] = "folder", ["MLF_BUCKET"] = _bucket });
    }

    private string Event(object? authorizer) => JsonSerializer.Serialize(new
    {
        version = "2.0",
        routeKey = "POST /api/models/{model}/aliases/{alias}",
        rawPath = "/api/models/penguins/aliases/staging",
        rawQueryString = "",
        headers = new Dictionary<string, string> { ["content-type"] = "application/json" },
        pathParameters = new Dictionary<string, string> { ["model"] = "penguins", ["alias"] = "staging" },
        requestContext = new { http = new { method = "POST", path = "/api/models/penguins/aliases/staging" }, requestId = "r-1", authorizer },
        body = $$"""{"version": "{{_version}}"}""",
        isBase64Encoded = false,
    });

    [Fact]
    public async Task Only_an_iam_signed_call_sets_an_alias()
    {
        var alias = Path.Combine(_bucket, "models", "penguins", "aliases", "staging.json");

        var anonymous = JsonDocument.Parse((await _emulator.InvokeAsync(Event(null))).Body).RootElement;
        Assert.Equal(403, anonymous.GetProperty("statusCode").GetInt32());
        Assert.False(File.Exists(alias));

        var signed = JsonDocument.Parse((await _emulator.InvokeAsync(Event(new { iam = new { userArn = "arn:aws:iam::123456789012:user/ops", accountId = "123456789012" } }))).Body).RootElement;
        Assert.Equal(200, signed.GetProperty("statusCode").GetInt32());
        var written = JsonDocument.Parse(File.ReadAllText(alias)).RootElement;
        Assert.Equal(_version, written.GetProperty("version").GetString());
        Assert.Equal("admin: arn:aws:iam::123456789012:user/ops", written.GetProperty("by").GetString());
    }

    public async Task DisposeAsync()
    {
        await _bootstrap.DisposeAsync();
        await _emulator.DisposeAsync();
        Directory.Delete(_bucket, recursive: true);
    }
}
