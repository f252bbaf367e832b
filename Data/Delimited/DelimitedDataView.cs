using Microsoft.ML;
using Microsoft.ML.Data;
using MlToolkit.Data.IO;

namespace MlToolkit.Data.Delimited;

/// <summary>
/// A streaming <see cref="IDataView"/> over a delimited file: every cursor reads the file from the start and
/// parses only the columns it needs, so memory does not grow with the file. A value that does not fit its
/// column's kind (or, in a column inferred as dates, is no date), or a record with the wrong number of fields, raises a <see cref="DataFormatException"/>
/// naming the file, line, column and value.
/// </summary>
public sealed class DelimitedDataView : IDataView
{
    private readonly TextSource _source;
    private readonly IReadOnlySet<string> _missingTokens;
    private long _rowCount = -1;

    /// <summary>Creates the view over <paramref name="source"/> with a known schema.</summary>
    public DelimitedDataView(TextSource source, DelimitedSchema layout, IReadOnlySet<string>? missingValueTokens = null)
    {
        _source = source ?? throw new ArgumentNullException(nameof(source));
        Layout = layout ?? throw new ArgumentNullException(nameof(layout));
        _missingTokens = missingValueTokens ?? new DelimitedLoadOptions().MissingValueTokens;
        var builder = new DataViewSchema.Builder();
        foreach (var column in layout.Columns)
            builder.AddColumn(column.Name, ToDataViewType(column.Kind));
        Schema = builder.ToSchema();
    }

    /// <summary>The file's layout: format, columns, and what inference saw.</summary>
    public DelimitedSchema Layout { get; }

    /// <summary>The layout of the delimited file behind <paramref name="data"/>, also through row selections (splits and folds); null for other data.</summary>
    public static DelimitedSchema? LayoutOf(IDataView data) => data switch
    {
        DelimitedDataView delimited => delimited.Layout,
        Splits.RowSelectionView selection => LayoutOf(selection.Inner),
        _ => null,
    };

    /// <summary>The file path or dataset name.</summary>
    public string SourceName => _source.Name;

    /// <inheritdoc/>
    public bool CanShuffle => false;

    /// <inheritdoc/>
    public DataViewSchema Schema { get; }

    /// <summary>The row count once a cursor has read the whole file; null before.</summary>
    public long? GetRowCount()
    {
        var count = Interlocked.Read(ref _rowCount);
        return count < 0 ? null : count;
    }

    /// <inheritdoc/>
    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var active = new bool[Schema.Count];
        foreach (var column in columnsNeeded)
            active[column.Index] = true;
        return new Cursor(this, active);
    }

    /// <inheritdoc/>
    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        new[] { GetRowCursor(columnsNeeded, rand) };

    /// <summary>The ML.NET type a column kind is stored as.</summary>
    public static DataViewType ToDataViewType(ColumnKind kind) => kind switch
    {
        ColumnKind.Numeric => NumberDataViewType.Single,
        ColumnKind.Boolean => BooleanDataViewType.Instance,
        _ => TextDataViewType.Instance,
    };

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly DelimitedDataView _parent;
        private readonly bool[] _active;
        private readonly DelimitedRecordReader _reader;
        private readonly List<string> _fields = new();
        private readonly float[] _numbers;
        private readonly bool[] _booleans;
        private readonly ReadOnlyMemory<char>[] _texts;
        private readonly char _decimalMark;
        private long _position = -1;
        private bool _done;

        public Cursor(DelimitedDataView parent, bool[] active)
        {
            _parent = parent;
            _active = active;
            var width = parent.Layout.Columns.Count;
            _numbers = new float[width];
            _booleans = new bool[width];
            _texts = new ReadOnlyMemory<char>[width];
            var format = parent.Layout.Format;
            _decimalMark = format.DecimalSeparator;
            _reader = new DelimitedRecordReader(parent._source.OpenReader(), parent._source.Name, format.Separator, format.AllowQuoting);
            _reader.SkipLines(format.TitleLines);
            _reader.LeaveOutLast(format.FooterLines);
            if (format.HasHeader)
                _reader.TryRead(_fields);
        }

        public override DataViewSchema Schema => _parent.Schema;
        public override long Position => _position;
        public override long Batch => 0;

        public override bool IsColumnActive(DataViewSchema.Column column) => _active[column.Index];

        public override ValueGetter<DataViewRowId> GetIdGetter() =>
            (ref DataViewRowId id) => id = new DataViewRowId((ulong)_position, 0);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (!_active[column.Index])
                throw new InvalidOperationException($"Column '{column.Name}' was not requested when the cursor was created.");
            var index = column.Index;
            Delegate getter = _parent.Layout.Columns[index].Kind switch
            {
                ColumnKind.Numeric => (ValueGetter<float>)((ref float value) => value = _numbers[index]),
                ColumnKind.Boolean => (ValueGetter<bool>)((ref bool value) => value = _booleans[index]),
                _ => (ValueGetter<ReadOnlyMemory<char>>)((ref ReadOnlyMemory<char> value) => value = _texts[index]),
            };
            return getter as ValueGetter<TValue>
                ?? throw new InvalidOperationException($"Column '{column.Name}' holds {column.Type}, not {typeof(TValue).Name}.");
        }

        public override bool MoveNext()
        {
            if (_done)
                return false;
            if (!_reader.TryRead(_fields))
            {
                _done = true;
                Interlocked.Exchange(ref _parent._rowCount, _position + 1);
                return false;
            }
            var columns = _parent.Layout.Columns;
            if (_fields.Count != columns.Count)
                throw DelimitedSchemaInference.FieldCountError(_parent._source.Name, _reader.RecordLine, columns.Count, _fields.Count, _parent.Layout.Format.HasHeader);
            for (var i = 0; i < columns.Count; i++)
            {
                if (_active[i])
                    Parse(columns[i], _fields[i]);
            }
            _position++;
            return true;
        }

        private void Parse(DelimitedColumn column, string field)
        {
            var i = column.Index;
            var missing = DelimitedSchemaInference.IsMissing(field, _parent._missingTokens);
            switch (column.Kind)
            {
                case ColumnKind.Numeric:
                    if (missing)
                        _numbers[i] = float.NaN;
                    else if (!DelimitedSchemaInference.TryParseNumber(field, _decimalMark, out _numbers[i]))
                        throw BadValue(column, field, $"expected a number with '{_decimalMark}' as decimal mark (the column was read as numeric; override its type if it holds text)");
                    else if (!float.IsFinite(_numbers[i]))
                        throw BadValue(column, field, "expected a finite number; infinities are not allowed (leave the field empty or write NA for a missing value)");
                    break;
                case ColumnKind.Boolean:
                    if (missing || !DelimitedSchemaInference.TryParseBoolean(field, out _booleans[i]))
                        throw BadValue(column, field, "expected true or false");
                    break;
                default:
                    // Inference saw dates in its sample only; a later value that is none would become a missing date.
                    if (!missing && column.Purpose == ColumnPurpose.DateTime && !DateText.TryParse(field, column.DateOrder, out _))
                        throw BadValue(column, field, DateText.Expected(column.DateOrder, "--column-type NAME=text"));
                    _texts[i] = missing ? ReadOnlyMemory<char>.Empty : field.AsMemory();
                    break;
            }
        }

        private DataFormatException BadValue(DelimitedColumn column, string field, string expected) =>
            new(_parent._source.Name, expected, _reader.RecordLine, column.Name, field);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                _reader.Dispose();
            base.Dispose(disposing);
        }
    }
}
