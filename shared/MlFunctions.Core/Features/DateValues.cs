using System.Globalization;
using MlFunctions.Core.Tabular;

namespace MlFunctions.Core.Features;

/// <summary>
/// Reads the dates of a datetime column (<see cref="ColumnSpec.Format"/>) and splits them into the parts
/// that become features. Clock times are kept as written: an offset is read but not applied, so the
/// hour is the local hour the value states (what a weather or sales record means by it).
/// </summary>
public static class DateValues
{
    public const string Year = "year";
    public const string Month = "month";
    public const string DayOfWeek = "dayOfWeek";
    public const string DayOfYear = "dayOfYear";
    public const string Hour = "hour";
    public const string MonthFirst = "mdy";
    public const string DayFirst = "dmy";
    public const int MaxFormatLength = 64;

    public static readonly string[] AllParts = [Year, Month, DayOfWeek, DayOfYear, Hour];

    private const double SecondsPerYear = 365.2425 * 86_400;

    private static readonly string[] Times = ["", " HH:mm", " HH:mm:ss", " HH:mm:ss.FFFFFFF", " H:mm", " H:mm:ss"];

    private static readonly string[] Iso = [.. new[] { "yyyy-MM-dd", "yyyy/MM/dd" }
        .SelectMany(date => new[] { "", "'T'HH:mm", "'T'HH:mm:ss", "'T'HH:mm:ss.FFFFFFF", " HH:mm", " HH:mm:ss", " HH:mm:ss.FFFFFFF" }
            .SelectMany(time => new[] { date + time, date + time + "K", date + time + " K" })),
        "d MMM yyyy", "d MMMM yyyy", "MMM d, yyyy", "MMMM d, yyyy", "d-MMM-yyyy", "ddd, dd MMM yyyy HH:mm:ss 'GMT'"];

    private static readonly string[] Mdy = Numeric("M/d/yyyy", "M-d-yyyy", "M.d.yyyy", "M/d/yy");
    private static readonly string[] Dmy = Numeric("d/M/yyyy", "d-M-yyyy", "d.M.yyyy", "d/M/yy");

    /// <summary>The formats tried when proposing a spec, in order: the first that reads every sampled value wins.</summary>
    public static readonly string?[] Proposed = [null, MonthFirst, DayFirst];

    /// <summary>The value as a clock time, or false when it is not a date in <paramref name="format"/>.</summary>
    public static bool TryRead(Cell cell, string? format, out DateTime value)
    {
        value = default;
        if (cell.Type != CellType.Text)
        {
            return false;
        }
        var formats = format switch { null => Iso, MonthFirst => Mdy, DayFirst => Dmy, _ => [format] };
        var read = DateTimeOffset.TryParseExact(cell.Text, formats, CultureInfo.InvariantCulture,
            DateTimeStyles.AllowWhiteSpaces | DateTimeStyles.AssumeUniversal, out var parsed);
        value = parsed.DateTime;
        return read;
    }

    /// <summary>Whether <paramref name="format"/> is one this class reads: unset, mdy, dmy, or a custom format that reads back what it writes.</summary>
    public static bool IsValidFormat(string? format)
    {
        if (format is null or MonthFirst or DayFirst)
        {
            return true;
        }
        if (format.Length is 0 or > MaxFormatLength)
        {
            return false;
        }
        var probe = new DateTime(2001, 2, 3, 4, 5, 6);
        try
        {
            var written = probe.ToString(format, CultureInfo.InvariantCulture);
            return TryRead(new Cell(CellType.Text, Text: written), format, out var back) && back.Date == probe.Date;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>Seconds since 1970-01-01 of the clock time, the scale the fitted statistics use.</summary>
    public static double ToSeconds(DateTime value) => (value - DateTime.UnixEpoch).TotalSeconds;

    public static DateTime FromSeconds(double seconds) =>
        DateTime.UnixEpoch.AddSeconds(Math.Clamp(seconds, ToSeconds(DateTime.MinValue), ToSeconds(DateTime.MaxValue.Date)));

    /// <summary>The time as a fractional year's worth of seconds, so a standardised "year" is a trend over the whole range.</summary>
    public static double YearsFromSeconds(double seconds) => seconds / SecondsPerYear;

    /// <summary>A cyclic part's position in its cycle, from 0 (inclusive) to 1 (exclusive).</summary>
    public static double Phase(DateTime value, string part) => part switch
    {
        Month => (value.Month - 1) / 12.0,
        DayOfWeek => (int)value.DayOfWeek / 7.0,
        DayOfYear => (value.DayOfYear - 1) / (DateTime.IsLeapYear(value.Year) ? 366.0 : 365.0),
        Hour => value.TimeOfDay.TotalHours / 24,
        _ => throw new ArgumentException($"'{part}' is not a cyclic part.", nameof(part)),
    };

    private static string[] Numeric(params string[] dates) => [.. dates.SelectMany(date => Times.Select(time => date + time))];
}
