using System.Collections;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlToolkit.Data.Splits;

/// <summary>
/// The rows of a table whose label is present. A row without a label says nothing about the label: trained on, a
/// binary mapping would read it as the negative class and a key mapping as a class of its own, and scored, it would
/// count as wrong or right by chance. So training and evaluation leave such rows out and say how many.
/// </summary>
public static class LabelledRows
{
    /// <summary>
    /// <paramref name="data"/> without the rows whose <paramref name="labelColumn"/> is missing (empty or white-space
    /// text, NaN), and how many those were; <paramref name="data"/> itself when none is. Booleans and keys are never missing here.
    /// </summary>
    public static (IDataView Rows, int Missing) Of(IDataView data, string labelColumn)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentException.ThrowIfNullOrWhiteSpace(labelColumn);
        var column = data.Schema.GetColumnOrNull(labelColumn);
        Func<DataViewRow, Func<bool>>? present = column?.Type switch
        {
            TextDataViewType => row => ColumnReader.Bind<ReadOnlyMemory<char>, bool>(row, column.Value, v => !v.Span.IsWhiteSpace()),
            _ when column?.Type == NumberDataViewType.Single => row => ColumnReader.Bind<float, bool>(row, column.Value, v => !float.IsNaN(v)),
            _ when column?.Type == NumberDataViewType.Double => row => ColumnReader.Bind<double, bool>(row, column.Value, v => !double.IsNaN(v)),
            _ => null,
        };
        if (present is null)
            return (data, 0);
        var keep = new List<bool>();
        using (var cursor = data.GetRowCursor(new[] { column!.Value }))
        {
            var isPresent = present(cursor);
            while (cursor.MoveNext())
                keep.Add(isPresent());
        }
        var missing = keep.Count(k => !k);
        return missing == 0 ? (data, 0) : (new RowSelectionView(data, new BitArray(keep.ToArray())), missing);
    }
}
