using System.IO.Compression;
using MlFunctions.Core.Contract;
using MlFunctions.Core.Storage;
using MlFunctions.Core.Tabular;

namespace MlFunctions.Core.Uploads;

/// <summary>
/// For buckets where zips are awkward: a CSV of object keys and labels (columns <c>key</c> and
/// <c>label</c>) naming images already in the bucket. The images are fetched (each bounded by the image
/// limit, all together by the object limit) into a local zip of label folders, deleted when closed,
/// which is then read as a dropped zip is; a row without a key or label, a key that is not one or is
/// not in the bucket, or an image over the limit is reported and skipped.
/// </summary>
public static class ImageKeyList
{
    public static async Task<(FileStream Zip, List<string> Skipped)> ToZipAsync(IObjectStore store, Stream csv, FunctionLimits limits, CancellationToken cancellationToken)
    {
        using var table = TableFiles.Open(csv, TableFormat.Csv);
        var header = table.Header.Select(h => h.Trim()).ToArray();
        if (!header.Contains("key") || !header.Contains("label"))
        {
            throw ProblemType.InvalidCsv.With($"A list of images needs the columns key and label; its columns are: {string.Join(", ", table.Header)}.", "key");
        }
        var skipped = new List<string>();
        var file = TempFiles.Spool(Stream.Null, "images");
        try
        {
            long total = 0, rows = 0;
            using (var zip = new ZipArchive(file, ZipArchiveMode.Create, leaveOpen: true))
            {
                foreach (var row in table.Rows(["key", "label"]))
                {
                    if (++rows > LabelledImages.MaxEntries)
                    {
                        throw ProblemType.TooManyRecords.With($"The list names more than {LabelledImages.MaxEntries:N0} images.", "key");
                    }
                    var (key, label) = (row[0].Text?.Trim(), row[1].Text?.Trim());
                    var why = string.IsNullOrEmpty(key) || string.IsNullOrEmpty(label) ? "no key or no label"
                        : ObjectKeys.Problem(key) is { } bad ? bad
                        : label.Contains('/', StringComparison.Ordinal) ? "a label with '/'"
                        : null;
                    StoredObject? image = null;
                    if (why is null)
                    {
                        try
                        {
                            image = await store.ReadAsync(key!, cancellationToken, limits.MaxImageObjectBytes).ConfigureAwait(false);
                            why = image is null ? "not in the bucket" : null;
                        }
                        catch (ObjectTooLargeException e)
                        {
                            why = $"{e.Message} (MLF_MAX_IMAGE_OBJECT_BYTES)";
                        }
                    }
                    if (why is not null || image is null)
                    {
                        skipped.Add($"row {rows:N0} ({key}): {why}");
                        continue;
                    }
                    if ((total += image.Content.Length) > limits.MaxObjectBytes)
                    {
                        throw ProblemType.BodyTooLarge.With($"The listed images add up to more than {limits.MaxObjectBytes:N0} bytes (MLF_MAX_OBJECT_BYTES).", "key");
                    }
                    await using var entry = zip.CreateEntry($"{label}/{key!.Replace('/', '_')}", CompressionLevel.NoCompression).Open();
                    await entry.WriteAsync(image.Content, cancellationToken).ConfigureAwait(false);
                }
            }
            file.Position = 0;
            return (file, skipped);
        }
        catch
        {
            await file.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
