using System.Globalization;
using System.Xml;

namespace MlToolkit.Data.IO.Excel;

/// <summary>The text of one worksheet cell (<c>&lt;c&gt;</c>), by its type and style.</summary>
internal sealed class CellText
{
    private readonly IReadOnlyList<string> _sharedStrings;
    private readonly IReadOnlyList<bool> _dateStyles;
    private readonly bool _date1904;

    public CellText(IReadOnlyList<string> sharedStrings, IReadOnlyList<bool> dateStyles, bool date1904)
    {
        _sharedStrings = sharedStrings;
        _dateStyles = dateStyles;
        _date1904 = date1904;
    }

    /// <summary>Reads the cell <paramref name="reader"/> is on, leaving the reader on its last node; empty for an empty or error cell.</summary>
    public string Read(XmlReader reader, string file, int row)
    {
        var type = reader.GetAttribute("t") ?? "n";
        var style = int.TryParse(reader.GetAttribute("s"), NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : 0;
        var (value, inline) = Contents(reader);
        return type switch
        {
            "s" => Shared(value, file, row),
            "inlineStr" => inline,
            "str" => value,
            "b" => value == "1" ? "TRUE" : "FALSE",
            "e" => "",
            _ => Number(value, style),
        };
    }

    // The <v> value and the joined <t> texts of an <is> inline string.
    private static (string Value, string Inline) Contents(XmlReader reader)
    {
        if (reader.IsEmptyElement)
            return ("", "");
        var depth = reader.Depth;
        string value = "", inline = "";
        reader.Read();
        // Reading an element's content moves past its end, so only other nodes need a Read to move on.
        while (!reader.EOF && !(reader.NodeType == XmlNodeType.EndElement && reader.Depth == depth))
        {
            if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "v")
                value = reader.ReadElementContentAsString();
            else if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "t")
                inline += reader.ReadElementContentAsString();
            else
                reader.Read();
        }
        return (value, inline);
    }

    private string Shared(string value, string file, int row) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < _sharedStrings.Count
            ? _sharedStrings[index]
            : throw new DataFormatException(file, $"row {row} refers to shared string '{value}', which the workbook does not have; expected an index below {_sharedStrings.Count}");

    private string Number(string value, int style)
    {
        if (value.Length > 0 && style < _dateStyles.Count && _dateStyles[style]
            && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var serial))
            return ExcelDates.FromSerial(serial, _date1904);
        return value;
    }
}
