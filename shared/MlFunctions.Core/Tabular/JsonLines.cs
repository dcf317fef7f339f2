using System.Text.Json;
using MlFunctions.Core.Contract;

namespace MlFunctions.Core.Tabular;

/// <summary>
/// JSON Lines (one JSON object a line, UTF-8) read from a stream as records, line by line, each line's
/// bytes bounded: a line longer than <see cref="MaxLineBytes"/>, or one that is not a JSON object, is
/// that row's problem, and the next line is read as usual. Blank lines are skipped, as the format allows.
/// </summary>
public static class JsonLines
{
    public const int MaxLineBytes = 1 << 20;

    /// <summary>Each line's object (cloned: it outlives the line's buffer), or the problem of its line (numbered from 1).</summary>
    public static IEnumerable<(JsonElement Record, ProblemException? Problem)> Records(Stream stream)
    {
        var buffer = new byte[64 * 1024];
        var line = new MemoryStream();
        var tooLong = false;
        long number = 0;
        int count = 0, position = 0;
        while (true)
        {
            if (position == count)
            {
                (count, position) = (stream.Read(buffer, 0, buffer.Length), 0);
                if (count == 0)
                {
                    if ((line.Length > 0 || tooLong) && Emit() is { } lastRow)
                    {
                        yield return lastRow;
                    }
                    yield break;
                }
            }
            var newline = Array.IndexOf(buffer, (byte)'\n', position, count - position);
            var stop = newline < 0 ? count : newline;
            if (!tooLong && line.Length + (stop - position) > MaxLineBytes)
            {
                tooLong = true; // the rest of this line is skipped, not held
                line.SetLength(0);
            }
            if (!tooLong)
            {
                line.Write(buffer, position, stop - position);
            }
            position = newline < 0 ? count : newline + 1;
            if (newline >= 0 && Emit() is { } row)
            {
                yield return row;
            }
        }

        // The line gathered so far as a record or its problem; null for a blank line, which is not a record.
        (JsonElement Record, ProblemException? Problem)? Emit()
        {
            number++;
            var row = tooLong
                ? (default, ProblemType.InvalidRecord.With($"Line {number} is longer than {MaxLineBytes:N0} bytes.", "line", number))
                : Parse(line.GetBuffer().AsMemory(0, (int)line.Length), number);
            line.SetLength(0);
            tooLong = false;
            if (row is { Record.ValueKind: JsonValueKind.Undefined, Problem: null })
            {
                number--;
                return null;
            }
            return row;
        }
    }

    private static (JsonElement Record, ProblemException? Problem) Parse(ReadOnlyMemory<byte> bytes, long number)
    {
        var text = bytes.Span.TrimEnd("\r"u8).Trim(" \t"u8);
        if (text.IsEmpty)
        {
            return (default, null);
        }
        try
        {
            using var document = JsonDocument.Parse(text.ToArray());
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? (document.RootElement.Clone(), null)
                : (default, ProblemType.InvalidRecord.With($"Line {number} is {document.RootElement.ValueKind}, not an object of column values.", "line", number));
        }
        catch (JsonException e)
        {
            return (default, ProblemType.InvalidJson.With($"Line {number} is not valid JSON: {JsonErrors.Describe(e)}", "line", number));
        }
    }
}
