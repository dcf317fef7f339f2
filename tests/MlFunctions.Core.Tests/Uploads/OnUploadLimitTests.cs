using MlFunctions.Core.Contract;
using MlFunctions.Core.Models.Store;
using MlFunctions.Core.Storage;
using MlFunctions.Core.Uploads;

namespace MlFunctions.Core.Tests.Uploads;

/// <summary>on-upload's guards that act before anything is read.</summary>
public sealed class OnUploadLimitTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("mlf-upload-").FullName;

    [Fact]
    public async Task An_object_larger_than_the_limit_is_refused_without_being_read()
    {
        var bucket = new LocalFolderStore(_root);
        var limits = FunctionLimits.Default with { MaxObjectBytes = 1000 };
        var onUpload = new OnUploadFunction(limits, new ModelCache(new ObjectModelStore(bucket), TimeSpan.Zero), ImageVariant.Parse(null, limits));
        // The event says 5 GB; the object is not even there, so reading it would show.
        var outcome = await onUpload.HandleAsync(new ObjectCreated(bucket.Bucket, "incoming/images/huge.jpg", 5_000_000_000, "e"), bucket, CancellationToken.None);

        Assert.Equal(UploadResults.Rejected, outcome.Result);
        Assert.Contains("MLF_MAX_OBJECT_BYTES", outcome.Detail, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_root, "*", SearchOption.AllDirectories));
    }

    [Theory]
    [InlineData("incoming/images/../../escape.jpg")]
    [InlineData("/etc/passwd")]
    [InlineData("training/pen guins!/a.csv")]
    public async Task Keys_that_are_unsafe_or_name_no_valid_model_are_ignored(string key)
    {
        var bucket = new LocalFolderStore(_root);
        var onUpload = new OnUploadFunction(FunctionLimits.Default, new ModelCache(new ObjectModelStore(bucket), TimeSpan.Zero), ImageVariant.Parse(null, FunctionLimits.Default));

        var outcome = await onUpload.HandleAsync(new ObjectCreated(bucket.Bucket, key, 10, "e"), bucket, CancellationToken.None);

        Assert.Equal(UploadResults.Ignored, outcome.Result);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
