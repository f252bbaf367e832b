namespace MlToolkit.Data.Delimited;

/// <summary>A line's separators outside double quotes (tab-separated text has no quoting) and how many of its fields hold more than spaces.</summary>
internal readonly record struct LineShape(bool Blank, int Separators, int Filled)
{
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
        return new LineShape(filled == 0, separators, filled);
    }
}
