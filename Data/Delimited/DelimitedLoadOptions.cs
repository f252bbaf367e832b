namespace MlToolkit.Data.Delimited;

/// <summary>How to read a delimited file. Every setting left null is inferred from the file.</summary>
public sealed record DelimitedLoadOptions
{
    /// <summary>Field separator; null detects tab, comma, semicolon or pipe from the first lines.</summary>
    public char? Separator { get; init; }

    /// <summary>Whether the first record is a header; null detects it.</summary>
    public bool? HasHeader { get; init; }

    /// <summary>Whether fields may be quoted; null means yes for every separator except tab.</summary>
    public bool? AllowQuoting { get; init; }

    /// <summary>
    /// The decimal mark of numbers, <c>.</c> or <c>,</c>; null detects a decimal comma (<c>3,14</c>) in files whose
    /// separator is not a comma.
    /// </summary>
    public char? DecimalSeparator { get; init; }

    /// <summary>The worksheet to read, by name, when the file is an Excel workbook; null reads its first sheet.</summary>
    public string? Sheet { get; init; }

    /// <summary>
    /// How many lines above the table to leave out (a report's title); null detects lines of one filled field, or of two
    /// fields fewer than the table, above a table of three or more columns; 0 reads every line.
    /// </summary>
    public int? TitleLines { get; init; }

    /// <summary>
    /// How many lines at the end of the file to leave out (a report's closing note, or a totals line that names itself
    /// in a column of numbers); null detects up to 5 lines of one filled field, or of two fields fewer than the table,
    /// below a table of three or more columns (a line of the table's width with one value only when that value does not
    /// fit its column, or no row of the table is that empty); 0 reads every line. Empty lines do not count.
    /// </summary>
    public int? FooterLines { get; init; }

    /// <summary>How many data rows schema inference reads. Default 1,000.</summary>
    public int InferenceRows { get; init; } = 1000;

    /// <summary>Column kinds that override inference, by column name.</summary>
    public IReadOnlyDictionary<string, ColumnKind> ColumnKinds { get; init; } = new Dictionary<string, ColumnKind>();

    /// <summary>
    /// Columns to read as dates written in the given order, by column name: for dates whose values do not settle it
    /// (<c>03/04/2024</c> is the 4th of March or the 3rd of April), or to read a column inference left as text.
    /// </summary>
    public IReadOnlyDictionary<string, DateOrder> DateOrders { get; init; } = new Dictionary<string, DateOrder>();

    /// <summary>Field values read as missing (case-insensitive), besides the empty field. Default: NA, N/A, NaN, null, None, ?.</summary>
    public IReadOnlySet<string> MissingValueTokens { get; init; } =
        new HashSet<string>(new[] { "NA", "N/A", "NaN", "null", "None", "?" }, StringComparer.OrdinalIgnoreCase);
}
