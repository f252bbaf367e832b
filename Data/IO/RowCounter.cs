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
        long rows = 0;
        using var cursor = data.GetRowCursor(Array.Empty<DataViewSchema.Column>());
        while (cursor.MoveNext())
            rows++;
        return rows;
    }
}
