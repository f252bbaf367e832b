using Microsoft.ML;

namespace MlToolkit.Data.IO;

/// <summary>Counts rows of views that do not know their count (streaming files, filters) by a cursor over no columns.</summary>
public static class RowCounter
{
    /// <summary>The number of rows of <paramref name="data"/>: its own count when it knows it, else by reading through it.</summary>
    public static long Count(IDataView data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.GetRowCount() is { } known)
            return known;
        return CountRows(data, Array.Empty<DataViewSchema.Column>());
    }

    /// <summary>
    /// The number of rows of <paramref name="data"/>, found by reading every column of every row, so that a value a
    /// streaming view cannot read (a word in a numeric column past the rows its schema was inferred from) fails here,
    /// once, rather than in each use of the data.
    /// </summary>
    /// <exception cref="DataFormatException">A value of the data cannot be read as its column's type.</exception>
    public static long CountReadingEveryColumn(IDataView data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return CountRows(data, data.Schema);
    }

    private static long CountRows(IDataView data, IEnumerable<DataViewSchema.Column> columns)
    {
        long rows = 0;
        using var cursor = data.GetRowCursor(columns);
        while (cursor.MoveNext())
            rows++;
        return rows;
    }
}
