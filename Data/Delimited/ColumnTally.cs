namespace MlToolkit.Data.Delimited;

/// <summary>Counts what schema inference sees of one column's values, one value at a time (<see cref="ColumnStatistics"/>).</summary>
internal sealed class ColumnTally(IReadOnlySet<string> missingTokens, char decimalMark)
{
    private static readonly System.Buffers.SearchValues<char> WhiteSpace = System.Buffers.SearchValues.Create(" \t\r\n\u00A0");

    private readonly HashSet<string> _distinct = new(StringComparer.Ordinal);
    private int _count, _missing, _numeric, _booleans, _imagePaths, _yearFirst, _monthFirst, _dayFirst, _spaced;
    private long _totalLength;
    private bool _allIntegers = true, _rowNumbers = true;
    private float _previous;

    /// <summary>Counts <paramref name="value"/>, the column's next field.</summary>
    public void Add(string value)
    {
        _count++;
        if (DelimitedSchemaInference.IsMissing(value, missingTokens))
        {
            _missing++;
            _rowNumbers = false;
            return;
        }
        _totalLength += value.Length;
        if (_distinct.Count < ColumnStatistics.DistinctCap)
            _distinct.Add(value);
        if (value.AsSpan().Trim().IndexOfAny(WhiteSpace) >= 0)
            _spaced++;
        if (DelimitedSchemaInference.TryParseNumber(value, decimalMark, out var number))
            AddNumber(number);
        else if (DelimitedSchemaInference.TryParseBoolean(value, out _))
            (_booleans, _rowNumbers) = (_booleans + 1, false);
        else
            AddText(value);
    }

    /// <summary>What was counted.</summary>
    public ColumnStatistics ToStatistics()
    {
        var present = _count - _missing;
        return new ColumnStatistics(_count, _missing, _numeric, _booleans, _allIntegers && _numeric > 0, _distinct.Count,
            present == 0 ? 0 : (double)_totalLength / present, _imagePaths, _yearFirst, _spaced, _rowNumbers && _numeric > 0, _monthFirst, _dayFirst);
    }

    private void AddNumber(float number)
    {
        _numeric++;
        _allIntegers &= number == MathF.Round(number);
        _rowNumbers &= _count == 1 ? number is 0 or 1 : number == _previous + 1;
        _previous = number;
    }

    private void AddText(string value)
    {
        _rowNumbers = false;
        var (yearFirst, monthFirst, dayFirst) = DateText.OrdersOf(value);
        _yearFirst += yearFirst ? 1 : 0;
        _monthFirst += monthFirst ? 1 : 0;
        _dayFirst += dayFirst ? 1 : 0;
        if (!yearFirst && !monthFirst && !dayFirst && Images.ImageFolder.ImageExtensions.Contains(Path.GetExtension(value.Trim())))
            _imagePaths++;
    }
}
