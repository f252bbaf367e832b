using System.Globalization;

namespace MlToolkit.Data.Delimited;

/// <summary>Which part of a written date comes first.</summary>
public enum DateOrder
{
    /// <summary>ISO 8601 and its common variants: <c>2024-03-15</c>, <c>2024/03/15</c>. Always unambiguous.</summary>
    YearFirst,

    /// <summary>Month, day, year: <c>03/15/2024</c>, <c>3-15-2024</c>, <c>3.15.2024</c>, <c>3/15/24</c> (as US software writes them).</summary>
    MonthFirst,

    /// <summary>Day, month, year: <c>15/03/2024</c>, <c>15-3-2024</c>, <c>15.03.2024</c>, <c>15/03/24</c> (as most of the world writes them).</summary>
    DayFirst,
}

/// <summary>
/// Reads calendar dates and date-times. Written year first (ISO 8601 and its common variants): <c>2024-03-15</c>,
/// <c>2024/03/15</c>, with a time <c>13:45</c> or <c>13:45:30.25</c> after a space or <c>T</c>, and an optional zone
/// (<c>Z</c>, <c>+02:00</c>; none means UTC). Written month first or day first, with a four-digit year and <c>/</c>,
/// <c>-</c> or <c>.</c> between the parts, or a two-digit year and <c>/</c> (Excel's short date, <c>3/15/24</c>), and an
/// optional time (<c>13:45</c>, <c>13:45:30</c>, <c>1:45 PM</c>) after a space. Which of those two a value means cannot
/// be told from the value alone when both its first parts are 12 or less, so a column's <see cref="DateOrder"/> is
/// settled from all its values (<see cref="OrdersOf"/>).
/// </summary>
/// <remarks>
/// A two-digit year is read as Excel reads it: 00–29 are 2000–2029, 30–99 are 1930–1999. Only <c>/</c> takes one, since
/// <c>1.2.10</c> and <c>3-15-24</c> are as often versions and part numbers as dates.
/// </remarks>
public static class DateText
{
    private static readonly string[] YearFirstFormats = BuildYearFirst();
    private static readonly string[] MonthFirstFormats = BuildOthers("M", "d");
    private static readonly string[] DayFirstFormats = BuildOthers("d", "M");

    /// <summary>The last year a two-digit year can stand for (Excel's 1930–2029 window).</summary>
    public const int TwoDigitYearMax = 2029;

    private static readonly CultureInfo TwoDigitYears = WithTwoDigitYearMax(TwoDigitYearMax);

    /// <summary>What a date column expects, for the error about a value that is no date; <paramref name="asText"/> says how to read the column as text instead.</summary>
    public static string Expected(DateOrder order, string asText) => order switch
    {
        DateOrder.MonthFirst => $"expected a date written month first, such as 03/15/2024, 3/15/24 or 03/15/2024 13:45:30, or a missing value (the column was read as dates; read it as text with {asText})",
        DateOrder.DayFirst => $"expected a date written day first, such as 15/03/2024, 15/03/24 or 15/03/2024 13:45:30, or a missing value (the column was read as dates; read it as text with {asText})",
        _ => $"expected a date written year first, such as 2024-03-15 or 2024-03-15 13:45:30, or a missing value (the column was read as dates; read it as text with {asText})",
    };

    /// <summary>Whether <paramref name="text"/> is a date or date-time written year first; <paramref name="value"/> is it.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out DateTimeOffset value) => TryParse(text, DateOrder.YearFirst, out value);

    /// <summary>Whether <paramref name="text"/> is a date or date-time written in <paramref name="order"/>; <paramref name="value"/> is it.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, DateOrder order, out DateTimeOffset value)
    {
        var trimmed = text.Trim();
        value = default;
        // Cheap rejection first: schema inference asks this of every text field it samples.
        if (order == DateOrder.YearFirst)
        {
            return trimmed.Length >= 10 && char.IsAsciiDigit(trimmed[0]) && (trimmed[4] == '-' || trimmed[4] == '/')
                && DateTimeOffset.TryParseExact(trimmed, YearFirstFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);
        }
        return LooksDayOrMonthFirst(trimmed)
            && DateTimeOffset.TryParseExact(trimmed, order == DateOrder.MonthFirst ? MonthFirstFormats : DayFirstFormats,
                TwoDigitYears, DateTimeStyles.AssumeUniversal, out value);
    }

    /// <summary>The orders <paramref name="text"/> reads as a date in (none, one, or month first and day first both).</summary>
    public static (bool YearFirst, bool MonthFirst, bool DayFirst) OrdersOf(ReadOnlySpan<char> text)
    {
        if (TryParse(text, DateOrder.YearFirst, out _))
            return (true, false, false);
        return (false, TryParse(text, DateOrder.MonthFirst, out _), TryParse(text, DateOrder.DayFirst, out _));
    }

    // One or two digits, then a separator: "3/15/2024", "15.03.2024", "3/5/24".
    private static bool LooksDayOrMonthFirst(ReadOnlySpan<char> text) =>
        text.Length >= 6 && char.IsAsciiDigit(text[0]) && (IsSeparator(text[1]) || (char.IsAsciiDigit(text[1]) && IsSeparator(text[2])));

    private static bool IsSeparator(char c) => c is '/' or '-' or '.';

    private static string[] BuildYearFirst()
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

    private static string[] BuildOthers(string first, string second)
    {
        var formats = new List<string>();
        foreach (var separator in new[] { "/", "-", "." })
        {
            foreach (var year in separator == "/" ? new[] { "yyyy", "yy" } : new[] { "yyyy" })
            {
                var date = $"{first}{separator}{second}{separator}{year}";
                formats.Add(date);
                foreach (var time in new[] { "H:mm", "H:mm:ss", "H:mm:ss.FFFFFFF", "h:mm tt", "h:mm:ss tt" })
                    formats.Add(date + " " + time);
            }
        }
        return formats.ToArray();
    }

    private static CultureInfo WithTwoDigitYearMax(int year)
    {
        var culture = (CultureInfo)CultureInfo.InvariantCulture.Clone();
        culture.DateTimeFormat.Calendar.TwoDigitYearMax = year;
        return CultureInfo.ReadOnly(culture);
    }
}
