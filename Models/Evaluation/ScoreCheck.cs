using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlToolkit.Models.Evaluation;

/// <summary>Finds rows whose scores are not finite numbers, so that such a model is never reported or saved as a success.</summary>
public static class ScoreCheck
{
    /// <summary>How many rows of <paramref name="scored"/> have a NaN or infinite value in their <c>Score</c> column, and the first such row (1-based).</summary>
    public static (long Rows, long FirstRow) NonFinite(IDataView scored)
    {
        ArgumentNullException.ThrowIfNull(scored);
        var column = scored.Schema.GetColumnOrNull("Score") ?? throw new SchemaException("The scored data has no 'Score' column.");
        using var cursor = scored.GetRowCursor(new[] { column });
        Func<bool> finite = column.Type is VectorDataViewType ? VectorFinite(cursor, column) : ScalarFinite(cursor, column);
        long rows = 0, bad = 0, first = 0;
        while (cursor.MoveNext())
        {
            rows++;
            if (finite())
                continue;
            bad++;
            first = first == 0 ? rows : first;
        }
        return (bad, first);
    }

    /// <summary>Throws <see cref="UnusableModelException"/> when any row of <paramref name="scored"/> scores NaN or infinity.</summary>
    public static void RequireFinite(IDataView scored, string what)
    {
        var (rows, first) = NonFinite(scored);
        if (rows > 0)
            throw new UnusableModelException($"{what} gives NaN or infinite scores on {rows:N0} rows (the first is row {first:N0}); it is not used or saved. Try a lower learning rate, fewer leaves or more regularization.");
    }

    private static Func<bool> VectorFinite(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        var getter = cursor.GetGetter<VBuffer<float>>(column);
        VBuffer<float> buffer = default;
        return () =>
        {
            getter(ref buffer);
            foreach (var value in buffer.DenseValues())
            {
                if (!float.IsFinite(value))
                    return false;
            }
            return true;
        };
    }

    private static Func<bool> ScalarFinite(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        var getter = cursor.GetGetter<float>(column);
        var value = 0f;
        return () =>
        {
            getter(ref value);
            return float.IsFinite(value);
        };
    }
}
