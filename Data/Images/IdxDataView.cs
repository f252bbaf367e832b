using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlToolkit.Data.Images;

/// <summary>
/// An MNIST-style pair of IDX files (images and labels, gzip or raw) as a streaming <see cref="IDataView"/> with an
/// <c>Image</c> column (a 1×rows×columns vector of Single, pixel/255 by default) and a <c>Label</c> column (Single).
/// Both files are read in step through one cursor each; a truncated file is an error naming the file and record.
/// </summary>
public sealed class IdxDataView : IDataView
{
    /// <summary>The image column's name.</summary>
    public const string ImageColumn = "Image";

    /// <summary>The label column's name.</summary>
    public const string LabelColumn = "Label";

    private readonly IdxFile _images;
    private readonly IdxFile _labels;
    private readonly float _scale;

    private IdxDataView(IdxFile images, IdxFile labels, float scale, int? limit)
    {
        _images = images;
        _labels = labels;
        _scale = scale;
        RowCount = Math.Min(images.Records, limit ?? int.MaxValue);
        Height = images.Dimensions[1];
        Width = images.Dimensions[2];
        var builder = new DataViewSchema.Builder();
        builder.AddColumn(ImageColumn, new VectorDataViewType(NumberDataViewType.Single, 1, Height, Width));
        builder.AddColumn(LabelColumn, NumberDataViewType.Single);
        Schema = builder.ToSchema();
    }

    /// <summary>Image height in pixels.</summary>
    public int Height { get; }

    /// <summary>Image width in pixels.</summary>
    public int Width { get; }

    /// <summary>Rows the view yields.</summary>
    public int RowCount { get; }

    /// <summary>Opens an images/labels pair, checking that the headers agree.</summary>
    /// <param name="imagesPath">The idx3 images file (e.g. train-images-idx3-ubyte.gz).</param>
    /// <param name="labelsPath">The idx1 labels file (e.g. train-labels-idx1-ubyte.gz).</param>
    /// <param name="scale">Pixel multiplier; default 1/255 maps bytes to [0, 1].</param>
    /// <param name="limit">Read at most this many records; null reads all.</param>
    /// <exception cref="DataFormatException">A file is missing or malformed, or the counts differ.</exception>
    public static IdxDataView Load(string imagesPath, string labelsPath, float scale = 1f / 255, int? limit = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(imagesPath);
        ArgumentException.ThrowIfNullOrWhiteSpace(labelsPath);
        if (limit is { } l)
            ArgumentOutOfRangeException.ThrowIfLessThan(l, 1, nameof(limit));
        var images = IdxFile.Open(imagesPath, 3);
        var labels = IdxFile.Open(labelsPath, 1);
        if (images.Records != labels.Records)
            throw new DataFormatException(labelsPath, $"holds {labels.Records} labels but '{imagesPath}' holds {images.Records} images; expected the same count");
        return new IdxDataView(images, labels, scale, limit);
    }

    /// <inheritdoc/>
    public bool CanShuffle => false;

    /// <inheritdoc/>
    public DataViewSchema Schema { get; }

    /// <inheritdoc/>
    public long? GetRowCount() => RowCount;

    /// <inheritdoc/>
    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var active = new bool[2];
        foreach (var column in columnsNeeded)
            active[column.Index] = true;
        return new Cursor(this, active);
    }

    /// <inheritdoc/>
    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        new[] { GetRowCursor(columnsNeeded, rand) };

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly IdxDataView _parent;
        private readonly bool[] _active;
        private readonly Stream? _images;
        private readonly Stream? _labels;
        private readonly byte[] _pixels;
        private readonly float[] _image;
        private float _label;
        private long _position = -1;

        public Cursor(IdxDataView parent, bool[] active)
        {
            _parent = parent;
            _active = active;
            _pixels = new byte[parent._images.RecordSize];
            _image = new float[_pixels.Length];
            _images = active[0] ? parent._images.OpenRecords() : null;
            _labels = active[1] ? parent._labels.OpenRecords() : null;
        }

        public override DataViewSchema Schema => _parent.Schema;
        public override long Position => _position;
        public override long Batch => 0;
        public override bool IsColumnActive(DataViewSchema.Column column) => _active[column.Index];
        public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId id) => id = new DataViewRowId((ulong)_position, 0);

        public override bool MoveNext()
        {
            if (_position + 1 >= _parent.RowCount)
                return false;
            _position++;
            if (_images is not null)
            {
                if (_images.ReadAtLeast(_pixels, _pixels.Length, throwOnEndOfStream: false) < _pixels.Length)
                    throw Truncated(_parent._images.Path, _parent._images.Records);
                for (var i = 0; i < _pixels.Length; i++)
                    _image[i] = _pixels[i] * _parent._scale;
            }
            if (_labels is not null)
            {
                var value = _labels.ReadByte();
                if (value < 0)
                    throw Truncated(_parent._labels.Path, _parent._labels.Records);
                _label = value;
            }
            return true;
        }

        private DataFormatException Truncated(string path, int declared) =>
            new(path, $"the file ends at record {_position + 1} but its header declares {declared} records; it is truncated");

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (!_active[column.Index])
                throw new InvalidOperationException($"Column '{column.Name}' was not requested when the cursor was created.");
            Delegate getter = column.Index == 0
                ? (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) =>
                {
                    var editor = VBufferEditor.Create(ref value, _image.Length);
                    _image.CopyTo(editor.Values);
                    value = editor.Commit();
                })
                : (ValueGetter<float>)((ref float value) => value = _label);
            return getter as ValueGetter<TValue> ?? throw new InvalidOperationException($"Column '{column.Name}' holds {column.Type}, not {typeof(TValue).Name}.");
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _images?.Dispose();
                _labels?.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
