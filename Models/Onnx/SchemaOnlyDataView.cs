using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlToolkit.Models.Onnx;

/// <summary>A data view with a schema and no rows: what ML.NET's ONNX converter needs to know the pipeline's input.</summary>
internal sealed class SchemaOnlyDataView(DataViewSchema schema) : IDataView
{
    public bool CanShuffle => false;

    public DataViewSchema Schema { get; } = schema;

    public long? GetRowCount() => 0;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) => new NoRows(Schema);

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) => new[] { GetRowCursor(columnsNeeded, rand) };

    private sealed class NoRows(DataViewSchema schema) : DataViewRowCursor
    {
        public override DataViewSchema Schema { get; } = schema;

        public override long Position => -1;

        public override long Batch => 0;

        public override bool MoveNext() => false;

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => throw new InvalidOperationException("A schema-only view has no rows.");

        public override ValueGetter<DataViewRowId> GetIdGetter() => throw new InvalidOperationException("A schema-only view has no rows.");

        public override bool IsColumnActive(DataViewSchema.Column column) => true;
    }
}
