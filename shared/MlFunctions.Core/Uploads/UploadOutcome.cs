namespace MlFunctions.Core.Uploads;

/// <summary>What on-upload did with one object: adapters log it and return it; it is never an exception for bad input.</summary>
/// <param name="Route">images, training, batch or ignored.</param>
/// <param name="Result">One of <see cref="UploadResults"/>.</param>
/// <param name="Written">The keys it wrote.</param>
public sealed record UploadOutcome(string Key, string Route, string Result, string Detail, IReadOnlyList<string> Written)
{
    public static UploadOutcome Ignored(string key, string detail) => new(key, "ignored", UploadResults.Ignored, detail, []);
}

/// <summary>The results of an upload.</summary>
public static class UploadResults
{
    /// <summary>Outputs written (image variants, predictions).</summary>
    public const string Processed = "processed";

    /// <summary>A training job was created.</summary>
    public const string Queued = "queued";

    /// <summary>The same upload was seen before: nothing new was written.</summary>
    public const string Duplicate = "duplicate";

    /// <summary>The object is not acceptable (corrupt image, CSV without the label...): a status document says why.</summary>
    public const string Rejected = "rejected";

    /// <summary>Not under a prefix on-upload handles, or a key it will not touch.</summary>
    public const string Ignored = "ignored";
}
