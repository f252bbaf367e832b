using System.Globalization;

namespace MlToolkit;

/// <summary>
/// Input data that cannot be read as expected. The message names the source, and where known the line,
/// the column and the offending value, and says what was expected instead.
/// </summary>
public sealed class DataFormatException : MlToolkitException
{
    /// <summary>Creates the exception; <paramref name="detail"/> says what is wrong and what was expected.</summary>
    /// <param name="source">File path or dataset name.</param>
    /// <param name="detail">What is wrong, and what was expected.</param>
    /// <param name="line">1-based line number in the source, when known.</param>
    /// <param name="column">Column name, when known.</param>
    /// <param name="value">The offending value, when there is one.</param>
    public DataFormatException(string source, string detail, long? line = null, string? column = null, string? value = null)
        : base(Format(source, detail, line, column, value))
    {
        Source = source;
        Detail = detail;
        Line = line;
        Column = column;
        Value = value;
    }

    /// <summary>File path or dataset name the bad data came from.</summary>
    public new string Source { get; }

    /// <summary>What is wrong and what was expected, without the location.</summary>
    public string Detail { get; }

    /// <summary>1-based line number of the bad data, when known.</summary>
    public long? Line { get; }

    /// <summary>Name of the column holding the bad value, when known.</summary>
    public string? Column { get; }

    /// <summary>The offending value, when there is one.</summary>
    public string? Value { get; }

    private static string Format(string source, string detail, long? line, string? column, string? value)
    {
        var location = source;
        if (line is not null)
            location += string.Create(CultureInfo.InvariantCulture, $", line {line}");
        if (column is not null)
            location += $", column '{column}'";
        return value is null ? $"{location}: {detail}" : $"{location}: value '{Truncate(value)}': {detail}";
    }

    private static string Truncate(string value) => value.Length <= 60 ? value : value[..57] + "...";
}
