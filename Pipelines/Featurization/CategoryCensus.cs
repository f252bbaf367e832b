using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlToolkit.Pipelines.Featurization;

/// <summary>Distinct values of text columns, and how many rows hold values outside a known set.</summary>
public static class CategoryCensus
{
    /// <summary>The sorted distinct non-empty values of each of <paramref name="columns"/> (one pass).</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Distinct(IDataView data, IReadOnlyList<string> columns)
    {
        var seen = columns.ToDictionary(c => c, _ => new HashSet<string>(StringComparer.Ordinal));
        Scan(data, columns, (column, value) => seen[column].Add(value));
        return seen.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<string>)kv.Value.Order(StringComparer.Ordinal).ToList());
    }

    /// <summary>Per column, the rows whose non-empty value is not in <paramref name="known"/>.</summary>
    public static IReadOnlyDictionary<string, long> CountUnseen(IDataView data, IReadOnlyDictionary<string, IReadOnlyList<string>> known)
    {
        var sets = known.ToDictionary(kv => kv.Key, kv => kv.Value.ToHashSet(StringComparer.Ordinal));
        var counts = known.Keys.ToDictionary(k => k, _ => 0L);
        Scan(data, known.Keys.ToList(), (column, value) =>
        {
            if (!sets[column].Contains(value))
                counts[column]++;
        });
        return counts;
    }

    private static void Scan(IDataView data, IReadOnlyList<string> columns, Action<string, string> visit)
    {
        if (columns.Count == 0)
            return;
        var schemaColumns = columns.Select(c => data.Schema.GetColumnOrNull(c) ?? throw new SchemaException($"Column '{c}' not found.")).ToList();
        using var cursor = data.GetRowCursor(schemaColumns);
        var getters = schemaColumns.Select(c => cursor.GetGetter<ReadOnlyMemory<char>>(c)).ToList();
        ReadOnlyMemory<char> value = default;
        while (cursor.MoveNext())
        {
            for (var i = 0; i < getters.Count; i++)
            {
                getters[i](ref value);
                if (!value.IsEmpty)
                    visit(columns[i], value.ToString());
            }
        }
    }
}
