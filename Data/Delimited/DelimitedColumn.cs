namespace MlToolkit.Data.Delimited;

/// <summary>One column of a delimited file: its name, position, storage kind and inferred purpose.</summary>
/// <param name="Name">Column name (from the header, or <c>Column{index}</c> without one).</param>
/// <param name="Index">0-based field position in each record.</param>
/// <param name="Kind">How values are stored in the <c>IDataView</c>.</param>
/// <param name="Purpose">What the column is for when featurizing.</param>
public sealed record DelimitedColumn(string Name, int Index, ColumnKind Kind, ColumnPurpose Purpose)
{
    /// <summary>How the dates of a <see cref="ColumnPurpose.DateTime"/> column are written (year first unless inferred or given otherwise).</summary>
    public DateOrder DateOrder { get; init; } = DateOrder.YearFirst;

    /// <summary>A column whose purpose follows from its kind (text columns count as free text).</summary>
    public static DelimitedColumn OfKind(string name, int index, ColumnKind kind) => new(name, index, kind, kind switch
    {
        ColumnKind.Numeric => ColumnPurpose.Numeric,
        ColumnKind.Boolean => ColumnPurpose.Boolean,
        _ => ColumnPurpose.Text,
    });
}
