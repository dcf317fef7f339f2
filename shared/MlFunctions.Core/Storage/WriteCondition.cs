namespace MlFunctions.Core.Storage;

/// <summary>When a write may happen: always, only if the key is free (If-None-Match: *), or only if the object is unchanged (If-Match).</summary>
public readonly record struct WriteCondition
{
    private WriteCondition(bool createOnly, string? ifMatch)
    {
        CreateOnly = createOnly;
        IfMatch = ifMatch;
    }

    public bool CreateOnly { get; }

    /// <summary>The ETag the object must still have.</summary>
    public string? IfMatch { get; }

    public static WriteCondition Always => default;

    public static WriteCondition IfNoneMatch => new(true, null);

    public static WriteCondition Unchanged(string etag) => new(false, etag);

    /// <summary>Create-only when there was no object, else replace-if-unchanged.</summary>
    public static WriteCondition Replacing(StoredObject? current) => current is null ? IfNoneMatch : Unchanged(current.ETag);
}
