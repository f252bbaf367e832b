using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlToolkit.Data.Images;

/// <summary>
/// CIFAR-10 binary batches (<c>data_batch_1.bin</c> … <c>data_batch_5.bin</c>, <c>test_batch.bin</c>): records of
/// 1 label byte and 3,072 pixel bytes (1,024 red, 1,024 green, 1,024 blue, row-major 32×32), streamed as an
/// <c>Image</c> column (3×32×32 Single, pixel/255 by default) and a <c>Label</c> column (class name text, from
/// <c>batches.meta.txt</c> beside the files when present, else the CIFAR-10 class names).
/// </summary>
public sealed class Cifar10DataView : ImageRecordDataView
{
    /// <summary>Bytes per record: 1 label + 3 × 32 × 32 pixels.</summary>
    public const int RecordSize = 1 + 3 * 32 * 32;

    /// <summary>The ten CIFAR-10 classes in label order.</summary>
    public static IReadOnlyList<string> DefaultClassNames { get; } =
        new[] { "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck" };

    private readonly IReadOnlyList<string> _files;
    private readonly IReadOnlyList<long> _counts;
    private readonly float _scale;

    private Cifar10DataView(IReadOnlyList<string> files, IReadOnlyList<long> counts, IReadOnlyList<string> classNames, float scale)
        : base(new[] { 3, 32, 32 }, TextDataViewType.Instance)
    {
        _files = files;
        _counts = counts;
        ClassNames = classNames;
        _scale = scale;
    }

    /// <summary>Class names by label byte.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Opens one or more batch files, read in the order given.</summary>
    /// <exception cref="DataFormatException">A file is missing, empty, or not a whole number of records.</exception>
    public static Cifar10DataView Load(IEnumerable<string> batchFiles, float scale = 1f / 255)
    {
        ArgumentNullException.ThrowIfNull(batchFiles);
        var files = batchFiles.ToList();
        if (files.Count == 0)
            throw new ArgumentException("Give at least one CIFAR-10 batch file.", nameof(batchFiles));
        var counts = new List<long>();
        foreach (var file in files)
        {
            if (!File.Exists(file))
                throw new DataFormatException(file, "file not found");
            var length = new FileInfo(file).Length;
            if (length == 0 || length % RecordSize != 0)
                throw new DataFormatException(file, $"is {length} bytes, not a whole number of {RecordSize}-byte CIFAR-10 records (1 label byte + 3,072 pixel bytes); the file is truncated or not a CIFAR-10 binary batch");
            counts.Add(length / RecordSize);
        }
        var meta = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(files[0]))!, "batches.meta.txt");
        var names = File.Exists(meta)
            ? File.ReadAllLines(meta).Select(l => l.Trim()).Where(l => l.Length > 0).ToList()
            : DefaultClassNames.ToList();
        return new Cifar10DataView(files, counts, names, scale);
    }

    /// <inheritdoc/>
    public override long? GetRowCount() => _counts.Sum();

    /// <inheritdoc/>
    protected override RecordCursor CreateCursor(bool readImage, bool readLabel) => new Cursor(this, readImage, readLabel);

    private sealed class Cursor : RecordCursor
    {
        private readonly Cifar10DataView _parent;
        private readonly byte[] _record = new byte[RecordSize];
        private Stream? _stream;
        private int _file = -1;
        private long _recordInFile;
        private ReadOnlyMemory<char> _label;

        public Cursor(Cifar10DataView parent, bool readImage, bool readLabel) : base(parent, readImage, readLabel, RecordSize - 1)
        {
            _parent = parent;
        }

        public override bool MoveNext()
        {
            while (_stream is null || _recordInFile >= _parent._counts[_file])
            {
                _stream?.Dispose();
                _stream = null;
                if (++_file >= _parent._files.Count)
                    return false;
                _stream = new FileStream(_parent._files[_file], FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
                _recordInFile = 0;
            }
            _stream.ReadExactly(_record);
            _recordInFile++;
            Current++;
            var label = _record[0];
            if (label >= _parent.ClassNames.Count)
                throw new DataFormatException(_parent._files[_file], $"record {_recordInFile} has label byte {label}; expected 0 to {_parent.ClassNames.Count - 1}");
            _label = _parent.ClassNames[label].AsMemory();
            if (ReadsImage)
            {
                for (var i = 0; i < Image.Length; i++)
                    Image[i] = _record[i + 1] * _parent._scale;
            }
            return true;
        }

        protected override Delegate LabelGetter() => (ValueGetter<ReadOnlyMemory<char>>)((ref ReadOnlyMemory<char> value) => value = _label);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                _stream?.Dispose();
            base.Dispose(disposing);
        }
    }
}
