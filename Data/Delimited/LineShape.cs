namespace MlToolkit.Data.Delimited;

/// <summary>
/// A line's separators outside double quotes (tab-separated text has no quoting), how many of its fields hold more than
/// spaces, and whether its quotes are unbalanced: an odd number opens or closes a quoted field that spans lines, so the
/// line is only part of a record.
/// </summary>
internal readonly record struct LineShape(int Separators, int Filled, bool UnbalancedQuotes = false)
{
    /// <summary>Whether no field holds more than spaces (a blank line, or one of separators only, as Excel pads an empty row).</summary>
    public bool Blank => Filled == 0;

    public static LineShape Of(string line, char separator)
    {
        var separators = 0;
        var filled = 0;
        var fieldFilled = false;
        var quoted = false;
        foreach (var c in line)
        {
            if (c == '"' && separator != '\t')
                quoted = !quoted;
            else if (c == separator && !quoted)
            {
                separators++;
                filled += fieldFilled ? 1 : 0;
                fieldFilled = false;
                continue;
            }
            fieldFilled |= c != ' ' && c != '"';
        }
        filled += fieldFilled ? 1 : 0;
        return new LineShape(separators, filled, quoted);
    }
}
