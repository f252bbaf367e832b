using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlToolkit.Data.IO;

namespace MlToolkit.Cli.Commands;

/// <summary>
/// The identifier columns a model was trained beside (customer ids, row numbers), read from the scored file row by row,
/// so that each prediction can be joined back to its row by its key rather than by its position.
/// </summary>
internal sealed class PredictionKeys : IDisposable
{
    private readonly DataViewRowCursor? _cursor;
    private readonly Func<string>[] _cells;

    /// <summary>Reads those of <paramref name="identifiers"/> that <paramref name="input"/> has, in that order.</summary>
    public PredictionKeys(IDataView input, IReadOnlyList<string>? identifiers)
    {
        var columns = (identifiers ?? Array.Empty<string>()).Select(n => input.Schema.GetColumnOrNull(n)).OfType<DataViewSchema.Column>()
            .Where(c => c.Type is TextDataViewType || c.Type == NumberDataViewType.Single).ToList();
        Names = columns.Select(c => c.Name).ToList();
        _cursor = columns.Count > 0 ? input.GetRowCursor(columns) : null;
        _cells = columns.Select(c => Cell(_cursor!, c)).ToArray();
    }

    /// <summary>The key columns written, in order.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The keys of the next row, quoted for CSV (none when there are no key columns).</summary>
    public IEnumerable<string> Next()
    {
        if (_cursor is null)
            return Array.Empty<string>();
        if (!_cursor.MoveNext())
            throw new InvalidOperationException("The scored rows outnumber the rows of the data they were scored from.");
        return _cells.Select(cell => CsvText.Quote(cell()));
    }

    public void Dispose() => _cursor?.Dispose();

    private static Func<string> Cell(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        if (column.Type is TextDataViewType)
        {
            var text = cursor.GetGetter<ReadOnlyMemory<char>>(column);
            return () =>
            {
                ReadOnlyMemory<char> value = default;
                text(ref value);
                return value.ToString();
            };
        }
        var number = cursor.GetGetter<float>(column);
        return () =>
        {
            float value = 0;
            number(ref value);
            return float.IsNaN(value) ? "" : value.ToString("R", CultureInfo.InvariantCulture);
        };
    }
}
