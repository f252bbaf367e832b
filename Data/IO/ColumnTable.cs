using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlToolkit.Data.IO;

/// <summary>
/// Rows of a data view held in memory column by column, with the view's exact schema (types and annotations). New
/// views are composed from it without copying values: each column of the result reads, row by row, the source row an
/// index says (<see cref="Compose"/>). Explanations build their perturbed rows this way.
/// </summary>
public sealed class ColumnTable
{
    private readonly Array[] _columns;

    private ColumnTable(DataViewSchema schema, Array[] columns, int rows)
    {
        Schema = schema;
        _columns = columns;
        Rows = rows;
    }

    /// <summary>The schema the rows were read with.</summary>
    public DataViewSchema Schema { get; }

    /// <summary>Number of rows held.</summary>
    public int Rows { get; }

    /// <summary>Reads up to <paramref name="maxRows"/> rows of every visible column of <paramref name="data"/>.</summary>
    /// <exception cref="NotSupportedException">A column's type is not a scalar or vector of a primitive type, text or key.</exception>
    public static ColumnTable Read(IDataView data, int maxRows = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(data);
        var visible = data.Schema.Where(c => !c.IsHidden).ToList();
        var builder = new DataViewSchema.Builder();
        foreach (var column in visible)
            builder.AddColumn(column.Name, column.Type, column.Annotations);
        var schema = builder.ToSchema();
        var readers = visible.Select(c => ColumnReader.For(c)).ToArray();
        using var cursor = data.GetRowCursor(visible);
        foreach (var reader in readers)
            reader.Bind(cursor);
        var rows = 0;
        while (rows < maxRows && cursor.MoveNext())
        {
            foreach (var reader in readers)
                reader.ReadRow();
            rows++;
        }
        return new ColumnTable(schema, readers.Select(r => r.ToArray()).ToArray(), rows);
    }

    /// <summary>
    /// A table of <paramref name="columns"/> (one typed array per column of <paramref name="schema"/>: <c>float[]</c>,
    /// <c>bool[]</c>, <c>ReadOnlyMemory&lt;char&gt;[]</c>, <c>VBuffer&lt;float&gt;[]</c>, …), all of one length.
    /// </summary>
    /// <exception cref="ArgumentException">A column's array does not hold its type's values, or the lengths differ.</exception>
    public static ColumnTable Create(DataViewSchema schema, IReadOnlyList<Array> columns)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(columns);
        if (columns.Count != schema.Count)
            throw new ArgumentException($"Give one array per column ({schema.Count}), not {columns.Count}.", nameof(columns));
        for (var i = 0; i < columns.Count; i++)
        {
            if (columns[i].GetType().GetElementType() != schema[i].Type.RawType)
                throw new ArgumentException($"Column '{schema[i].Name}' holds {schema[i].Type.RawType.Name} values, not {columns[i].GetType().Name}.", nameof(columns));
        }
        var rows = columns.Count == 0 ? 0 : columns[0].Length;
        if (columns.Any(c => c.Length != rows))
            throw new ArgumentException("Every column must hold the same number of rows.", nameof(columns));
        return new ColumnTable(schema, columns.ToArray(), rows);
    }

    /// <summary>This table's rows followed by <paramref name="other"/>'s, which must have the same column names and types.</summary>
    /// <exception cref="ArgumentException">The schemas differ.</exception>
    public ColumnTable Concat(ColumnTable other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Schema.Count != Schema.Count || Schema.Zip(other.Schema).Any(p => p.First.Name != p.Second.Name || !p.First.Type.Equals(p.Second.Type)))
            throw new ArgumentException("Tables with different columns cannot be joined.", nameof(other));
        var columns = new Array[_columns.Length];
        for (var i = 0; i < columns.Length; i++)
        {
            columns[i] = Array.CreateInstance(_columns[i].GetType().GetElementType()!, Rows + other.Rows);
            Array.Copy(_columns[i], columns[i], Rows);
            Array.Copy(other._columns[i], 0, columns[i], Rows, other.Rows);
        }
        return new ColumnTable(Schema, columns, Rows + other.Rows);
    }

    /// <summary>The rows at <paramref name="rows"/>, in that order.</summary>
    public ColumnTable Take(IReadOnlyList<int> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var columns = new Array[_columns.Length];
        for (var i = 0; i < columns.Length; i++)
        {
            columns[i] = Array.CreateInstance(_columns[i].GetType().GetElementType()!, rows.Count);
            for (var r = 0; r < rows.Count; r++)
                columns[i].SetValue(_columns[i].GetValue(rows[r]), r);
        }
        return new ColumnTable(Schema, columns, rows.Count);
    }

    /// <summary>The array holding column <paramref name="column"/>'s values (not a copy).</summary>
    public Array Column(int column) => _columns[column];

    /// <summary>The value of <paramref name="column"/> in <paramref name="row"/>, boxed.</summary>
    public object Value(int column, int row) => _columns[column].GetValue(row)!;

    /// <summary>The index of column <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">No such column.</exception>
    public int IndexOf(string name) => Schema.GetColumnOrNull(name)?.Index
        ?? throw new ArgumentException($"Column '{name}' is not in the table. Columns: {string.Join(", ", Schema.Select(c => c.Name))}.", nameof(name));

    /// <summary>
    /// A view with this table's schema and <paramref name="rowsOfColumn"/>[c].Length rows, whose column c in row r
    /// holds this table's value in row <paramref name="rowsOfColumn"/>[c][r]; every index array has the same length.
    /// </summary>
    public IDataView Compose(IReadOnlyList<int[]> rowsOfColumn)
    {
        ArgumentNullException.ThrowIfNull(rowsOfColumn);
        if (rowsOfColumn.Count != _columns.Length)
            throw new ArgumentException($"Give one index array per column ({_columns.Length}), not {rowsOfColumn.Count}.", nameof(rowsOfColumn));
        var length = rowsOfColumn.Count == 0 ? 0 : rowsOfColumn[0].Length;
        if (rowsOfColumn.Any(r => r.Length != length))
            throw new ArgumentException("Every column's index array must have the same length.", nameof(rowsOfColumn));
        return new ComposedView(this, rowsOfColumn, length);
    }

    /// <summary>A view of these rows as they are.</summary>
    public IDataView ToDataView()
    {
        var identity = Enumerable.Range(0, Rows).ToArray();
        return Compose(Enumerable.Repeat(identity, _columns.Length).ToArray());
    }

    private sealed class ComposedView(ColumnTable table, IReadOnlyList<int[]> rowsOfColumn, int length) : IDataView
    {
        public bool CanShuffle => false;

        public DataViewSchema Schema => table.Schema;

        public long? GetRowCount() => length;

        public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) => new Cursor(table, rowsOfColumn, length);

        public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) => new[] { GetRowCursor(columnsNeeded, rand) };
    }

    private sealed class Cursor(ColumnTable table, IReadOnlyList<int[]> rowsOfColumn, int length) : DataViewRowCursor
    {
        private long _position = -1;

        public override DataViewSchema Schema => table.Schema;

        public override long Position => _position;

        public override long Batch => 0;

        public override bool MoveNext() => ++_position < length;

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            var values = (TValue[])table._columns[column.Index];
            var rows = rowsOfColumn[column.Index];
            if (values is VBuffer<float>[] vectors)
            {
                ValueGetter<VBuffer<float>> copy = (ref VBuffer<float> value) => vectors[rows[_position]].CopyTo(ref value);
                return (ValueGetter<TValue>)(Delegate)copy;
            }
            return (ref TValue value) => value = values[rows[_position]];
        }

        public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId id) => id = new DataViewRowId((ulong)_position, 0);

        public override bool IsColumnActive(DataViewSchema.Column column) => true;
    }

    private abstract class ColumnReader
    {
        public abstract void Bind(DataViewRow row);

        public abstract void ReadRow();

        public abstract Array ToArray();

        public static ColumnReader For(DataViewSchema.Column column)
        {
            var raw = column.Type.RawType;
            if (raw == typeof(VBuffer<float>))
                return new VectorReader(column);
            if (raw == typeof(ReadOnlyMemory<char>))
                return new TextReader(column);
            if (column.Type is VectorDataViewType)
                throw new NotSupportedException($"Column '{column.Name}' holds {column.Type}; only Single vectors can be held in a table.");
            return (ColumnReader)Activator.CreateInstance(typeof(ScalarReader<>).MakeGenericType(raw), column)!;
        }
    }

    private sealed class ScalarReader<T>(DataViewSchema.Column column) : ColumnReader
    {
        private readonly List<T> _values = new();
        private ValueGetter<T>? _getter;

        public override void Bind(DataViewRow row) => _getter = row.GetGetter<T>(column);

        public override void ReadRow()
        {
            T value = default!;
            _getter!(ref value);
            _values.Add(value);
        }

        public override Array ToArray() => _values.ToArray();
    }

    /// <summary>Copies each text: a cursor may hand out slices of a buffer it reuses.</summary>
    private sealed class TextReader(DataViewSchema.Column column) : ColumnReader
    {
        private readonly List<ReadOnlyMemory<char>> _values = new();
        private ValueGetter<ReadOnlyMemory<char>>? _getter;

        public override void Bind(DataViewRow row) => _getter = row.GetGetter<ReadOnlyMemory<char>>(column);

        public override void ReadRow()
        {
            ReadOnlyMemory<char> value = default;
            _getter!(ref value);
            _values.Add(value.ToString().AsMemory());
        }

        public override Array ToArray() => _values.ToArray();
    }

    private sealed class VectorReader(DataViewSchema.Column column) : ColumnReader
    {
        private readonly List<VBuffer<float>> _values = new();
        private ValueGetter<VBuffer<float>>? _getter;

        public override void Bind(DataViewRow row) => _getter = row.GetGetter<VBuffer<float>>(column);

        public override void ReadRow()
        {
            VBuffer<float> value = default;
            _getter!(ref value);
            var copy = default(VBuffer<float>);
            value.CopyTo(ref copy);
            _values.Add(copy);
        }

        public override Array ToArray() => _values.ToArray();
    }
}
