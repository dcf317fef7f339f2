using System.Runtime.CompilerServices;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using MlFunctions.Core.Storage;

namespace MlFunctions.Storage.Azure;

/// <summary>
/// A bucket as an Azure Blob container. Create-only is an upload with If-None-Match: * (409
/// BlobAlreadyExists when taken), replace-if-unchanged one with If-Match (412 ConditionNotMet, or 404
/// when the blob is gone).
/// </summary>
public sealed class BlobObjectStore(BlobContainerClient container) : IObjectStore
{
    public string Bucket => container.Name;

    /// <summary>The container in MLF_BUCKET, in the storage account of AzureWebJobsStorage (the Functions host's own connection string).</summary>
    public static BlobObjectStore FromEnvironment(Func<string, string?> setting)
    {
        var connection = setting("MLF_BLOB_CONNECTION") ?? setting("AzureWebJobsStorage")
            ?? throw new InvalidOperationException("AzureWebJobsStorage (or MLF_BLOB_CONNECTION) is not set.");
        var name = setting("MLF_BUCKET") ?? throw new InvalidOperationException("MLF_BUCKET names the blob container; it is not set.");
        return new BlobObjectStore(new BlobContainerClient(connection, name));
    }

    public async Task<StoredObject?> ReadAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            var response = await container.GetBlobClient(ObjectKeys.Check(key)).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            return new StoredObject(key, response.Value.Content.ToArray(), response.Value.Details.ETag.ToString());
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public async Task<string?> WriteAsync(string key, ReadOnlyMemory<byte> content, string contentType, WriteCondition condition, CancellationToken cancellationToken)
    {
        var options = new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentType = contentType },
            Conditions = condition.CreateOnly ? new BlobRequestConditions { IfNoneMatch = ETag.All }
                : condition.IfMatch is { } etag ? new BlobRequestConditions { IfMatch = new ETag(etag) }
                : null,
        };
        try
        {
            var response = await container.GetBlobClient(ObjectKeys.Check(key)).UploadAsync(new BinaryData(content), options, cancellationToken).ConfigureAwait(false);
            return response.Value.ETag.ToString();
        }
        catch (RequestFailedException e) when (options.Conditions is not null && e.Status is 409 or 412 || (condition.IfMatch is not null && e.Status == 404))
        {
            return null;
        }
    }

    public async IAsyncEnumerable<string> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var item in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix, cancellationToken).ConfigureAwait(false))
        {
            yield return item.Name;
        }
    }
}
