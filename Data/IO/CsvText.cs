namespace MlToolkit.Data.IO;

/// <summary>Writing CSV cells (RFC 4180 quoting).</summary>
public static class CsvText
{
    /// <summary><paramref name="cell"/> as a CSV field: quoted, with inner quotes doubled, when it holds a comma, quote or line break.</summary>
    public static string Quote(string cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        return cell.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : cell;
    }
}
