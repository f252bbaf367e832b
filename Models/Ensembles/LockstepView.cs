using Microsoft.ML;
using Microsoft.ML.Data;
using MlToolkit.Pipelines.Transforms;

namespace MlToolkit.Models.Ensembles;

/// <summary>
/// The ensemble's output over a view: the input's rows with the blend of the members' outputs, read by advancing a
/// cursor over the input and one over each member's scored view together (row-to-row members keep the input's order).
/// A shuffled cursor is served by the row-by-row view instead, since separate shuffled cursors would not line up.
/// </summary>
internal sealed class LockstepView(EnsembleTransformer ensemble, IDataView input, IDataView rowByRow, IReadOnlyList<IDataView> members) : IDataView
{
    public bool CanShuffle => input.CanShuffle;

    public DataViewSchema Schema => rowByRow.Schema;

    public long? GetRowCount() => input.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var needed = columnsNeeded.ToList();
        if (rand is not null || needed.All(c => c.Index < input.Schema.Count))
            return rowByRow.GetRowCursor(needed, rand);
        var inputColumns = needed.Where(c => c.Index < input.Schema.Count).Select(c => input.Schema[c.Index]).ToList();
        var voteColumn = ensemble.Task == Data.PredictionTask.BinaryClassification ? "Probability" : "Score";
        var memberCursors = members.Select(m => m.GetRowCursor(new[] { m.Schema[voteColumn] })).ToList();
        return new Cursor(input.GetRowCursor(inputColumns), memberCursors, voteColumn, Schema, needed.Select(c => c.Index).ToHashSet(), input.Schema.Count,
            votes => ensemble.BlendOf(votes));
    }

    // One cursor: the members' cursors must advance together, which several parallel cursors could not promise.
    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        new[] { GetRowCursor(columnsNeeded, rand) };

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly DataViewRowCursor _input;
        private readonly List<DataViewRowCursor> _members;
        private readonly DataViewSchema _schema;
        private readonly HashSet<int> _active;
        private readonly int _inputCount;
        private readonly ColumnAddingTransformer.RowComputation _blend;
        private long _computedAt = -1;

        public Cursor(DataViewRowCursor input, List<DataViewRowCursor> members, string voteColumn, DataViewSchema schema, HashSet<int> active, int inputCount,
            Func<IReadOnlyList<Func<float[]>>, ColumnAddingTransformer.RowComputation> blend)
        {
            _input = input;
            _members = members;
            _schema = schema;
            _active = active;
            _inputCount = inputCount;
            _blend = blend(members.Select(m => EnsembleTransformer.VoteReader(m, m.Schema[voteColumn])).ToList());
        }

        public override DataViewSchema Schema => _schema;
        public override long Position => _input.Position;
        public override long Batch => _input.Batch;
        public override ValueGetter<DataViewRowId> GetIdGetter() => _input.GetIdGetter();
        public override bool IsColumnActive(DataViewSchema.Column column) => _active.Contains(column.Index);

        public override bool MoveNext()
        {
            var more = _input.MoveNext();
            foreach (var member in _members)
            {
                if (member.MoveNext() != more)
                    throw new InvalidOperationException("An ensemble member's scored view has a different number of rows than its input.");
            }
            return more;
        }

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (column.Index < _inputCount)
                return _input.GetGetter<TValue>(_input.Schema[column.Index]);
            var inner = _blend.Getter(column.Index - _inputCount) as ValueGetter<TValue>
                ?? throw new InvalidOperationException($"Column '{column.Name}' holds {column.Type}, not {typeof(TValue).Name}.");
            return (ref TValue value) =>
            {
                if (_computedAt != _input.Position)
                {
                    _blend.Compute();
                    _computedAt = _input.Position;
                }
                inner(ref value);
            };
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _input.Dispose();
                foreach (var member in _members)
                    member.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
