using System.Text.Json.Nodes;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlToolkit.Pipelines.Transforms;

/// <summary>
/// Base of MlToolkit's own row-by-row transformers: it adds computed columns to its input, lazily, for both
/// <see cref="Transform"/> (streaming views) and <see cref="GetRowToRowMapper"/> (<c>PredictionEngine</c>).
/// A derived class says which inputs it needs, which columns it adds, and how to compute one row; the outputs of
/// a row are computed once however many of its columns are read.
/// </summary>
public abstract class ColumnAddingTransformer : ITransformer
{
    /// <summary>The columns this transformer adds, in order.</summary>
    protected abstract IReadOnlyList<(string Name, DataViewType Type)> AddedColumns { get; }

    /// <summary>The input columns a row computation reads; throws <see cref="SchemaException"/> when one is missing or mistyped.</summary>
    protected abstract IReadOnlyList<DataViewSchema.Column> CheckInput(DataViewSchema inputSchema);

    /// <summary>Binds a computation to <paramref name="input"/>; it reads the current row of it when asked.</summary>
    protected abstract RowComputation Bind(DataViewRow input, IReadOnlyList<DataViewSchema.Column> inputs);

    /// <summary>Annotations of added column <paramref name="index"/> over <paramref name="inputSchema"/> (e.g. a key's values); default none.</summary>
    protected virtual DataViewSchema.Annotations? AnnotationsOf(int index, DataViewSchema inputSchema) => null;

    /// <summary>Kind name and JSON state to save this transformer with (see <see cref="PersistentTransformers"/>).</summary>
    public abstract (string Kind, JsonObject State) SaveState();

    /// <inheritdoc/>
    public bool IsRowToRowMapper => true;

    /// <inheritdoc/>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        CheckInput(inputSchema);
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(inputSchema);
        for (var i = 0; i < AddedColumns.Count; i++)
            builder.AddColumn(AddedColumns[i].Name, AddedColumns[i].Type, AnnotationsOf(i, inputSchema));
        return builder.ToSchema();
    }

    /// <inheritdoc/>
    /// <remarks>Computes row by row; override to score a whole view in batches (keep this as the fallback).</remarks>
    public virtual IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new View(this, input, GetOutputSchema(input.Schema));
    }

    /// <inheritdoc/>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => new Mapper(this, inputSchema, GetOutputSchema(inputSchema));

    /// <summary>ML.NET keeps its save context internal; these transformers are saved by <c>mlContext.Model.SavePipeline</c>.</summary>
    void ICanSaveModel.Save(ModelSaveContext ctx) =>
        throw new NotSupportedException($"{GetType().Name} cannot be written by mlContext.Model.Save (ML.NET keeps its save API internal). Use mlContext.Model.SavePipeline(model, inputSchema, path), which saves ML.NET and MlToolkit parts into one file.");

    /// <summary>Computes the added columns of one row.</summary>
    public abstract class RowComputation
    {
        /// <summary>Reads the current input row and fills the outputs.</summary>
        public abstract void Compute();

        /// <summary>A getter for added column <paramref name="index"/> reading the last computed values.</summary>
        public abstract Delegate Getter(int index);
    }

    private sealed class View(ColumnAddingTransformer parent, IDataView input, DataViewSchema schema) : IDataView
    {
        public bool CanShuffle => input.CanShuffle;
        public DataViewSchema Schema => schema;
        public long? GetRowCount() => input.GetRowCount();

        public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
        {
            var (inputColumns, active) = parent.Dependencies(input.Schema, columnsNeeded);
            return new Cursor(parent, input.GetRowCursor(inputColumns, rand), schema, active, input.Schema.Count);
        }

        public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
        {
            var (inputColumns, active) = parent.Dependencies(input.Schema, columnsNeeded);
            return input.GetRowCursorSet(inputColumns, n, rand).Select(c => (DataViewRowCursor)new Cursor(parent, c, schema, active, input.Schema.Count)).ToArray();
        }
    }

    private sealed class Mapper(ColumnAddingTransformer parent, DataViewSchema inputSchema, DataViewSchema outputSchema) : IRowToRowMapper
    {
        public DataViewSchema InputSchema => inputSchema;
        public DataViewSchema OutputSchema => outputSchema;

        public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns) =>
            parent.Dependencies(inputSchema, dependingColumns).Input;

        public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns) =>
            new Row(parent, input, outputSchema, activeColumns.Select(c => c.Index).ToHashSet(), inputSchema.Count);
    }

    private (List<DataViewSchema.Column> Input, HashSet<int> Active) Dependencies(DataViewSchema inputSchema, IEnumerable<DataViewSchema.Column> needed)
    {
        var active = needed.Select(c => c.Index).ToHashSet();
        var input = active.Where(i => i < inputSchema.Count).Select(i => inputSchema[i]).ToList();
        if (active.Any(i => i >= inputSchema.Count))
            input.AddRange(CheckInput(inputSchema));
        return (input.DistinctBy(c => c.Index).ToList(), active);
    }

    private class Row : DataViewRow
    {
        private readonly ColumnAddingTransformer _parent;
        private readonly DataViewRow _input;
        private readonly DataViewSchema _schema;
        private readonly HashSet<int> _active;
        private readonly int _inputCount;
        private RowComputation? _computation;
        private long _computedAt = long.MinValue;

        public Row(ColumnAddingTransformer parent, DataViewRow input, DataViewSchema schema, HashSet<int> active, int inputCount)
        {
            _parent = parent;
            _input = input;
            _schema = schema;
            _active = active;
            _inputCount = inputCount;
        }

        public override DataViewSchema Schema => _schema;
        public override long Position => _input.Position;
        public override long Batch => _input.Batch;
        public override ValueGetter<DataViewRowId> GetIdGetter() => _input.GetIdGetter();
        public override bool IsColumnActive(DataViewSchema.Column column) => _active.Contains(column.Index);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (column.Index < _inputCount)
                return _input.GetGetter<TValue>(_input.Schema[column.Index]);
            _computation ??= _parent.Bind(_input, _parent.CheckInput(_input.Schema));
            var inner = _computation.Getter(column.Index - _inputCount) as ValueGetter<TValue>
                ?? throw new InvalidOperationException($"Column '{column.Name}' holds {column.Type}, not {typeof(TValue).Name}.");
            return (ref TValue value) =>
            {
                // PredictionEngine rows may keep Position at -1; recompute then rather than serve a stale row.
                if (_computedAt != _input.Position || _input.Position < 0)
                {
                    _computation.Compute();
                    _computedAt = _input.Position;
                }
                inner(ref value);
            };
        }
    }

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly DataViewRowCursor _input;
        private readonly Row _row;

        public Cursor(ColumnAddingTransformer parent, DataViewRowCursor input, DataViewSchema schema, HashSet<int> active, int inputCount)
        {
            _input = input;
            _row = new Row(parent, input, schema, active, inputCount);
        }

        public override DataViewSchema Schema => _row.Schema;
        public override long Position => _input.Position;
        public override long Batch => _input.Batch;
        public override ValueGetter<DataViewRowId> GetIdGetter() => _input.GetIdGetter();
        public override bool IsColumnActive(DataViewSchema.Column column) => _row.IsColumnActive(column);
        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => _row.GetGetter<TValue>(column);
        public override bool MoveNext() => _input.MoveNext();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                _input.Dispose();
            base.Dispose(disposing);
        }
    }
}
