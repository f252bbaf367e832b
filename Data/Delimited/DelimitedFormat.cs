namespace MlToolkit.Data.Delimited;

/// <summary>How a delimited file is laid out.</summary>
/// <param name="Separator">The field separator.</param>
/// <param name="HasHeader">Whether the first record names the columns.</param>
/// <param name="AllowQuoting">Whether a field that starts with <c>"</c> is quoted (RFC 4180: <c>""</c> escapes a quote and separators and line breaks may appear inside).</param>
/// <param name="DecimalSeparator">The decimal mark of numbers: <c>.</c>, or <c>,</c> (as in <c>1,5</c>, with a separator other than comma).</param>
public sealed record DelimitedFormat(char Separator, bool HasHeader, bool AllowQuoting, char DecimalSeparator = '.')
{
    /// <summary>The worksheet read when the file is an Excel workbook; null for its first sheet (or a text file).</summary>
    public string? Sheet { get; init; }

    /// <summary>How many lines above the table (a report's title, blank lines among it) are left out before the header.</summary>
    public int TitleLines { get; init; }

    /// <summary>
    /// How many records at the end of the file (a report's closing note or totals line, <see cref="DelimitedLoadOptions.FooterLines"/>)
    /// are left out after the table.
    /// </summary>
    public int FooterLines { get; init; }

    /// <summary>Comma-separated with a header and RFC 4180 quoting.</summary>
    public static DelimitedFormat Csv { get; } = new(',', true, true);

    /// <summary>Tab-separated with a header and no quoting (quotes are ordinary characters, as in IANA TSV).</summary>
    public static DelimitedFormat Tsv { get; } = new('\t', true, false);
}
