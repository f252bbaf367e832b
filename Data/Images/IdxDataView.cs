using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlToolkit.Data.Images;

/// <summary>
/// An MNIST-style pair of IDX files (images and labels, gzip or raw) as a streaming <see cref="IDataView"/> with an
/// <c>Image</c> column (a 1×rows×columns vector of Single, pixel/255 by default) and a <c>Label</c> column (Single).
/// Both files are read in step through one cursor each; a truncated file is an error naming the file and record.
/// </summary>
public sealed class IdxDataView : ImageRecordDataView
{
    private readonly IdxFile _images;
    private readonly IdxFile _labels;
    private readonly float _scale;

    private IdxDataView(IdxFile images, IdxFile labels, float scale, int? limit)
        : base(new[] { 1, images.Dimensions[1], images.Dimensions[2] }, NumberDataViewType.Single)
    {
        _images = images;
        _labels = labels;
        _scale = scale;
        RowCount = Math.Min(images.Records, limit ?? int.MaxValue);
        Height = images.Dimensions[1];
        Width = images.Dimensions[2];
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

    /// <summary>Whether <paramref name="path"/> is an IDX images file (idx3 of unsigned bytes, gzip or raw).</summary>
    public static bool IsImagesFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return IdxFile.Is(path, 3);
    }

    /// <summary>
    /// The labels file beside an MNIST-style images file, named as MNIST names them: "images" → "labels" and
    /// "idx3" → "idx1" in the file name (train-images-idx3-ubyte.gz → train-labels-idx1-ubyte.gz).
    /// </summary>
    /// <exception cref="DataFormatException">No such file is an IDX labels file (the message names those tried).</exception>
    public static string LabelsBeside(string imagesPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(imagesPath);
        var folder = Path.GetDirectoryName(imagesPath) ?? "";
        var name = Path.GetFileName(imagesPath);
        var renamed = name.Replace("images", "labels", StringComparison.OrdinalIgnoreCase).Replace("idx3", "idx1", StringComparison.OrdinalIgnoreCase);
        var candidates = new[] { renamed, renamed.Replace("-idx1-ubyte", "", StringComparison.OrdinalIgnoreCase) }
            .Where(n => !string.Equals(n, name, StringComparison.OrdinalIgnoreCase)).Distinct().Select(n => Path.Combine(folder, n)).ToList();
        return candidates.FirstOrDefault(c => IdxFile.Is(c, 1))
            ?? throw new DataFormatException(imagesPath, $"is IDX images but no labels file is beside it; expected {string.Join(" or ", candidates.Select(Path.GetFileName))} (idx1), or give the labels with --idx-labels");
    }

    /// <inheritdoc/>
    public override long? GetRowCount() => RowCount;

    /// <inheritdoc/>
    protected override RecordCursor CreateCursor(bool readImage, bool readLabel) => new Cursor(this, readImage, readLabel);

    private sealed class Cursor : RecordCursor
    {
        private readonly IdxDataView _parent;
        private readonly Stream? _images;
        private readonly Stream? _labels;
        private readonly byte[] _pixels;
        private float _label;

        public Cursor(IdxDataView parent, bool readImage, bool readLabel) : base(parent, readImage, readLabel, parent._images.RecordSize)
        {
            _parent = parent;
            _pixels = new byte[parent._images.RecordSize];
            _images = readImage ? parent._images.OpenRecords() : null;
            _labels = readLabel ? parent._labels.OpenRecords() : null;
        }

        public override bool MoveNext()
        {
            if (Current + 1 >= _parent.RowCount)
                return false;
            Current++;
            if (_images is not null)
            {
                if (_images.ReadAtLeast(_pixels, _pixels.Length, throwOnEndOfStream: false) < _pixels.Length)
                    throw Truncated(_parent._images.Path, _parent._images.Records);
                for (var i = 0; i < _pixels.Length; i++)
                    Image[i] = _pixels[i] * _parent._scale;
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

        protected override Delegate LabelGetter() => (ValueGetter<float>)((ref float value) => value = _label);

        private DataFormatException Truncated(string path, int declared) =>
            new(path, $"the file ends at record {Current + 1} but its header declares {declared} records; it is truncated");

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
