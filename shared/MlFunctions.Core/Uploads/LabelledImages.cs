using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using MlFunctions.Core.Contract;
using MlFunctions.Core.Imaging;

namespace MlFunctions.Core.Uploads;

/// <summary>
/// A zip of labelled images, as a folder of class folders zips: entries &lt;label&gt;/&lt;image&gt;, or
/// &lt;folder&gt;/&lt;label&gt;/&lt;image&gt; when every entry shares one top folder. Each image is read (bounded),
/// its header checked against the limits as the functions check a request's, and hashed: a file that is
/// not an image of ours, over the limits, unreadable or a duplicate is reported and skipped, never
/// fatal. A label with fewer than <see cref="MinimumPerLabel"/> images is reported and left out. The
/// set is rejected only when fewer than two labels are left.
/// </summary>
public sealed class LabelledImages
{
    public const int MinimumLabels = 2;
    public const int MinimumPerLabel = 5;
    public const int MaxEntries = 100_000;
    private const int MaxLabelLength = 128;
    private static readonly string[] ImageExtensions = [".jpg", ".jpeg", ".png", ".webp", ".gif", ".bmp"];

    private LabelledImages(IReadOnlyList<LabelledImage> images, IReadOnlyList<string> labels, string report, string? problem)
    {
        Images = images;
        Labels = labels;
        Report = report;
        Problem = problem;
    }

    /// <summary>The images that train, in entry order.</summary>
    public IReadOnlyList<LabelledImage> Images { get; }

    /// <summary>The labels that train, in ordinal order: the model's classes.</summary>
    public IReadOnlyList<string> Labels { get; }

    /// <summary>What was found, skipped and why, for people.</summary>
    public string Report { get; }

    /// <summary>Why the set cannot train a model, or null when it can.</summary>
    public string? Problem { get; }

    /// <param name="skippedBefore">What was skipped before the zip was made (a list of keys' missing objects), for the report.</param>
    public static LabelledImages Scan(ZipArchive zip, FunctionLimits limits, IEnumerable<string>? skippedBefore = null)
    {
        var report = new StringBuilder();
        var skipped = new List<string>(skippedBefore ?? []);
        if (zip.Entries.Count > MaxEntries)
        {
            return Rejected(report, $"The zip has {zip.Entries.Count:N0} entries; the limit is {MaxEntries:N0}.");
        }
        var files = zip.Entries.Where(e => !e.FullName.EndsWith('/') && !IsJunk(e.FullName)).ToList();
        var top = CommonTopFolder(files.Select(e => e.FullName));
        var seen = new Dictionary<string, string>(StringComparer.Ordinal); // sha256 -> first entry
        var kept = new List<LabelledImage>();
        long read = 0;
        foreach (var entry in files.OrderBy(e => e.FullName, StringComparer.Ordinal))
        {
            var path = top is null ? entry.FullName : entry.FullName[(top.Length + 1)..];
            var parts = path.Split('/');
            string? why = null;
            if (parts.Length != 2)
            {
                why = "not in a label folder (<label>/<image>)";
            }
            else if (LabelProblem(parts[0]) is { } bad)
            {
                why = bad;
            }
            else if (!ImageExtensions.Any(x => parts[1].EndsWith(x, StringComparison.OrdinalIgnoreCase)))
            {
                why = "not an image (.jpg, .jpeg, .png, .webp, .gif or .bmp)";
            }
            else if (entry.Length > limits.MaxImageObjectBytes)
            {
                why = $"{entry.Length:N0} bytes, over the limit of {limits.MaxImageObjectBytes:N0} (MLF_MAX_IMAGE_OBJECT_BYTES)";
            }
            else if (TryRead(entry, limits, out var bytes) is { } unreadable)
            {
                why = unreadable;
            }
            else
            {
                read += bytes.Length;
                if (read > limits.MaxObjectBytes)
                {
                    return Rejected(report, $"The zip's images expand to more than {limits.MaxObjectBytes:N0} bytes (MLF_MAX_OBJECT_BYTES).");
                }
                why = ImageProblem(bytes, limits);
                var hash = Convert.ToHexStringLower(SHA256.HashData(bytes));
                if (why is null && seen.TryGetValue(hash, out var first))
                {
                    why = $"the same image as {first}";
                }
                seen.TryAdd(hash, entry.FullName);
            }
            if (why is null)
            {
                kept.Add(new LabelledImage(entry.FullName, parts[0]));
            }
            else
            {
                skipped.Add($"{entry.FullName}: {why}");
            }
        }
        var counts = kept.GroupBy(i => i.Label, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        foreach (var (label, count) in counts.Where(c => c.Value < MinimumPerLabel).OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            skipped.Add($"label '{label}': {count} image{(count == 1 ? "" : "s")}, fewer than {MinimumPerLabel}; left out");
        }
        var labels = counts.Where(c => c.Value >= MinimumPerLabel).Select(c => c.Key).Order(StringComparer.Ordinal).ToArray();
        var images = kept.Where(i => labels.Contains(i.Label)).ToArray();
        report.AppendLine(CultureInfo.InvariantCulture, $"images: {images.Length:N0} in {labels.Length} labels: {string.Join(", ", labels.Select(l => $"{l} {counts[l]:N0}"))}");
        report.AppendLine(CultureInfo.InvariantCulture, $"skipped: {skipped.Count:N0}");
        foreach (var line in skipped.Take(50))
        {
            report.AppendLine(CultureInfo.InvariantCulture, $"  {line}");
        }
        if (skipped.Count > 50)
        {
            report.AppendLine(CultureInfo.InvariantCulture, $"  ... and {skipped.Count - 50:N0} more");
        }
        return labels.Length < MinimumLabels
            ? Rejected(report, $"Training needs at least {MinimumLabels} labels with {MinimumPerLabel} or more images each; the zip has {labels.Length}.")
            : new LabelledImages(images, labels, report.AppendLine("accepted").ToString(), null);
    }

    /// <summary>An entry's bytes, read to at most the image limit whatever its header claims.</summary>
    public static byte[] Read(ZipArchiveEntry entry, FunctionLimits limits)
    {
        using var stream = entry.Open();
        using var copy = new MemoryStream();
        var buffer = new byte[81920];
        int n;
        while ((n = stream.Read(buffer)) > 0)
        {
            copy.Write(buffer, 0, n);
            if (copy.Length > limits.MaxImageObjectBytes)
            {
                throw ProblemType.BodyTooLarge.With($"'{entry.FullName}' expands past {limits.MaxImageObjectBytes:N0} bytes (MLF_MAX_IMAGE_OBJECT_BYTES).");
            }
        }
        return copy.ToArray();
    }

    // A lying size, or a damaged deflate stream, is that entry's problem.
    private static string? TryRead(ZipArchiveEntry entry, FunctionLimits limits, out byte[] bytes)
    {
        try
        {
            bytes = Read(entry, limits);
            return null;
        }
        catch (Exception e) when (e is ProblemException or InvalidDataException)
        {
            bytes = [];
            return e.Message;
        }
    }

    private static string? ImageProblem(byte[] bytes, FunctionLimits limits)
    {
        try
        {
            ImageSource.Open(bytes, limits).Dispose();
            return null;
        }
        catch (ProblemException e)
        {
            return e.Message;
        }
    }

    private static string? LabelProblem(string label) =>
        label.Length == 0 ? "an empty label folder"
        : label.Length > MaxLabelLength ? $"a label over {MaxLabelLength} characters"
        : label.Any(char.IsControl) || label.Trim() != label ? "a label with control characters or surrounding spaces"
        : null;

    // macOS's resource forks and hidden files, which zipping a folder on a Mac adds.
    private static bool IsJunk(string name) => name.StartsWith("__MACOSX/", StringComparison.Ordinal) || name.Split('/').Any(p => p.StartsWith('.'));

    private static string? CommonTopFolder(IEnumerable<string> names)
    {
        string? top = null;
        foreach (var name in names)
        {
            var parts = name.Split('/');
            if (parts.Length != 3 || (top is not null && top != parts[0]))
            {
                return null;
            }
            top = parts[0];
        }
        return top;
    }

    private static LabelledImages Rejected(StringBuilder report, string problem) =>
        new([], [], report.AppendLine(CultureInfo.InvariantCulture, $"rejected: {problem}").ToString(), problem);
}

/// <summary>An image of a training zip: its entry and its label (the folder it is in).</summary>
public sealed record LabelledImage(string Entry, string Label);
