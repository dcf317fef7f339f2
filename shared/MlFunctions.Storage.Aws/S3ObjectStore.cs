using System.Net;
using System.Runtime.CompilerServices;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using MlFunctions.Core.Storage;

namespace MlFunctions.Storage.Aws;

/// <summary>
/// A bucket on S3. Create-only and replace-if-unchanged are S3's conditional writes (PutObject with
/// If-None-Match: * or If-Match: etag); a precondition that does not hold is a 412 (or a 409 when
/// another conditional write to the key is in flight, or a 404 for If-Match on a missing key). The
/// SDK retries 429s, 5xx answers, network failures and timeouts (standard mode, as
/// <see cref="Configure"/> sets it); what still fails becomes an <see cref="ObjectStoreException"/>.
/// </summary>
public sealed class S3ObjectStore(IAmazonS3 client, string bucket) : IObjectStore
{
    /// <summary>The part size of multipart uploads (S3's minimum is 5 MiB); content up to it is one PutObject.</summary>
    public const int PartBytes = 8 * 1024 * 1024;

    private readonly int _attempts = client.Config.MaxErrorRetry + 1;

    public string Bucket { get; } = bucket;

    /// <summary>Sets the SDK's retries (standard mode: exponential backoff with jitter) and its per-try timeout from <paramref name="retry"/>.</summary>
    public static AmazonS3Config Configure(AmazonS3Config config, StoreRetry retry)
    {
        config.RetryMode = RequestRetryMode.Standard;
        config.MaxErrorRetry = retry.Attempts - 1;
        config.Timeout = retry.AttemptTimeout;
        return config;
    }

    /// <summary>
    /// The bucket in MLF_BUCKET with the SDK's usual credentials and region (a Lambda's role);
    /// MLF_S3_ENDPOINT points it at another S3 (such as s3rver), path-style.
    /// </summary>
    public static S3ObjectStore FromEnvironment(Func<string, string?> setting)
    {
        var bucket = setting("MLF_BUCKET") ?? throw new InvalidOperationException("MLF_BUCKET names the S3 bucket; it is not set.");
        var endpoint = setting("MLF_S3_ENDPOINT");
        var config = endpoint is null
            ? new AmazonS3Config()
            : new AmazonS3Config { ServiceURL = endpoint, ForcePathStyle = true, AuthenticationRegion = setting("AWS_REGION") ?? "us-east-1" };
        return new S3ObjectStore(new AmazonS3Client(Configure(config, StoreRetry.Default)), bucket);
    }

    public async Task<ObjectReader?> OpenReadAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            var response = await client.GetObjectAsync(Bucket, ObjectKeys.Check(key), cancellationToken).ConfigureAwait(false);
            return new ObjectReader(key, response.ResponseStream, response.ETag, response.ContentLength, owner: response);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
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
        ObjectKeys.Check(key);
        // One part is read first: content that fits in it is one PutObject; more goes up as a multipart upload,
        // a part at a time, so memory holds one part whatever the object's size.
        var (part, filled, whole) = await ObjectContent.ReadFirstPartAsync(content, PartBytes, cancellationToken).ConfigureAwait(false);
        return whole
            ? await PutAsync(key, part.AsMemory(0, filled), contentType, condition, cancellationToken).ConfigureAwait(false)
            : await MultipartAsync(key, content, part, filled, contentType, condition, cancellationToken).ConfigureAwait(false);
    }

    private async Task<string?> PutAsync(string key, ReadOnlyMemory<byte> content, string contentType, WriteCondition condition, CancellationToken cancellationToken)
    {
        var request = new PutObjectRequest
        {
            BucketName = Bucket,
            Key = key,
            InputStream = new MemoryStream(content.ToArray(), writable: false),
            ContentType = contentType,
            // Plain bodies: aws-chunked uploads are needless for objects in memory, and S3 look-alikes reject them.
            UseChunkEncoding = false,
            IfNoneMatch = condition.CreateOnly ? "*" : null,
            IfMatch = condition.IfMatch,
        };
        try
        {
            var response = await client.PutObjectAsync(request, cancellationToken).ConfigureAwait(false);
            return response.ETag;
        }
        catch (AmazonS3Exception e) when (IsConditionFailure(e, condition))
        {
            return null;
        }
        catch (Exception e) when (Unavailable(e, cancellationToken))
        {
            throw Failure("write", key, e);
        }
    }

    /// <summary>A multipart upload: parts of <see cref="PartBytes"/> (each retried by the SDK), the condition checked on completion; aborted on any failure, so nothing is half-written.</summary>
    private async Task<string?> MultipartAsync(string key, Stream content, byte[] part, int filled, string contentType, WriteCondition condition, CancellationToken cancellationToken)
    {
        string uploadId;
        try
        {
            uploadId = (await client.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = Bucket, Key = key, ContentType = contentType },
                cancellationToken).ConfigureAwait(false)).UploadId;
        }
        catch (Exception e) when (Unavailable(e, cancellationToken))
        {
            throw Failure("write", key, e);
        }
        try
        {
            var parts = new List<PartETag>();
            for (var number = 1; filled > 0; number++)
            {
                var uploaded = await client.UploadPartAsync(new UploadPartRequest
                {
                    BucketName = Bucket, Key = key, UploadId = uploadId, PartNumber = number,
                    InputStream = new MemoryStream(part, 0, filled, writable: false), PartSize = filled, UseChunkEncoding = false,
                }, cancellationToken).ConfigureAwait(false);
                parts.Add(new PartETag(number, uploaded.ETag));
                filled = await ObjectContent.FillAsync(content, part, cancellationToken).ConfigureAwait(false);
            }
            var completed = await client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
            {
                BucketName = Bucket, Key = key, UploadId = uploadId, PartETags = parts,
                IfNoneMatch = condition.CreateOnly ? "*" : null, IfMatch = condition.IfMatch,
            }, cancellationToken).ConfigureAwait(false);
            return completed.ETag;
        }
        catch (Exception e)
        {
            await AbortAsync(key, uploadId).ConfigureAwait(false);
            if (e is AmazonS3Exception s3 && IsConditionFailure(s3, condition))
            {
                return null;
            }
            if (Unavailable(e, cancellationToken))
            {
                throw Failure("write", key, e);
            }
            throw;
        }
    }

    private async Task AbortAsync(string key, string uploadId)
    {
        try
        {
            await client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = Bucket, Key = key, UploadId = uploadId }).ConfigureAwait(false);
        }
        catch (Exception e) when (Unavailable(e, CancellationToken.None))
        {
            // The bucket's lifecycle rule for incomplete uploads removes what an abort could not.
        }
    }

    public async IAsyncEnumerable<string> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var request = new ListObjectsV2Request { BucketName = Bucket, Prefix = prefix };
        ListObjectsV2Response response;
        do
        {
            try
            {
                response = await client.ListObjectsV2Async(request, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (Unavailable(e, cancellationToken))
            {
                throw Failure("list", prefix, e);
            }
            foreach (var item in response.S3Objects ?? [])
            {
                yield return item.Key;
            }
            request.ContinuationToken = response.NextContinuationToken;
        }
        while (response.IsTruncated == true);
    }

    /// <summary>What the SDK gave up on: an error answer, a network failure, or a try that timed out (not our own cancellation).</summary>
    private static bool Unavailable(Exception e, CancellationToken cancellationToken) =>
        e is AmazonServiceException or HttpRequestException or IOException or TimeoutException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    private ObjectStoreException Failure(string operation, string key, Exception e) => ObjectStoreException.After("S3", operation, key, _attempts, e switch
    {
        AmazonServiceException service when service.StatusCode != 0 => $"{(int)service.StatusCode} {service.ErrorCode}: {service.Message}",
        OperationCanceledException or TimeoutException => $"no answer within {client.Config.Timeout?.TotalSeconds:0.###} s",
        _ => e.Message,
    }, e);

    private static bool IsConditionFailure(AmazonServiceException e, WriteCondition condition) =>
        (condition.CreateOnly || condition.IfMatch is not null)
        && (e.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.Conflict || (condition.IfMatch is not null && e.StatusCode == HttpStatusCode.NotFound));
}
