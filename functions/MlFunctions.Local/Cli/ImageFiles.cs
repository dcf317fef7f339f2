namespace MlFunctions.Local.Cli;

/// <summary>Expands files and folders into the image files they hold, in a stable order.</summary>
internal static class ImageFiles
{
    private static readonly string[] Extensions = [".jpg", ".jpeg", ".png", ".webp", ".gif", ".bmp"];

    public static List<string> Find(IEnumerable<string> paths) => paths
        .SelectMany<string, string>(path => Directory.Exists(path)
            ? Directory.EnumerateFiles(path).Where(f => Extensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase)).Order(StringComparer.Ordinal)
            : File.Exists(path) ? [path] : [])
        .ToList();
}
