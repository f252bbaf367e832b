using System.Collections;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlToolkit.Data.Splits;

/// <summary>
/// The rows of another <see cref="IDataView"/> whose 0-based positions are set in a bit mask, streamed: nothing
/// but the mask (one bit per row) is held in memory. The inner view must enumerate rows in a stable order, as
/// files and caches do.
/// </summary>
public sealed class RowSelectionView : IDataView
{
    private readonly IDataView _inner;
    private readonly BitArray _keep;
    private readonly long _count;

    /// <summary>Selects the rows of <paramref name="inner"/> whose position is set in <paramref name="keep"/>.</summary>
    public RowSelectionView(IDataView inner, BitArray keep)
    {
        _inner = inner ?? throw new ArgumentNullException(nameof(inner));
        _keep = keep ?? throw new ArgumentNullException(nameof(keep));
        _count = keep.Cast<bool>().LongCount(b => b);
    }

    /// <summary>Positions (0-based, in the inner view's order) of the selected rows.</summary>
    public IEnumerable<int> SelectedRows()
    {
        for (var i = 0; i < _keep.Length; i++)
            if (_keep[i])
                yield return i;
    }

    /// <summary>The view the rows are selected from.</summary>
    public IDataView Inner => _inner;

    /// <inheritdoc/>
    public bool CanShuffle => false;

    /// <inheritdoc/>
    public DataViewSchema Schema => _inner.Schema;

    /// <inheritdoc/>
    public long? GetRowCount() => _count;

    /// <inheritdoc/>
    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
        new Cursor(_inner.GetRowCursor(columnsNeeded), _keep);

    /// <inheritdoc/>
    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        new[] { GetRowCursor(columnsNeeded, rand) };

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly DataViewRowCursor _inner;
        private readonly BitArray _keep;
        private long _position = -1;

        public Cursor(DataViewRowCursor inner, BitArray keep)
        {
            _inner = inner;
            _keep = keep;
        }

        public override DataViewSchema Schema => _inner.Schema;
        public override long Position => _position;
        public override long Batch => 0;
        public override bool IsColumnActive(DataViewSchema.Column column) => _inner.IsColumnActive(column);
        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => _inner.GetGetter<TValue>(column);
        public override ValueGetter<DataViewRowId> GetIdGetter() => _inner.GetIdGetter();

        public override bool MoveNext()
        {
            while (_inner.MoveNext())
            {
                var row = _inner.Position;
                if (row >= _keep.Length)
                    throw new InvalidOperationException($"The data has more rows ({row + 1}) than when it was split ({_keep.Length}); it changed underneath the split.");
                if (_keep[(int)row])
                {
                    _position++;
                    return true;
                }
            }
            return false;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                _inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
