using System.Runtime.CompilerServices;
using Azure;
using Azure.Core;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using MlFunctions.Core.Storage;

namespace MlFunctions.Storage.Azure;

/// <summary>
/// A bucket as an Azure Blob container. Create-only is an upload with If-None-Match: * (409
/// BlobAlreadyExists when taken), replace-if-unchanged one with If-Match (412 ConditionNotMet, or 404
/// when the blob is gone). The SDK retries 408, 429, 5xx answers, network failures and timeouts
/// (exponential, as <see cref="Options"/> sets it); what still fails becomes an <see cref="ObjectStoreException"/>.
/// </summary>
public sealed class BlobObjectStore(BlobContainerClient container, StoreRetry? retry = null) : IObjectStore
{
    private readonly StoreRetry _retry = retry ?? StoreRetry.Default;

    public string Bucket => container.Name;

    /// <summary>Client options whose retry policy and per-try timeout are <paramref name="retry"/>'s.</summary>
    public static BlobClientOptions Options(StoreRetry retry)
    {
        var options = new BlobClientOptions();
        options.Retry.Mode = RetryMode.Exponential;
        options.Retry.MaxRetries = retry.Attempts - 1;
        options.Retry.Delay = retry.BaseDelay;
        options.Retry.MaxDelay = retry.MaxDelay;
        options.Retry.NetworkTimeout = retry.AttemptTimeout;
        return options;
    }

    /// <summary>The container in MLF_BUCKET, in the storage account of AzureWebJobsStorage (the Functions host's own connection string).</summary>
    public static BlobObjectStore FromEnvironment(Func<string, string?> setting)
    {
        var connection = setting("MLF_BLOB_CONNECTION") ?? setting("AzureWebJobsStorage")
            ?? throw new InvalidOperationException("AzureWebJobsStorage (or MLF_BLOB_CONNECTION) is not set.");
        var name = setting("MLF_BUCKET") ?? throw new InvalidOperationException("MLF_BUCKET names the blob container; it is not set.");
        return new BlobObjectStore(new BlobContainerClient(connection, name, Options(StoreRetry.Default)), StoreRetry.Default);
    }

    public async Task<ObjectReader?> OpenReadAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            var response = await container.GetBlobClient(ObjectKeys.Check(key)).DownloadStreamingAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            var details = response.Value.Details;
            return new ObjectReader(key, response.Value.Content, details.ETag.ToString(), details.ContentLength, owner: response.Value);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
        catch (Exception e) when (Unavailable(e, cancellationToken))
        {
            throw Failure("read", key, e);
        }
    }

    public async Task<string?> WriteAsync(string key, Stream content, string contentType, WriteCondition condition, CancellationToken cancellationToken)
    {
        var options = new BlobUploadOptions
        {
            // Up to one block in one request; more is staged a block at a time and committed at the end
            // (the condition is checked then), so memory holds one block whatever the blob's size.
            TransferOptions = new global::Azure.Storage.StorageTransferOptions { InitialTransferSize = BlockBytes, MaximumTransferSize = BlockBytes, MaximumConcurrency = 1 },
            HttpHeaders = new BlobHttpHeaders { ContentType = contentType },
            Conditions = condition.CreateOnly ? new BlobRequestConditions { IfNoneMatch = ETag.All }
                : condition.IfMatch is { } etag ? new BlobRequestConditions { IfMatch = new ETag(etag) }
                : null,
        };
        try
        {
            var response = await container.GetBlobClient(ObjectKeys.Check(key)).UploadAsync(content, options, cancellationToken).ConfigureAwait(false);
            return response.Value.ETag.ToString();
        }
        catch (RequestFailedException e) when (options.Conditions is not null && e.Status is 409 or 412 || (condition.IfMatch is not null && e.Status == 404))
        {
            return null;
        }
        catch (Exception e) when (Unavailable(e, cancellationToken))
        {
            throw Failure("write", key, e);
        }
    }

    /// <summary>The block size of large uploads.</summary>
    public const int BlockBytes = 8 * 1024 * 1024;

    public async IAsyncEnumerable<string> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var pages = container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix, cancellationToken).AsPages().GetAsyncEnumerator(cancellationToken);
        await using var _ = pages.ConfigureAwait(false);
        while (true)
        {
            try
            {
                if (!await pages.MoveNextAsync().ConfigureAwait(false))
                {
                    yield break;
                }
            }
            catch (Exception e) when (Unavailable(e, cancellationToken))
            {
                throw Failure("list", prefix, e);
            }
            foreach (var item in pages.Current.Values)
            {
                yield return item.Name;
            }
        }
    }

    /// <summary>What the SDK gave up on: an error answer, a network failure, or a try that timed out (not our own cancellation).</summary>
    private static bool Unavailable(Exception e, CancellationToken cancellationToken) =>
        e is RequestFailedException or AggregateException or IOException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    private ObjectStoreException Failure(string operation, string key, Exception e) => ObjectStoreException.After("Azure Blob", operation, key, _retry.Attempts, e switch
    {
        RequestFailedException { Status: > 0 } failed => $"{failed.Status} {failed.ErrorCode}: {failed.Message.Split('\n')[0]}",
        OperationCanceledException => $"no answer within {_retry.AttemptTimeout.TotalSeconds:0.###} s",
        AggregateException many => many.InnerExceptions[^1].Message,
        _ => e.Message,
    }, e);
}
