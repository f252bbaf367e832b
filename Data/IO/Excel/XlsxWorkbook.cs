using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Xml;

namespace MlToolkit.Data.IO.Excel;

/// <summary>
/// Reads the first worksheet of an Excel workbook (.xlsx) as CSV text, so that everything the delimited reader does
/// (schema inference, overrides, errors naming line and column) works on it unchanged. Line n of the text is row n of
/// the sheet. Shared, inline and formula strings are text, Booleans TRUE or FALSE, numbers as stored, numbers in a date
/// format ISO dates (<see cref="ExcelDates"/>), and error values (<c>#N/A</c>, <c>#DIV/0!</c>) missing.
/// </summary>
public static class XlsxWorkbook
{
    /// <summary>Whether a ZIP archive with entries <paramref name="zipEntries"/> is an Excel workbook (it has <c>xl/workbook.xml</c>).</summary>
    public static bool IsWorkbook(IReadOnlyList<string> zipEntries)
    {
        ArgumentNullException.ThrowIfNull(zipEntries);
        return zipEntries.Contains(XlsxParts.Workbook);
    }

    /// <summary>The first worksheet of the workbook <paramref name="open"/> gives, as UTF-8 CSV.</summary>
    /// <exception cref="DataFormatException">The package is not a readable workbook.</exception>
    public static byte[] FirstSheetAsCsv(Func<Stream> open, string file)
    {
        ArgumentNullException.ThrowIfNull(open);
        try
        {
            using var package = new ZipArchive(open(), ZipArchiveMode.Read);
            var (path, _, date1904) = XlsxParts.FirstSheet(package, file);
            var sheet = package.GetEntry(path) ?? throw new DataFormatException(file, $"is an Excel workbook whose first sheet part '{path}' is missing");
            var cells = new CellText(XlsxParts.SharedStrings(package), XlsxParts.DateStyles(package), date1904);
            return Encoding.UTF8.GetBytes(ToCsv(Rows(sheet, cells, file)));
        }
        catch (XmlException e)
        {
            throw new DataFormatException(file, $"is an Excel workbook with a part that is not well-formed XML ({e.Message})");
        }
    }

    private static string ToCsv(List<(int Row, List<(int Column, string Text)> Cells)> rows)
    {
        var width = rows.Count == 0 ? 0 : rows.Max(r => r.Cells.Count == 0 ? 0 : r.Cells.Max(c => c.Column) + 1);
        var csv = new StringBuilder();
        var line = 1;
        foreach (var (row, cells) in rows)
        {
            for (; line < row; line++)
                csv.Append('\n'); // empty rows keep line numbers equal to row numbers; the reader skips blank lines
            var fields = new string[width];
            foreach (var (column, text) in cells)
                fields[column] = Quoted(text);
            csv.AppendJoin(',', fields.Select(f => f ?? "")).Append('\n');
            line++;
        }
        return csv.ToString();
    }

    private static string Quoted(string text) =>
        text.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;

    private static List<(int Row, List<(int Column, string Text)> Cells)> Rows(ZipArchiveEntry sheet, CellText cells, string file)
    {
        var rows = new List<(int, List<(int, string)>)>();
        using var reader = XlsxParts.Open(sheet);
        List<(int, string)>? current = null;
        var rowNumber = 0;
        var column = -1;
        while (reader.Read())
        {
            if (reader.NodeType != XmlNodeType.Element)
                continue;
            if (reader.LocalName == "row")
            {
                rowNumber = int.TryParse(reader.GetAttribute("r"), NumberStyles.None, CultureInfo.InvariantCulture, out var r) ? r : rowNumber + 1;
                rows.Add((rowNumber, current = new List<(int, string)>()));
                column = -1;
            }
            else if (reader.LocalName == "c" && current is not null)
            {
                column = ColumnIndex(reader.GetAttribute("r"), column + 1);
                var text = cells.Read(reader, file, rowNumber);
                if (text.Length > 0)
                    current.Add((column, text));
            }
        }
        return rows;
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
