using Microsoft.ML;
using Microsoft.ML.Data;
using MlToolkit.Trainers.Torch.Heads;

namespace MlToolkit.Trainers.Torch.Training;

/// <summary>A batch of examples in reusable buffers: <see cref="Count"/> rows of features, and their labels.</summary>
internal sealed class Batch
{
    public Batch(int capacity, int featureSize)
    {
        Features = new float[checked(capacity * featureSize)];
        Labels = new float[capacity];
        FeatureSize = featureSize;
    }

    public float[] Features { get; }
    public float[] Labels { get; }
    public int FeatureSize { get; }
    public int Count { get; set; }
}

/// <summary>
/// Streams batches of (features, label) from an <see cref="IDataView"/> through one cursor, so memory does not
/// grow with the data. Shuffles each epoch: data that can shuffle itself (caches) is read in a random order;
/// other data (files) goes through a fixed-size shuffle buffer. Rows whose label is missing are skipped; a
/// non-finite feature is an error naming the row.
/// </summary>
internal sealed class BatchReader
{
    private readonly IDataView _data;
    private readonly DataViewSchema.Column _features;
    private readonly DataViewSchema.Column? _label;
    private readonly PredictionHead? _head;
    private readonly int _featureSize;
    private readonly DataViewSchema.Column? _extra;
    private readonly int _extraSize;

    /// <summary>
    /// Reads <paramref name="features"/> (and the label); with <paramref name="extra"/>, each row's
    /// <paramref name="extraSize"/> values of that column follow its features in the batch (a teacher's scores).
    /// </summary>
    public BatchReader(IDataView data, DataViewSchema.Column features, int featureSize, DataViewSchema.Column? label, PredictionHead? head,
        DataViewSchema.Column? extra = null, int extraSize = 0)
    {
        _data = data;
        _features = features;
        _featureSize = featureSize + extraSize;
        _label = label;
        _head = head;
        _extra = extra;
        _extraSize = extraSize;
    }

    /// <summary>
    /// The rows a shuffle buffer holds: <paramref name="requestedRows"/>, fewer when that many rows of
    /// <paramref name="featureSize"/> floats would take more than <paramref name="maxBytes"/> (wide features such as
    /// TF-IDF), but never fewer than one batch. A batch that cannot fit in one buffer is an error that says what to change.
    /// </summary>
    public static int ShuffleBufferRows(int requestedRows, int featureSize, int batchSize, long maxBytes, string column)
    {
        var rowBytes = (long)featureSize * sizeof(float);
        if ((long)batchSize * featureSize > Array.MaxLength)
        {
            throw new SchemaException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"Feature column '{column}' has {featureSize:N0} values per row: a batch of {batchSize:N0} rows needs {batchSize * rowBytes / (1024.0 * 1024 * 1024):0.0} GiB, more than one buffer can hold. Lower BatchSize or use fewer features (e.g. fewer n-grams, or hashing)."));
        }
        var fitting = Math.Max(batchSize, maxBytes / rowBytes);
        return (int)Math.Min(Math.Min(requestedRows, fitting), Array.MaxLength / featureSize);
    }

    /// <summary>Rows skipped for a missing label in the last complete pass.</summary>
    public long SkippedRows { get; private set; }

    /// <summary>Yields batches of up to <paramref name="batchSize"/> rows; the same <see cref="Batch"/> object is reused.</summary>
    public IEnumerable<Batch> Read(int batchSize, Random? shuffle, int shuffleBufferRows, CancellationToken cancellationToken)
    {
        var columns = new[] { _features }.Concat(_label is { } label ? new[] { label } : Array.Empty<DataViewSchema.Column>())
            .Concat(_extra is { } extra ? new[] { extra } : Array.Empty<DataViewSchema.Column>()).ToArray();
        using var cursor = _data.GetRowCursor(columns, shuffle is not null && _data.CanShuffle ? shuffle : null);
        var rows = new RowSource(this, cursor, cancellationToken);
        var batches = shuffle is not null && !_data.CanShuffle
            ? ThroughShuffleBuffer(rows, new Batch(batchSize, _featureSize), new Batch(shuffleBufferRows, _featureSize), shuffle)
            : InOrder(rows, new Batch(batchSize, _featureSize));
        foreach (var batch in batches)
            yield return batch;
        SkippedRows = rows.Skipped;
    }

    private static IEnumerable<Batch> InOrder(RowSource rows, Batch batch)
    {
        var capacity = batch.Labels.Length;
        while (true)
        {
            batch.Count = 0;
            while (batch.Count < capacity && rows.Next(batch.Features, batch.Count, out var value))
                batch.Labels[batch.Count++] = value;
            if (batch.Count == 0)
                yield break;
            yield return batch;
            if (batch.Count < capacity)
                yield break;
        }
    }

    // A shuffle buffer: emit a random pooled row and refill its slot from the stream.
    private IEnumerable<Batch> ThroughShuffleBuffer(RowSource rows, Batch batch, Batch pool, Random random)
    {
        var capacity = batch.Labels.Length;
        pool.Count = 0;
        while (pool.Count < pool.Labels.Length && rows.Next(pool.Features, pool.Count, out var value))
            pool.Labels[pool.Count++] = value;
        batch.Count = 0;
        while (pool.Count > 0)
        {
            var pick = random.Next(pool.Count);
            pool.Features.AsSpan(pick * _featureSize, _featureSize).CopyTo(batch.Features.AsSpan(batch.Count * _featureSize));
            batch.Labels[batch.Count++] = pool.Labels[pick];
            if (rows.Next(pool.Features, pick, out var next))
            {
                pool.Labels[pick] = next;
            }
            else
            {
                var last = --pool.Count;
                pool.Features.AsSpan(last * _featureSize, _featureSize).CopyTo(pool.Features.AsSpan(pick * _featureSize));
                pool.Labels[pick] = pool.Labels[last];
            }
            if (batch.Count == capacity)
            {
                yield return batch;
                batch.Count = 0;
            }
        }
        if (batch.Count > 0)
            yield return batch;
    }

    /// <summary>Reads rows of one cursor into buffers, skipping rows without a label and checking that features are finite.</summary>
    private sealed class RowSource
    {
        private readonly DataViewRowCursor _cursor;
        private readonly CancellationToken _cancellation;
        private readonly FeatureRead _readFeatures;
        private readonly Func<float> _readLabel;
        private readonly int _featureSize;

        public RowSource(BatchReader reader, DataViewRowCursor cursor, CancellationToken cancellation)
        {
            _cursor = cursor;
            _cancellation = cancellation;
            _featureSize = reader._featureSize;
            _readFeatures = reader.FeatureReader(cursor);
            _readLabel = reader._label is { } l ? reader._head!.LabelReader(cursor, l) : () => 0f;
        }

        public long Skipped { get; private set; }

        public bool Next(float[] features, int offset, out float label)
        {
            while (_cursor.MoveNext())
            {
                _cancellation.ThrowIfCancellationRequested();
                label = _readLabel();
                if (float.IsNaN(label))
                {
                    Skipped++;
                    continue;
                }
                _readFeatures(features.AsSpan(offset * _featureSize, _featureSize), _cursor.Position + 1);
                return true;
            }
            label = 0;
            return false;
        }
    }

    private delegate void FeatureRead(Span<float> destination, long row);

    private FeatureRead FeatureReader(DataViewRow row)
    {
        var features = VectorReader(row, _features, _featureSize - _extraSize);
        if (_extra is not { } extra)
            return features;
        var teacher = VectorReader(row, extra, _extraSize);
        var split = _featureSize - _extraSize;
        return (destination, position) =>
        {
            features(destination[..split], position);
            teacher(destination[split..], position);
        };
    }

    private static FeatureRead VectorReader(DataViewRow row, DataViewSchema.Column column, int size)
    {
        var name = column.Name;
        if (column.Type is VectorDataViewType)
        {
            var getter = row.GetGetter<VBuffer<float>>(column);
            VBuffer<float> buffer = default;
            return (destination, position) =>
            {
                getter(ref buffer);
                if (buffer.Length != size)
                    throw new SchemaException($"Feature column '{name}' has {buffer.Length} values at row {position}; expected {size}.");
                buffer.CopyTo(destination);
                CheckFinite(destination, name, position);
            };
        }
        var scalar = row.GetGetter<float>(column);
        var value = 0f;
        return (destination, position) =>
        {
            scalar(ref value);
            destination[0] = value;
            CheckFinite(destination, name, position);
        };
    }

    private static void CheckFinite(Span<float> values, string column, long row)
    {
        foreach (var value in values)
        {
            if (!float.IsFinite(value))
            {
                throw new DataFormatException($"feature column '{column}'",
                    $"row {row} holds {value}; features must be finite numbers (replace missing values first, e.g. mlContext.Transforms.ReplaceMissingValues)");
            }
        }
    }
}
