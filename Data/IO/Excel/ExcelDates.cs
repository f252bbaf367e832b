using System.Globalization;

namespace MlToolkit.Data.IO.Excel;

/// <summary>
/// Excel keeps a date as a number of days (a serial) and says it is a date only through the cell's number format. This
/// tells date formats from others and turns serials into the ISO 8601 text the delimited reader reads as dates.
/// </summary>
public static class ExcelDates
{
    // The built-in formats that show a calendar date (ECMA-376 Part 1, 18.8.30): 14-17 and 22. 18-21 and 45-47 show a
    // time of day or a duration only; those stay numbers (a fraction of a day), as no date can be made of them.
    private static readonly HashSet<int> BuiltInDateFormats = new() { 14, 15, 16, 17, 22 };

    /// <summary>Whether number format <paramref name="id"/> (with <paramref name="code"/> when it is a custom one) shows a calendar date.</summary>
    public static bool IsDateFormat(int id, string? code)
    {
        if (BuiltInDateFormats.Contains(id))
            return true;
        return code is not null && ShowsDateParts(code);
    }

    /// <summary>
    /// The ISO 8601 text of <paramref name="serial"/>: <c>2024-03-15</c> for a whole day, <c>2024-03-15 13:45:00</c>
    /// otherwise. In the 1900 system serial 60 is Excel's 29 February 1900, a day that never was; it reads as 1 March.
    /// </summary>
    public static string FromSerial(double serial, bool date1904)
    {
        var epoch = date1904 ? new DateTime(1904, 1, 1) : serial < 61 ? new DateTime(1899, 12, 31) : new DateTime(1899, 12, 30);
        var ticks = (long)Math.Round(serial * TimeSpan.TicksPerDay / TimeSpan.TicksPerSecond) * TimeSpan.TicksPerSecond;
        var value = epoch.AddTicks(ticks);
        return value.TimeOfDay == TimeSpan.Zero
            ? value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : value.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
    }

    // A custom format shows a calendar date when, outside quoted literals, escapes and [colour]/[$-locale] brackets, it
    // uses d or y ("0.00", "#,##0", "General" and "h:mm" do not).
    private static bool ShowsDateParts(string code)
    {
        var quoted = false;
        var bracketed = false;
        for (var i = 0; i < code.Length; i++)
        {
            var c = code[i];
            if (c == '"')
                quoted = !quoted;
            else if (quoted)
                continue;
            else if (c == '\\' || c == '_' || c == '*')
                i++;
            else if (c == '[')
                bracketed = true;
            else if (c == ']')
                bracketed = false;
            else if (!bracketed && c is 'd' or 'D' or 'y' or 'Y')
                return true;
        }
        return false;
    }
}
