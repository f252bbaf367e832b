using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlToolkit.Trainers.Torch.Scoring;

/// <summary>
/// The lazy output of <see cref="TorchPredictionTransformer.Transform"/>. Each cursor walks the input twice in
/// lock step: a look-ahead cursor reads the next batch's features and scores them in one forward pass, while the
/// main cursor serves the input's own columns row by row. Both see the same row order (the view never shuffles).
/// </summary>
internal sealed class TorchScoredDataView : IDataView
{
    private readonly TorchPredictionTransformer _transformer;
    private readonly IDataView _input;

    public TorchScoredDataView(TorchPredictionTransformer transformer, IDataView input, DataViewSchema schema)
    {
        _transformer = transformer;
        _input = input;
        Schema = schema;
    }

    public bool CanShuffle => false;
    public DataViewSchema Schema { get; }
    public long? GetRowCount() => _input.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var needed = columnsNeeded.Select(c => c.Index).ToHashSet();
        var inputCount = _input.Schema.Count;
        var inputColumns = needed.Where(i => i < inputCount).Select(i => _input.Schema[i]).ToList();
        var scoring = needed.Any(i => i >= inputCount);
        return new Cursor(this, _input.GetRowCursor(inputColumns), needed, scoring);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        new[] { GetRowCursor(columnsNeeded, rand) };

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly TorchScoredDataView _parent;
        private readonly DataViewRowCursor _main;
        private readonly HashSet<int> _active;
        private readonly DataViewRowCursor? _lookahead;
        private readonly ValueGetter<VBuffer<float>>? _vectorFeatures;
        private readonly ValueGetter<float>? _scalarFeatures;
        private readonly float[] _features;
        private readonly float[] _scores;
        private readonly int _width;
        private VBuffer<float> _buffer;
        private long _batchStart;
        private int _batchCount;

        public Cursor(TorchScoredDataView parent, DataViewRowCursor main, HashSet<int> active, bool scoring)
        {
            _parent = parent;
            _main = main;
            _active = active;
            var network = parent._transformer.Network;
            var batch = parent._transformer.InferenceBatchSize;
            _width = network.Head.PostprocessedSize;
            _features = new float[batch * network.FeatureSize];
            _scores = new float[batch * _width];
            if (scoring)
            {
                parent._transformer.ApplyThreads();
                var featureColumn = parent._transformer.CheckFeatureColumn(parent._input.Schema);
                _lookahead = parent._input.GetRowCursor(new[] { featureColumn });
                if (featureColumn.Type is VectorDataViewType)
                    _vectorFeatures = _lookahead.GetGetter<VBuffer<float>>(featureColumn);
                else
                    _scalarFeatures = _lookahead.GetGetter<float>(featureColumn);
            }
        }

        public override DataViewSchema Schema => _parent.Schema;
        public override long Position => _main.Position;
        public override long Batch => _main.Batch;
        public override ValueGetter<DataViewRowId> GetIdGetter() => _main.GetIdGetter();
        public override bool IsColumnActive(DataViewSchema.Column column) => _active.Contains(column.Index);

        public override bool MoveNext()
        {
            if (!_main.MoveNext())
                return false;
            if (_lookahead is not null && _main.Position >= _batchStart + _batchCount)
                ScoreNextBatch();
            return true;
        }

        private void ScoreNextBatch()
        {
            var network = _parent._transformer.Network;
            var size = network.FeatureSize;
            _batchStart = _main.Position;
            _batchCount = 0;
            var capacity = _scores.Length / _width;
            while (_batchCount < capacity && _lookahead!.MoveNext())
            {
                var destination = _features.AsSpan(_batchCount * size, size);
                if (_vectorFeatures is not null)
                {
                    _vectorFeatures(ref _buffer);
                    _buffer.CopyTo(destination);
                }
                else
                {
                    var value = 0f;
                    _scalarFeatures!(ref value);
                    destination[0] = value;
                }
                _batchCount++;
            }
            if (_batchCount == 0)
                throw new InvalidOperationException("The input returned fewer rows to the scoring cursor than to the main cursor; its row order is not stable.");
            network.Score(_features, _batchCount, _scores);
        }

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (!IsColumnActive(column))
                throw new InvalidOperationException($"Column '{column.Name}' was not requested when the cursor was created.");
            var inputCount = _parent._input.Schema.Count;
            if (column.Index < inputCount)
                return _main.GetGetter<TValue>(_parent._input.Schema[column.Index]);
            var output = _parent._transformer.Network.Head.OutputColumns[column.Index - inputCount];
            var getter = output.CreateGetter(() => _scores.AsMemory((int)(_main.Position - _batchStart) * _width, _width));
            return getter as ValueGetter<TValue>
                ?? throw new InvalidOperationException($"Column '{column.Name}' holds {column.Type}, not {typeof(TValue).Name}.");
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _main.Dispose();
                _lookahead?.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
