using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlToolkit.Data.IO;

/// <summary>
/// Passes another <see cref="IDataView"/> through, throwing <see cref="OperationCanceledException"/> from the
/// next row a cursor moves to once its token is cancelled. ML.NET's own cancellation hook is internal, so this
/// is how a trainer that streams its data is stopped between rows.
/// </summary>
public sealed class CancellingDataView : IDataView
{
    private readonly IDataView _inner;
    private readonly CancellationToken _token;

    /// <summary>Wraps <paramref name="inner"/>; its cursors observe <paramref name="token"/>.</summary>
    public CancellingDataView(IDataView inner, CancellationToken token)
    {
        _inner = inner ?? throw new ArgumentNullException(nameof(inner));
        _token = token;
    }

    /// <inheritdoc/>
    public bool CanShuffle => _inner.CanShuffle;

    /// <inheritdoc/>
    public DataViewSchema Schema => _inner.Schema;

    /// <inheritdoc/>
    public long? GetRowCount() => _inner.GetRowCount();

    /// <inheritdoc/>
    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
        new Cursor(_inner.GetRowCursor(columnsNeeded, rand), _token);

    /// <inheritdoc/>
    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        _inner.GetRowCursorSet(columnsNeeded, n, rand).Select(c => (DataViewRowCursor)new Cursor(c, _token)).ToArray();

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly DataViewRowCursor _inner;
        private readonly CancellationToken _token;

        public Cursor(DataViewRowCursor inner, CancellationToken token)
        {
            _inner = inner;
            _token = token;
        }

        public override DataViewSchema Schema => _inner.Schema;
        public override long Position => _inner.Position;
        public override long Batch => _inner.Batch;
        public override bool IsColumnActive(DataViewSchema.Column column) => _inner.IsColumnActive(column);
        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => _inner.GetGetter<TValue>(column);
        public override ValueGetter<DataViewRowId> GetIdGetter() => _inner.GetIdGetter();

        public override bool MoveNext()
        {
            _token.ThrowIfCancellationRequested();
            return _inner.MoveNext();
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                _inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
