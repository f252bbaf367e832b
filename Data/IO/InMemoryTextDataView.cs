using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlToolkit.Data.IO;

/// <summary>
/// A small in-memory <see cref="IDataView"/> of text columns. Unlike <c>mlContext.Data.LoadFromEnumerable</c> it
/// needs no runtime code generation, so it works in .NET file-based apps and trimmed/AOT hosts.
/// </summary>
public sealed class InMemoryTextDataView : IDataView
{
    private readonly IReadOnlyList<string[]> _rows;

    /// <summary>Creates the view; every row must have one value per column.</summary>
    public InMemoryTextDataView(IReadOnlyList<string> columns, IReadOnlyList<string[]> rows)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(rows);
        foreach (var row in rows)
        {
            if (row.Length != columns.Count)
                throw new ArgumentException($"Every row needs {columns.Count} values.", nameof(rows));
        }
        _rows = rows;
        var builder = new DataViewSchema.Builder();
        foreach (var column in columns)
            builder.AddColumn(column, TextDataViewType.Instance);
        Schema = builder.ToSchema();
    }

    /// <inheritdoc/>
    public bool CanShuffle => true;

    /// <inheritdoc/>
    public DataViewSchema Schema { get; }

    /// <inheritdoc/>
    public long? GetRowCount() => _rows.Count;

    /// <inheritdoc/>
    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var order = Enumerable.Range(0, _rows.Count).ToArray();
        if (rand is not null)
            rand.Shuffle(order);
        return new Cursor(this, order, columnsNeeded.Select(c => c.Index).ToHashSet());
    }

    /// <inheritdoc/>
    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        new[] { GetRowCursor(columnsNeeded, rand) };

    private sealed class Cursor(InMemoryTextDataView parent, int[] order, HashSet<int> active) : DataViewRowCursor
    {
        private long _position = -1;

        public override DataViewSchema Schema => parent.Schema;
        public override long Position => _position;
        public override long Batch => 0;
        public override bool IsColumnActive(DataViewSchema.Column column) => active.Contains(column.Index);
        public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId id) => id = new DataViewRowId((ulong)order[_position], 0);
        public override bool MoveNext() => ++_position < order.Length;

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            var getter = (ValueGetter<ReadOnlyMemory<char>>)((ref ReadOnlyMemory<char> value) => value = parent._rows[order[_position]][column.Index].AsMemory());
            return getter as ValueGetter<TValue> ?? throw new InvalidOperationException($"Column '{column.Name}' holds text, not {typeof(TValue).Name}.");
        }
    }
}
