using MlFunctions.Core.Storage;
using MlFunctions.Core.Uploads;

namespace MlFunctions.Storage.Azure;

/// <summary>on-upload for a blob event in either Azure app: an event from another container than the app's is ignored, saying so.</summary>
public static class ContainerUploads
{
    public static Task<UploadOutcome> HandleAsync(OnUploadFunction onUpload, ObjectCreated upload, IObjectStore bucket, CancellationToken cancellationToken) =>
        upload.Bucket == bucket.Bucket
            ? onUpload.HandleAsync(upload, bucket, cancellationToken)
            : Task.FromResult(UploadOutcome.Ignored(upload.Key, $"container '{upload.Bucket}' is not this app's container ('{bucket.Bucket}', MLF_BUCKET)"));
}
