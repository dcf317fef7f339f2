using System.Text;

namespace MlFunctions.Testing;

/// <summary>
/// Mutates real inputs, repeatably from its seed: truncation, bit flips, overwritten header bytes,
/// huge declared sizes, and for JSON also deep nesting, huge strings and values of the wrong type.
/// </summary>
public sealed class Mutator(int seed)
{
    private static readonly string[] WrongValues = ["null", "\"x\"", "{}", "[]", "true", "-1", "0", "1e309", "99999999999999999999", "\"NaN\"", "[[[]]]", "\"\\u0000\""];
    private readonly Random _random = new(seed);

    public byte[] Bytes(byte[] seed)
    {
        var bytes = seed.ToArray();
        switch (_random.Next(5))
        {
            case 0:
                return bytes[.._random.Next(bytes.Length)];
            case 1:
                for (var flips = _random.Next(1, 20); flips > 0 && bytes.Length > 0; flips--)
                {
                    bytes[_random.Next(bytes.Length)] ^= (byte)(1 << _random.Next(8));
                }
                return bytes;
            case 2:
                // Overwrite a run near the start, where headers and declared sizes live.
                var start = _random.Next(Math.Min(bytes.Length, 64) + 1);
                for (var j = start; j < Math.Min(bytes.Length, start + _random.Next(1, 8)); j++)
                {
                    bytes[j] = (byte)_random.Next(256);
                }
                return bytes;
            case 3:
                // A huge declared size: four 0xFF (or 0x7F...) bytes somewhere in the header.
                var at = _random.Next(Math.Max(1, Math.Min(bytes.Length - 4, 40)));
                for (var j = at; j < Math.Min(bytes.Length, at + 4); j++)
                {
                    bytes[j] = j == at && _random.Next(2) == 0 ? (byte)0x7F : (byte)0xFF;
                }
                return bytes;
            default:
                // A chunk repeated: lengths and offsets no longer line up.
                var from = _random.Next(bytes.Length + 1);
                var length = _random.Next(Math.Min(256, bytes.Length - from) + 1);
                return [.. bytes[..from], .. bytes.AsSpan(from, length), .. bytes[from..]];
        }
    }

    public byte[] Json(byte[] seed)
    {
        var text = Encoding.UTF8.GetString(seed);
        switch (_random.Next(6))
        {
            case 0:
            case 1:
                return Bytes(seed);
            case 2:
                // Deep nesting around the document or inside it.
                var depth = _random.Next(2, 5000);
                return Encoding.UTF8.GetBytes(new string('[', depth) + text + new string(']', _random.Next(2) == 0 ? depth : depth / 2));
            case 3:
                // A huge string where a value was.
                return Encoding.UTF8.GetBytes(ReplaceValue(text, "\"" + new string('a', _random.Next(1, 2_000_000)) + "\""));
            case 4:
                return Encoding.UTF8.GetBytes(ReplaceValue(text, WrongValues[_random.Next(WrongValues.Length)]));
            default:
                // A huge array where a value was.
                return Encoding.UTF8.GetBytes(ReplaceValue(text, "[" + string.Join(',', Enumerable.Repeat("1", _random.Next(1, 200_000))) + "]"));
        }
    }

    /// <summary>Replaces the value after a random ':' (up to the next ',' '}' or ']') with <paramref name="value"/>.</summary>
    private string ReplaceValue(string text, string value)
    {
        var colons = Enumerable.Range(0, text.Length).Where(i => text[i] == ':').ToArray();
        if (colons.Length == 0)
        {
            return value;
        }
        var start = colons[_random.Next(colons.Length)] + 1;
        var end = start;
        var nesting = 0;
        var quoted = false;
        for (; end < text.Length; end++)
        {
            var c = text[end];
            if (c == '"' && (end == 0 || text[end - 1] != '\\'))
            {
                quoted = !quoted;
            }
            else if (!quoted && (c is '[' or '{'))
            {
                nesting++;
            }
            else if (!quoted && (c is ']' or '}'))
            {
                if (nesting-- == 0)
                {
                    break;
                }
            }
            else if (!quoted && c == ',' && nesting == 0)
            {
                break;
            }
        }
        return text[..start] + value + text[end..];
    }
}
