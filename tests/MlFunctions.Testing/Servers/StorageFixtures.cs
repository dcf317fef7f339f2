using Amazon.Runtime;
using Amazon.S3;
using Azure.Storage.Blobs;
using MlFunctions.Core.Storage;
using MlFunctions.Storage.Aws;
using MlFunctions.Storage.Azure;
using MlFunctions.Storage.Gcp;

namespace MlFunctions.Testing.Servers;

/// <summary>Real s3rver on 127.0.0.1; a new bucket for every test.</summary>
public sealed class S3rverFixture : Xunit.IAsyncLifetime
{
    private NodeServer? _server;

    public AmazonS3Client? Client { get; private set; }

    public string Endpoint => _server!.Endpoint;

    /// <summary>The settings that point a bootstrap at this server (s3rver takes any key pair).</summary>
    public Dictionary<string, string> Settings(string bucket) => new()
    {
        ["MLF_BUCKET"] = bucket, ["MLF_S3_ENDPOINT"] = Endpoint, ["AWS_ACCESS_KEY_ID"] = "S3RVER", ["AWS_SECRET_ACCESS_KEY"] = "S3RVER", ["AWS_REGION"] = "us-east-1",
    };

    public async Task InitializeAsync()
    {
        _server = await NodeServer.S3rverAsync();
        Client = new AmazonS3Client(new BasicAWSCredentials("S3RVER", "S3RVER"),
            new AmazonS3Config { ServiceURL = _server.Endpoint, ForcePathStyle = true, AuthenticationRegion = "us-east-1" });
    }

    public async Task<IObjectStore> NewBucketAsync()
    {
        var name = "mlf-" + Guid.NewGuid().ToString("N")[..12];
        await Client!.PutBucketAsync(name);
        return new S3ObjectStore(Client, name);
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

/// <summary>Real azurite (blob) on 127.0.0.1; a new container for every test.</summary>
public sealed class AzuriteFixture : Xunit.IAsyncLifetime
{
    // azurite's documented development account.
    private const string Key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private NodeServer? _server;

    public string ConnectionString => ConnectionStringVia(Endpoint);

    public string Endpoint => _server!.Endpoint;

    /// <summary>The account's connection string with its blob endpoint at <paramref name="endpoint"/> (a proxy in front of azurite).</summary>
    public static string ConnectionStringVia(string endpoint) => $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={Key};BlobEndpoint={endpoint}/devstoreaccount1;";

    public async Task InitializeAsync() => _server = await NodeServer.AzuriteAsync();

    public async Task<IObjectStore> NewBucketAsync()
    {
        var container = new BlobContainerClient(ConnectionString, "mlf-" + Guid.NewGuid().ToString("N")[..12]);
        await container.CreateAsync();
        return new BlobObjectStore(container);
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

/// <summary>The GCS JSON API test server; a new bucket (a name) for every test.</summary>
public sealed class GcsFixture : Xunit.IAsyncLifetime
{
    public GcsJsonApiServer Server { get; private set; } = null!;

    public HttpClient Http { get; } = new();

    public async Task InitializeAsync() => Server = await GcsJsonApiServer.StartAsync();

    public Task<IObjectStore> NewBucketAsync() => Task.FromResult<IObjectStore>(NewBucket(StoreRetry.Default));

    public GcsObjectStore NewBucket(StoreRetry retry) =>
        new(Http, "mlf-" + Guid.NewGuid().ToString("N")[..12], _ => Task.FromResult<string?>(null), new Uri(Server.Endpoint + "/"), retry);

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
    }
}
