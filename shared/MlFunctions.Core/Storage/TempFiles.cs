namespace MlFunctions.Core.Storage;

/// <summary>Local copies of objects for formats read from their end (Parquet's footer, a zip's directory).</summary>
public static class TempFiles
{
    /// <summary>
    /// <paramref name="content"/> copied (and disposed) into a temporary file, positioned at its start and
    /// deleted when closed. A store or disk failure (no room in the temporary folder) is not the object's
    /// fault: it propagates, and the event is retried.
    /// </summary>
    public static FileStream Spool(Stream content, string kind)
    {
        var path = Path.Combine(Path.GetTempPath(), $"mlf-{kind}-{Guid.NewGuid():N}.tmp");
        var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
        try
        {
            using (content)
            {
                content.CopyTo(file);
            }
            file.Position = 0;
            return file;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }
}
