using System.Text;
using MlFunctions.Core.Contract;
using MlFunctions.Core.Storage;

namespace MlFunctions.Core.Tabular;

/// <summary>The formats training and batch files come in, told apart by extension.</summary>
public enum TableFormat
{
    Csv,
    JsonLines,
    Parquet,
}

/// <summary>Opens a data file as an <see cref="ITable"/> by its extension: .csv, .jsonl or .ndjson, .parquet.</summary>
public static class TableFiles
{
    /// <summary>For messages: the extensions <see cref="FormatOf"/> knows.</summary>
    public const string Extensions = ".csv, .jsonl, .ndjson or .parquet";

    private static readonly (string Extension, TableFormat Format)[] Known =
        [(".csv", TableFormat.Csv), (".jsonl", TableFormat.JsonLines), (".ndjson", TableFormat.JsonLines), (".parquet", TableFormat.Parquet)];

    /// <summary>The format of a file named <paramref name="name"/>, or null when its extension is none of ours (or it is only an extension).</summary>
    public static TableFormat? FormatOf(string name)
    {
        foreach (var (extension, format) in Known)
        {
            if (name.Length > extension.Length && name.EndsWith(extension, StringComparison.OrdinalIgnoreCase) && name[^(extension.Length + 1)] != '/')
            {
                return format;
            }
        }
        return null;
    }

    /// <summary>Opens a local file; an extension that is none of ours is a 400.</summary>
    public static ITable Open(string path)
    {
        var format = FormatOf(path) ?? throw ProblemType.InvalidParameter.With($"'{Path.GetFileName(path)}' is not a data file: its name ends in none of {Extensions}.", "data");
        return Open(File.OpenRead(path), format);
    }

    /// <summary>
    /// Opens <paramref name="content"/> as <paramref name="format"/>; the table owns the stream. CSV and
    /// JSON Lines stream as they are read. Parquet keeps its index at the end, so a stream that cannot
    /// seek (an object store's) is copied to a temporary file first, deleted when the table is.
    /// </summary>
    public static ITable Open(Stream content, TableFormat format)
    {
        try
        {
            return format switch
            {
                TableFormat.Csv => CsvTable.Open(new StreamReader(content, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16, leaveOpen: false)),
                TableFormat.JsonLines => JsonLinesTable.Open(content),
                _ => ParquetTable.Open(content.CanSeek ? content : TempFiles.Spool(content, "parquet")),
            };
        }
        catch when (format != TableFormat.Parquet)
        {
            content.Dispose();
            throw;
        }
    }
}
