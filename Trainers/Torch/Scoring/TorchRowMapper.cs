using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlToolkit.Trainers.Torch.Scoring;

/// <summary>Scores single rows (batch of one) for <c>PredictionEngine</c> and other row-to-row consumers.</summary>
internal sealed class TorchRowMapper : IRowToRowMapper
{
    private readonly TorchPredictionTransformer _transformer;

    public TorchRowMapper(TorchPredictionTransformer transformer, DataViewSchema inputSchema, DataViewSchema outputSchema)
    {
        _transformer = transformer;
        InputSchema = inputSchema;
        OutputSchema = outputSchema;
    }

    public DataViewSchema InputSchema { get; }
    public DataViewSchema OutputSchema { get; }

    public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns)
    {
        var inputCount = InputSchema.Count;
        var needed = dependingColumns.Where(c => c.Index < inputCount).Select(c => InputSchema[c.Index]).ToList();
        if (dependingColumns.Any(c => c.Index >= inputCount))
            needed.Add(_transformer.CheckFeatureColumn(InputSchema));
        return needed.DistinctBy(c => c.Index);
    }

    public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns) =>
        new Row(this, input, activeColumns.Select(c => c.Index).ToHashSet());

    private sealed class Row : DataViewRow
    {
        private readonly TorchRowMapper _mapper;
        private readonly DataViewRow _input;
        private readonly HashSet<int> _active;
        private readonly float[] _features;
        private readonly float[] _scores;
        private readonly Action<float[]>? _readFeatures;
        private long _scoredPosition = long.MinValue;

        public Row(TorchRowMapper mapper, DataViewRow input, HashSet<int> active)
        {
            _mapper = mapper;
            _input = input;
            _active = active;
            var network = mapper._transformer.Network;
            _features = new float[network.FeatureSize];
            _scores = new float[network.Head.PostprocessedSize];
            if (active.Any(i => i >= mapper.InputSchema.Count))
            {
                var column = mapper._transformer.CheckFeatureColumn(mapper.InputSchema);
                if (column.Type is VectorDataViewType)
                {
                    var getter = input.GetGetter<VBuffer<float>>(column);
                    VBuffer<float> buffer = default;
                    _readFeatures = destination =>
                    {
                        getter(ref buffer);
                        buffer.CopyTo(destination);
                    };
                }
                else
                {
                    var getter = input.GetGetter<float>(column);
                    _readFeatures = destination =>
                    {
                        var value = 0f;
                        getter(ref value);
                        destination[0] = value;
                    };
                }
            }
        }

        public override DataViewSchema Schema => _mapper.OutputSchema;
        public override long Position => _input.Position;
        public override long Batch => _input.Batch;
        public override ValueGetter<DataViewRowId> GetIdGetter() => _input.GetIdGetter();
        public override bool IsColumnActive(DataViewSchema.Column column) => _active.Contains(column.Index);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            var inputCount = _mapper.InputSchema.Count;
            if (column.Index < inputCount)
                return _input.GetGetter<TValue>(_mapper.InputSchema[column.Index]);
            var output = _mapper._transformer.Network.Head.OutputColumns[column.Index - inputCount];
            var getter = output.CreateGetter(Scores);
            return getter as ValueGetter<TValue>
                ?? throw new InvalidOperationException($"Column '{column.Name}' holds {column.Type}, not {typeof(TValue).Name}.");
        }

        private ReadOnlyMemory<float> Scores()
        {
            // Score once per input row: every output column's getter reads the same forward pass.
            if (_scoredPosition != _input.Position || _input.Position < 0)
            {
                _readFeatures!(_features);
                _mapper._transformer.Network.Score(_features, 1, _scores);
                _scoredPosition = _input.Position;
            }
            return _scores;
        }
    }
}
