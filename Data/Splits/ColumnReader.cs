using Microsoft.ML;

namespace MlToolkit.Data.Splits;

/// <summary>Reads one column of the current row through a typed getter, mapped to what the caller needs of it.</summary>
internal static class ColumnReader
{
    /// <summary>A function returning <paramref name="map"/> of <paramref name="column"/>'s value in <paramref name="row"/>'s current row.</summary>
    public static Func<TResult> Bind<T, TResult>(DataViewRow row, DataViewSchema.Column column, Func<T, TResult> map)
    {
        var getter = row.GetGetter<T>(column);
        T value = default!;
        return () =>
        {
            getter(ref value);
            return map(value);
        };
    }
}
