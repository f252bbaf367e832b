using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Xml;

namespace MlToolkit.Data.IO.Excel;

/// <summary>
/// Reads one worksheet of an Excel workbook (.xlsx), the first unless another is named, as CSV text, so that
/// everything the delimited reader does (schema inference, overrides, errors naming line and column) works on it
/// unchanged. Line n of the text is row n of
/// the sheet. Shared, inline and formula strings are text, Booleans TRUE or FALSE, numbers as stored, numbers in a date
/// format ISO dates (<see cref="ExcelDates"/>), and error values (<c>#N/A</c>, <c>#DIV/0!</c>) missing.
/// </summary>
public static class XlsxWorkbook
{
    /// <summary>
    /// The name, as the workbook writes it, of the worksheet <paramref name="sheet"/> (null: the first) names, when the
    /// ZIP archive <paramref name="open"/> gives is an Excel workbook (it has <c>xl/workbook.xml</c>); null when it is
    /// another archive or no archive at all.
    /// </summary>
    /// <exception cref="DataFormatException">The workbook has no such sheet.</exception>
    public static string? SheetNameIfWorkbook(Func<Stream> open, string file, string? sheet)
    {
        ArgumentNullException.ThrowIfNull(open);
        try
        {
            using var package = new ZipArchive(open(), ZipArchiveMode.Read);
            return package.GetEntry(XlsxParts.Workbook) is null ? null : XlsxParts.Sheet(package, file, sheet).Name;
        }
        catch (InvalidDataException)
        {
            return null; // not a ZIP archive after all
        }
    }

    /// <summary>The worksheet named <paramref name="sheet"/> (null: the first) of the workbook <paramref name="open"/> gives, as UTF-8 CSV.</summary>
    /// <exception cref="DataFormatException">The package is not a readable workbook, or has no such sheet.</exception>
    public static byte[] SheetAsCsv(Func<Stream> open, string file, string? sheet)
    {
        ArgumentNullException.ThrowIfNull(open);
        try
        {
            using var package = new ZipArchive(open(), ZipArchiveMode.Read);
            var (path, _, date1904) = XlsxParts.Sheet(package, file, sheet);
            var part = package.GetEntry(path) ?? throw new DataFormatException(file, $"is an Excel workbook whose sheet part '{path}' is missing");
            var cells = new CellText(XlsxParts.SharedStrings(package), XlsxParts.DateStyles(package), date1904);
            return Encoding.UTF8.GetBytes(ToCsv(Rows(part, cells, file)));
        }
        catch (XmlException e)
        {
            throw new DataFormatException(file, $"is an Excel workbook with a part that is not well-formed XML ({e.Message})");
        }
    }

    // Each row becomes one line holding its fields up to its last non-empty cell; lines are padded to the widest row at
    // the end, so memory stays near the size of the text rather than a record per cell.
    private static string ToCsv(List<(int Row, string Line, int Fields, int Filled)> rows)
    {
        var width = rows.Count == 0 ? 0 : rows.Max(r => r.Fields);
        var titles = width >= 3 ? rows.TakeWhile(r => r.Filled <= 1).Count() : 0;
        if (titles == rows.Count)
            titles = 0; // no row holds two cells: a one-column table, not titles
        var csv = new StringBuilder();
        var line = 1;
        for (var i = 0; i < rows.Count; i++)
        {
            var (row, text, fields, _) = rows[i];
            for (; line < row; line++)
                csv.Append('\n'); // empty rows keep line numbers equal to row numbers; the reader skips blank lines
            // A row whose cells are all empty (formatted blanks), or a title above the table (a single cell in the rows
            // before the first with two, in a sheet three or more columns wide), is a blank line, skipped as in a CSV.
            if (fields > 0 && i >= titles)
                csv.Append(text).Append(',', width - fields);
            csv.Append('\n');
            line++;
        }
        return csv.ToString();
    }

    private static string Quoted(string text) =>
        text.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;

    private static List<(int Row, string Line, int Fields, int Filled)> Rows(ZipArchiveEntry sheet, CellText cells, string file)
    {
        var rows = new List<(int, string, int, int)>();
        var current = new List<(int Column, string Text)>();
        using var reader = XlsxParts.Open(sheet);
        var rowNumber = 0;
        var column = -1;
        while (reader.Read())
        {
            if (reader.NodeType != XmlNodeType.Element)
                continue;
            if (reader.LocalName == "row")
            {
                if (rowNumber > 0)
                    rows.Add(Line(rowNumber, current));
                rowNumber = int.TryParse(reader.GetAttribute("r"), NumberStyles.None, CultureInfo.InvariantCulture, out var r) ? r : rowNumber + 1;
                current.Clear();
                column = -1;
            }
            else if (reader.LocalName == "c" && rowNumber > 0)
            {
                column = ColumnIndex(reader.GetAttribute("r"), column + 1);
                var text = cells.Read(reader, file, rowNumber);
                if (text.Length > 0)
                    current.Add((column, text));
            }
        }
        if (rowNumber > 0)
            rows.Add(Line(rowNumber, current));
        return rows;
    }

    private static (int Row, string Line, int Fields, int Filled) Line(int row, List<(int Column, string Text)> cells)
    {
        var line = new StringBuilder();
        var next = 0;
        foreach (var (column, text) in cells.OrderBy(c => c.Column))
        {
            for (; next < column; next++)
                line.Append(next == 0 ? "" : ",");
            line.Append(next == 0 ? "" : ",").Append(Quoted(text));
            next++;
        }
        return (row, line.ToString(), next, cells.Count);
    }

    // "BC12" -> 54 (0-based); a cell without a reference follows the one before it.
    private static int ColumnIndex(string? reference, int next)
    {
        if (string.IsNullOrEmpty(reference) || !char.IsAsciiLetter(reference[0]))
            return next;
        var index = 0;
        foreach (var c in reference.TakeWhile(char.IsAsciiLetter))
            index = index * 26 + (char.ToUpperInvariant(c) - 'A' + 1);
        return index - 1;
    }
}
