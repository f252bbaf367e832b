using System.Globalization;
using System.Text;

namespace MlToolkit.Data.Delimited;

/// <summary>The layout and columns of a delimited file, as inferred (and possibly overridden).</summary>
/// <param name="Format">Separator, header and quoting.</param>
/// <param name="Columns">Columns in file order.</param>
/// <param name="Statistics">What inference saw per column, by column name; empty when the schema was given, not inferred.</param>
/// <param name="SampledRows">How many data rows inference read.</param>
public sealed record DelimitedSchema(DelimitedFormat Format, IReadOnlyList<DelimitedColumn> Columns, IReadOnlyDictionary<string, ColumnStatistics> Statistics, int SampledRows)
{
    /// <summary>What inference was unsure of, for the user to check (e.g. a mostly numeric column read as text).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = Array.Empty<string>();

    /// <summary>The column called <paramref name="name"/> (ordinal, then case-insensitive match).</summary>
    /// <exception cref="SchemaException">No such column; the message lists the columns there are.</exception>
    public DelimitedColumn GetColumn(string name)
    {
        return Columns.FirstOrDefault(c => c.Name == name)
            ?? Columns.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new SchemaException($"Column '{name}' not found. Columns: {string.Join(", ", Columns.Select(c => c.Name))}.{NoHeaderHint}");
    }

    private string NoHeaderHint => Format.HasHeader ? "" :
        " No header row was detected, so the columns are numbered; if the first row names the columns, say so (--has-header true, or DelimitedLoadOptions.HasHeader = true).";

    /// <summary>A human-readable table of what was inferred.</summary>
    public string Describe() => Describe(labelColumn: null);

    /// <summary>
    /// A human-readable table of what was inferred, with <paramref name="labelColumn"/>'s purpose shown as
    /// <see cref="LabelPurpose"/>: what inference would make of it as a feature does not apply to the column predicted.
    /// </summary>
    /// <param name="labelColumn">The column to predict, or null when none is chosen.</param>
    /// <exception cref="SchemaException">No such column; the message lists the columns there are.</exception>
    public string Describe(string? labelColumn)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"separator {DescribeSeparator(Format.Separator)}, header {(Format.HasHeader ? "yes" : "no")}, quoting {(Format.AllowQuoting ? "on" : "off")}, decimal mark '{Format.DecimalSeparator}'{TitleNote}{FooterNote}, inferred from {SampledRows} rows").AppendLine();
        foreach (var column in Columns)
            text.Append(CultureInfo.InvariantCulture, $"  {column.Index,3}  {column.Name,-32} {column.Kind,-8} {PurposeShown(column, labelColumn)}").AppendLine();
        return text.ToString();
    }

    /// <summary>What <see cref="Describe(string?)"/> shows as the purpose of the column to predict.</summary>
    public const string LabelPurpose = "Label";

    /// <summary>
    /// <paramref name="column"/>'s purpose as shown to a user: <see cref="LabelPurpose"/> for the label, else its
    /// <see cref="DelimitedColumn.Purpose"/>.
    /// </summary>
    /// <param name="column">A column of this schema.</param>
    /// <param name="labelColumn">The column to predict, or null when none is chosen.</param>
    /// <exception cref="SchemaException"><paramref name="labelColumn"/> is not a column of this schema.</exception>
    public string PurposeShown(DelimitedColumn column, string? labelColumn)
    {
        ArgumentNullException.ThrowIfNull(column);
        return labelColumn is not null && GetColumn(labelColumn).Index == column.Index ? LabelPurpose : column.Purpose.ToString();
    }

    private string TitleNote => Format.TitleLines switch
    {
        0 => "",
        1 => ", title line 1 left out",
        var n => string.Create(CultureInfo.InvariantCulture, $", title lines 1-{n} left out"),
    };

    private string FooterNote => Format.FooterLines switch
    {
        0 => "",
        1 => ", last line left out as a footer",
        var n => string.Create(CultureInfo.InvariantCulture, $", last {n} lines left out as a footer"),
    };

    private static string DescribeSeparator(char separator) => separator switch
    {
        '\t' => "tab",
        ',' => "comma",
        ';' => "semicolon",
        '|' => "pipe",
        _ => $"'{separator}'",
    };
}
