namespace MlFunctions.Core.Storage;

/// <summary>
/// Object keys come from events and users, and become file paths in the local store: a key is
/// relative ('/'-separated, no leading '/'), has no empty, '.' or '..' segment, no backslash or
/// control character, and at most 1024 bytes (S3's and GCS's limit).
/// </summary>
public static class ObjectKeys
{
    public const int MaxLength = 1024;

    /// <summary>Why <paramref name="key"/> is not a valid key, or null when it is.</summary>
    public static string? Problem(string? key)
    {
        if (string.IsNullOrEmpty(key))
        {
            return "the key is empty";
        }
        if (System.Text.Encoding.UTF8.GetByteCount(key) > MaxLength)
        {
            return $"the key is longer than {MaxLength} bytes";
        }
        if (key.Any(c => char.IsControl(c) || c == '\\'))
        {
            return "the key has a control character or a backslash";
        }
        if (key[0] == '/')
        {
            return "the key is an absolute path";
        }
        foreach (var segment in key.Split('/'))
        {
            if (segment is "" or "." or "..")
            {
                return $"the key has an empty, '.' or '..' segment";
            }
            if (segment.StartsWith(LocalFolderStore.ReservedPrefix, StringComparison.Ordinal))
            {
                return $"names starting with '{LocalFolderStore.ReservedPrefix}' are reserved";
            }
        }
        return null;
    }

    public static string Check(string key) =>
        Problem(key) is { } problem ? throw new ArgumentException($"'{key}' is not a valid object key: {problem}.", nameof(key)) : key;
}
