using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlToolkit.Data.Images;

/// <summary>
/// Shared shape of the binary image-record views (IDX, CIFAR-10): an <c>Image</c> tensor column and a
/// <c>Label</c> column, streamed in file order by one cursor per request.
/// </summary>
public abstract class ImageRecordDataView : IDataView
{
    /// <summary>The image column's name.</summary>
    public const string ImageColumn = "Image";

    /// <summary>The label column's name.</summary>
    public const string LabelColumn = "Label";

    /// <summary>Builds the schema: an image of <paramref name="dimensions"/> and a label of <paramref name="labelType"/>.</summary>
    protected ImageRecordDataView(int[] dimensions, DataViewType labelType)
    {
        var builder = new DataViewSchema.Builder();
        builder.AddColumn(ImageColumn, new VectorDataViewType(NumberDataViewType.Single, dimensions));
        builder.AddColumn(LabelColumn, labelType);
        Schema = builder.ToSchema();
    }

    /// <inheritdoc/>
    public bool CanShuffle => false;

    /// <inheritdoc/>
    public DataViewSchema Schema { get; }

    /// <inheritdoc/>
    public abstract long? GetRowCount();

    /// <inheritdoc/>
    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var active = new bool[2];
        foreach (var column in columnsNeeded)
            active[column.Index] = true;
        return CreateCursor(active[0], active[1]);
    }

    /// <inheritdoc/>
    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        new[] { GetRowCursor(columnsNeeded, rand) };

    /// <summary>A cursor reading the image and/or the label.</summary>
    protected abstract RecordCursor CreateCursor(bool readImage, bool readLabel);

    /// <summary>A cursor over records: derived classes fill <see cref="Image"/> and the label as they move.</summary>
    protected abstract class RecordCursor : DataViewRowCursor
    {
        private readonly ImageRecordDataView _parent;
        private readonly bool[] _active;

        /// <summary>Creates the cursor with an image buffer of <paramref name="imageSize"/> floats.</summary>
        protected RecordCursor(ImageRecordDataView parent, bool readImage, bool readLabel, int imageSize)
        {
            _parent = parent;
            _active = new[] { readImage, readLabel };
            Image = new float[imageSize];
        }

        /// <summary>The current record's pixels.</summary>
        protected float[] Image { get; }

        /// <summary>0-based index of the current record.</summary>
        protected long Current { get; set; } = -1;

        /// <summary>Whether the image column was requested.</summary>
        protected bool ReadsImage => _active[0];

        /// <inheritdoc/>
        public override DataViewSchema Schema => _parent.Schema;

        /// <inheritdoc/>
        public override long Position => Current;

        /// <inheritdoc/>
        public override long Batch => 0;

        /// <inheritdoc/>
        public override bool IsColumnActive(DataViewSchema.Column column) => _active[column.Index];

        /// <inheritdoc/>
        public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId id) => id = new DataViewRowId((ulong)Current, 0);

        /// <summary>The typed getter of the current label.</summary>
        protected abstract Delegate LabelGetter();

        /// <inheritdoc/>
        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (!_active[column.Index])
                throw new InvalidOperationException($"Column '{column.Name}' was not requested when the cursor was created.");
            var getter = column.Index == 0
                ? (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) =>
                {
                    var editor = VBufferEditor.Create(ref value, Image.Length);
                    Image.CopyTo(editor.Values);
                    value = editor.Commit();
                })
                : LabelGetter();
            return getter as ValueGetter<TValue> ?? throw new InvalidOperationException($"Column '{column.Name}' holds {column.Type}, not {typeof(TValue).Name}.");
        }
    }
}
