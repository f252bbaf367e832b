using System.Globalization;

namespace MlToolkit.Data.Delimited;

/// <summary>
/// Reads calendar dates and date-times written year first (ISO 8601 and its common variants): <c>2024-03-15</c>,
/// <c>2024/03/15</c>, with a time <c>13:45</c> or <c>13:45:30.25</c> after a space or <c>T</c>, and an optional zone
/// (<c>Z</c>, <c>+02:00</c>; none means UTC). Day-first and month-first forms (<c>15/03/2024</c>, <c>03/15/2024</c>) are
/// not read: which one a file means cannot be told from one value.
/// </summary>
public static class DateText
{
    private static readonly string[] Formats = BuildFormats();

    /// <summary>What a date column expects, for the error about a value that is no date; <paramref name="asText"/> says how to read the column as text instead.</summary>
    public static string Expected(string asText) =>
        $"expected a date written year first, such as 2024-03-15 or 2024-03-15 13:45:30, or a missing value (the column was read as dates; read it as text with {asText})";

    /// <summary>Whether <paramref name="text"/> is a date or date-time in one of the forms read; <paramref name="value"/> is it.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out DateTimeOffset value)
    {
        var trimmed = text.Trim();
        // Cheap rejection first: schema inference asks this of every text field it samples.
        if (trimmed.Length < 10 || !char.IsAsciiDigit(trimmed[0]) || (trimmed[4] != '-' && trimmed[4] != '/'))
        {
            value = default;
            return false;
        }
        return DateTimeOffset.TryParseExact(trimmed, Formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);
    }

    private static string[] BuildFormats()
    {
        var formats = new List<string>();
        foreach (var date in new[] { "yyyy-MM-dd", "yyyy/MM/dd" })
        {
            formats.Add(date);
            formats.Add(date + "K");
            foreach (var separator in new[] { " ", "'T'" })
            {
                formats.Add(date + separator + "HH:mmK");
                formats.Add(date + separator + "HH:mm:ss.FFFFFFFK");
            }
        }
        return formats.ToArray();
    }
}
