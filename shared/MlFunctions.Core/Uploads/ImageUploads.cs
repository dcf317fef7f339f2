using MlFunctions.Core.Contract;
using MlFunctions.Core.Imaging;
using MlFunctions.Core.Json;
using MlFunctions.Core.Storage;

namespace MlFunctions.Core.Uploads;

/// <summary>
/// incoming/images/&lt;name&gt; -> processed/images/&lt;name&gt;/&lt;variant&gt;.&lt;ext&gt;, then status.json.
/// An image that cannot be processed gets a failed status.json with the problem, and no exception, so a
/// platform does not retry it forever. Rewriting the same variants on a repeated event is harmless.
/// </summary>
internal sealed class ImageUploads(FunctionLimits limits, IReadOnlyList<ImageVariant> variants, TimeProvider clock)
{
    public async Task<UploadOutcome> HandleAsync(IObjectStore store, string key, string name, CancellationToken cancellationToken)
    {
        var statusKey = BucketLayout.ImageStatus(name);
        StoredObject? stored;
        try
        {
            // An image is decoded whole, so it is read whole, within its own limit.
            stored = await store.ReadAsync(key, cancellationToken, limits.MaxImageObjectBytes).ConfigureAwait(false);
        }
        catch (ObjectTooLargeException e)
        {
            var problem = ProblemType.BodyTooLarge.With($"'{key}' has {e.Bytes:N0} bytes or more; the limit is {e.Limit:N0} (MLF_MAX_IMAGE_OBJECT_BYTES).");
            var refused = new ImageStatus(key, "", "failed", clock.GetUtcNow(), [], problem.ToProblem());
            await store.WriteJsonAsync(statusKey, refused, CoreJsonContext.Web.ImageStatus, WriteCondition.Always, cancellationToken).ConfigureAwait(false);
            return new UploadOutcome(key, "images", UploadResults.Rejected, problem.Message, [statusKey]);
        }
        if (stored is null)
        {
            return UploadOutcome.Ignored(key, "the object is gone");
        }
        var written = new List<string>();
        try
        {
            foreach (var variant in variants)
            {
                var image = ImageResizer.Resize(stored.Content, variant.Options, limits);
                var target = BucketLayout.ProcessedImage(name, variant.Name, Extension(image.Format));
                await store.WriteAsync(target, image.Bytes, image.ContentType, WriteCondition.Always, cancellationToken).ConfigureAwait(false);
                written.Add(target);
            }
        }
        catch (ProblemException e)
        {
            var failed = new ImageStatus(key, stored.ETag, "failed", clock.GetUtcNow(), written, e.ToProblem());
            await store.WriteJsonAsync(statusKey, failed, CoreJsonContext.Web.ImageStatus, WriteCondition.Always, cancellationToken).ConfigureAwait(false);
            return new UploadOutcome(key, "images", UploadResults.Rejected, e.Message, [.. written, statusKey]);
        }
        var status = new ImageStatus(key, stored.ETag, "succeeded", clock.GetUtcNow(), written, null);
        await store.WriteJsonAsync(statusKey, status, CoreJsonContext.Web.ImageStatus, WriteCondition.Always, cancellationToken).ConfigureAwait(false);
        return new UploadOutcome(key, "images", UploadResults.Processed, $"{written.Count} variants", [.. written, statusKey]);
    }

    private static string Extension(ImageFormat format) => format switch
    {
        ImageFormat.Jpeg => "jpg",
        ImageFormat.Png => "png",
        _ => "webp",
    };
}

/// <summary>processed/images/&lt;name&gt;/status.json: what became of an uploaded image.</summary>
public sealed record ImageStatus(string Source, string SourceETag, string State, DateTimeOffset UpdatedAt, IReadOnlyList<string> Variants, Problem? Problem);
