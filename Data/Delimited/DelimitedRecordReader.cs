using System.Text;

namespace MlToolkit.Data.Delimited;

/// <summary>
/// Splits delimited text into records, one at a time, keeping the 1-based line each record starts on.
/// Quoted fields (when allowed) may hold separators, doubled quotes and line breaks; <c>\r\n</c>, <c>\n</c>
/// and <c>\r</c> all end a record. Blank lines are skipped.
/// </summary>
public sealed class DelimitedRecordReader : IDisposable
{
    private readonly TextReader _reader;
    private readonly string _source;
    private readonly char _separator;
    private readonly bool _allowQuoting;
    private readonly StringBuilder _field = new();
    private long _line = 1;
    private int _leftOut;
    private Queue<(long Line, string[] Fields)>? _heldBack;

    /// <summary>Reads records from <paramref name="reader"/>; <paramref name="source"/> names it in errors.</summary>
    public DelimitedRecordReader(TextReader reader, string source, char separator, bool allowQuoting)
    {
        _reader = reader ?? throw new ArgumentNullException(nameof(reader));
        _source = source;
        _separator = separator;
        _allowQuoting = allowQuoting;
    }

    /// <summary>The line the last record returned by <see cref="TryRead"/> started on.</summary>
    public long RecordLine { get; private set; }

    /// <summary>Skips the next <paramref name="count"/> lines whole, as a title above the table; later records keep their line numbers.</summary>
    public void SkipLines(int count)
    {
        for (var i = 0; i < count && _reader.ReadLine() is not null; i++)
            _line++;
    }

    /// <summary>
    /// Leaves out the last <paramref name="count"/> records, as a footer below the table: each record is held back
    /// until that many more have been read, so the reader still streams.
    /// </summary>
    public void LeaveOutLast(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        _leftOut = count;
        _heldBack = count > 0 ? new Queue<(long, string[])>(count + 1) : null;
    }

    /// <summary>Reads the next non-blank record into <paramref name="fields"/> (cleared first); false at the end.</summary>
    /// <exception cref="DataFormatException">A quoted field is not closed, or text follows its closing quote.</exception>
    public bool TryRead(List<string> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        if (_heldBack is null)
            return TryReadRecord(fields);
        while (_heldBack.Count <= _leftOut)
        {
            if (!TryReadRecord(fields))
            {
                fields.Clear();
                return false;
            }
            _heldBack.Enqueue((RecordLine, fields.ToArray()));
        }
        var (line, held) = _heldBack.Dequeue();
        fields.Clear();
        fields.AddRange(held);
        RecordLine = line;
        return true;
    }

    private bool TryReadRecord(List<string> fields)
    {
        while (true)
        {
            // Cleared on every pass: a blank line read before a record must not leave its empty field in front of it.
            fields.Clear();
            if (_reader.Peek() < 0)
                return false;
            RecordLine = _line;
            ReadRecord(fields);
            if (fields.Count > 1 || fields[0].Length > 0)
                return true;
        }
    }

    private void ReadRecord(List<string> fields)
    {
        _field.Clear();
        var atFieldStart = true;
        while (true)
        {
            var next = _reader.Read();
            if (next < 0)
            {
                fields.Add(_field.ToString());
                return;
            }
            var c = (char)next;
            if (c == '\r' || c == '\n')
            {
                EndLine(c);
                fields.Add(_field.ToString());
                return;
            }
            if (c == _separator)
            {
                fields.Add(_field.ToString());
                _field.Clear();
                atFieldStart = true;
                continue;
            }
            if (c == '"' && atFieldStart && _allowQuoting)
            {
                ReadQuoted(fields.Count);
                atFieldStart = false;
                continue;
            }
            _field.Append(c);
            atFieldStart = false;
        }
    }

    private void ReadQuoted(int fieldIndex)
    {
        var openedOn = _line;
        while (true)
        {
            var next = _reader.Read();
            if (next < 0)
                throw new DataFormatException(_source, $"the quoted field {fieldIndex + 1} opened on this line is never closed; expected a closing '\"'", openedOn);
            var c = (char)next;
            if (c == '"')
            {
                if (_reader.Peek() == '"')
                {
                    _reader.Read();
                    _field.Append('"');
                    continue;
                }
                var after = _reader.Peek();
                if (after >= 0 && after != _separator && after != '\r' && after != '\n')
                {
                    throw new DataFormatException(_source,
                        $"field {fieldIndex + 1} has '{(char)after}' after its closing quote; expected the separator or the end of the line (write \"\" for a quote inside a quoted field)", _line);
                }
                return;
            }
            if (c == '\r' || c == '\n')
            {
                EndLine(c);
                c = '\n';
            }
            _field.Append(c);
        }
    }

    private void EndLine(char c)
    {
        if (c == '\r' && _reader.Peek() == '\n')
            _reader.Read();
        _line++;
    }

    /// <inheritdoc/>
    public void Dispose() => _reader.Dispose();
}
