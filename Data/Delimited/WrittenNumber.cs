using System.Globalization;

namespace MlToolkit.Data.Delimited;

/// <summary>
/// Numbers as spreadsheets and reports write them: with a currency sign before or after (<c>$1,234.50</c>,
/// <c>1.234,50 €</c>), a percent sign after (<c>45%</c> reads 45, the number written), or thousands grouped by the
/// separator the decimal mark leaves free (<c>1,234,567.5</c> with a decimal point, <c>1.234.567,5</c> with a decimal
/// comma). Groups must be three digits each, so <c>12,34</c> is no number.
/// </summary>
internal static class WrittenNumber
{
    /// <summary>Whether <paramref name="text"/> is such a number; plain numbers are left to <c>float.TryParse</c>.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, char decimalMark, out float number)
    {
        number = float.NaN;
        var rest = text.Trim();
        var negative = TakeSign(ref rest);
        var marked = TakeMark(ref rest);
        negative |= TakeSign(ref rest);
        if (!Digits(rest, decimalMark, out var integer, out var fraction, out var grouped) || !(marked || grouped))
            return false;
        var plain = fraction.Length > 0 ? $"{integer}.{fraction.ToString()}" : integer;
        if (!float.TryParse(plain, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out number))
            return false;
        number = negative ? -number : number;
        return true;
    }

    private static bool TakeSign(ref ReadOnlySpan<char> text)
    {
        if (text.Length == 0 || (text[0] != '-' && text[0] != '+'))
            return false;
        var negative = text[0] == '-';
        text = text[1..].TrimStart();
        return negative;
    }

    private static bool TakeMark(ref ReadOnlySpan<char> text)
    {
        if (text.Length > 1 && IsCurrency(text[0]))
            text = text[1..].TrimStart();
        else if (text.Length > 1 && (IsCurrency(text[^1]) || text[^1] == '%'))
            text = text[..^1].TrimEnd();
        else
            return false;
        return true;
    }

    private static bool IsCurrency(char c) => c is '$' or '€' or '£' or '¥';

    // "1,234,567" (grouped) or "1234567", then an optional decimal mark and digits.
    private static bool Digits(ReadOnlySpan<char> text, char decimalMark, out string integer, out ReadOnlySpan<char> fraction, out bool grouped)
    {
        integer = "";
        grouped = false;
        var point = text.IndexOf(decimalMark);
        fraction = point >= 0 ? text[(point + 1)..] : ReadOnlySpan<char>.Empty;
        var whole = point >= 0 ? text[..point] : text;
        // Cheap rejection first: inference asks this of every text field that is no plain number, reviews and all.
        if (whole.Length == 0 || !char.IsAsciiDigit(whole[0]) || !char.IsAsciiDigit(whole[^1]) || (point >= 0 && fraction.Length == 0) || !AllDigits(fraction))
            return false;
        var group = decimalMark == '.' ? ',' : '.';
        var parts = whole.ToString().Split(group);
        grouped = parts.Length > 1;
        if (!parts.All(p => AllDigits(p)) || parts[0].Length == 0 || (grouped && (parts[0].Length > 3 || parts.Skip(1).Any(p => p.Length != 3))))
            return false;
        integer = string.Concat(parts);
        return true;
    }

    private static bool AllDigits(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
                return false;
        }
        return true;
    }
}
