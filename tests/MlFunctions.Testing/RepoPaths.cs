namespace MlFunctions.Testing;

/// <summary>Where the repository and its test data are, found from the running test assembly.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string ExifImages => Path.Combine(Root, "tests", "data", "images", "exif");

    /// <summary>samples/penguins.csv, which the product ships as its sample data.</summary>
    public static string Penguins => Path.Combine(Root, "samples", "penguins.csv");

    /// <summary>samples/penguins.parquet: the same rows, written by arrow-rs (samples/README.md).</summary>
    public static string PenguinsParquet => Path.Combine(Root, "samples", "penguins.parquet");

    public static string Artifacts => Path.Combine(Root, "artifacts");

    public static string ExifImage(string name) => Path.Combine(ExifImages, name + ".jpg");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Functions.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"No Functions.sln above {AppContext.BaseDirectory}.");
    }
}
