using System.IO.Compression;
using System.Xml;

namespace MlToolkit.Data.IO.Excel;

/// <summary>The parts of an .xlsx package (a ZIP archive of SpreadsheetML) that reading its first worksheet needs.</summary>
internal static class XlsxParts
{
    public const string Workbook = "xl/workbook.xml";

    /// <summary>An XmlReader over <paramref name="entry"/> that ignores comments and insignificant white space.</summary>
    public static XmlReader Open(ZipArchiveEntry entry) =>
        XmlReader.Create(entry.Open(), new XmlReaderSettings { IgnoreComments = true, IgnoreWhitespace = false, DtdProcessing = DtdProcessing.Prohibit });

    /// <summary>
    /// The path inside the package of the worksheet named <paramref name="name"/> (case-insensitive, as Excel names
    /// them; null for the first), its name as the workbook writes it, and whether the workbook's dates count from 1904.
    /// </summary>
    public static (string Path, string Name, bool Date1904) Sheet(ZipArchive package, string file, string? name)
    {
        var workbook = package.GetEntry(Workbook) ?? throw new DataFormatException(file, $"is a ZIP archive without {Workbook}; expected an Excel workbook");
        var sheets = new List<(string Name, string? Id)>();
        var date1904 = false;
        using (var reader = Open(workbook))
        {
            while (reader.Read())
            {
                if (reader.NodeType != XmlNodeType.Element)
                    continue;
                if (reader.LocalName == "workbookPr")
                    date1904 = reader.GetAttribute("date1904") is "1" or "true";
                else if (reader.LocalName == "sheet")
                    sheets.Add((reader.GetAttribute("name") ?? "", RelationshipId(reader)));
            }
        }
        if (sheets.Count == 0)
            throw new DataFormatException(file, "is an Excel workbook without sheets; expected at least one worksheet");
        var chosen = name is null ? sheets[0] : sheets.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));
        if (chosen.Id is null)
        {
            throw name is not null && chosen.Name is null
                ? new DataFormatException(file, $"has no sheet '{name}'; its sheets are {string.Join(", ", sheets.Select(s => $"'{s.Name}'"))}")
                : new DataFormatException(file, $"is an Excel workbook whose sheet '{chosen.Name}' names no part; expected a relationship id on it");
        }
        return (SheetPath(package, chosen.Id, file), chosen.Name, date1904);
    }

    private static string? RelationshipId(XmlReader reader)
    {
        for (var i = 0; i < reader.AttributeCount; i++)
        {
            reader.MoveToAttribute(i);
            if (reader.LocalName == "id" && reader.NamespaceURI.Contains("relationships", StringComparison.Ordinal))
                return reader.Value;
        }
        reader.MoveToElement();
        return null;
    }

    private static string SheetPath(ZipArchive package, string id, string file)
    {
        var rels = package.GetEntry("xl/_rels/workbook.xml.rels") ?? throw new DataFormatException(file, "is an Excel workbook without xl/_rels/workbook.xml.rels; expected one naming its sheets");
        using var reader = Open(rels);
        while (reader.Read())
        {
            if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "Relationship" && reader.GetAttribute("Id") == id)
            {
                var target = reader.GetAttribute("Target") ?? "";
                return target.StartsWith('/') ? target[1..] : "xl/" + target;
            }
        }
        throw new DataFormatException(file, $"is an Excel workbook whose first sheet ({id}) has no part; expected it in xl/_rels/workbook.xml.rels");
    }

    /// <summary>The shared strings table: each item's text, rich-text runs joined and phonetic guides left out.</summary>
    public static IReadOnlyList<string> SharedStrings(ZipArchive package)
    {
        var strings = new List<string>();
        var entry = package.GetEntry("xl/sharedStrings.xml");
        if (entry is null)
            return strings;
        using var reader = Open(entry);
        var text = new System.Text.StringBuilder();
        var phonetic = 0;
        while (reader.Read())
        {
            if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "si")
                text.Clear();
            else if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "rPh" && !reader.IsEmptyElement)
                phonetic++;
            else if (reader.NodeType == XmlNodeType.EndElement && reader.LocalName == "rPh")
                phonetic--;
            else if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "t" && phonetic == 0)
                text.Append(reader.ReadElementContentAsString());
            if (reader.NodeType == XmlNodeType.EndElement && reader.LocalName == "si")
                strings.Add(text.ToString());
        }
        return strings;
    }

    /// <summary>For each cell style (its index in cellXfs), whether its number format shows a calendar date.</summary>
    public static IReadOnlyList<bool> DateStyles(ZipArchive package)
    {
        var styles = new List<bool>();
        var entry = package.GetEntry("xl/styles.xml");
        if (entry is null)
            return styles;
        var customFormats = new Dictionary<int, string>();
        using var reader = Open(entry);
        var inCellXfs = false;
        while (reader.Read())
        {
            if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "numFmt" && int.TryParse(reader.GetAttribute("numFmtId"), out var id))
                customFormats[id] = reader.GetAttribute("formatCode") ?? "";
            else if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "cellXfs")
                inCellXfs = !reader.IsEmptyElement;
            else if (reader.NodeType == XmlNodeType.EndElement && reader.LocalName == "cellXfs")
                inCellXfs = false;
            else if (inCellXfs && reader.NodeType == XmlNodeType.Element && reader.LocalName == "xf")
            {
                var format = int.TryParse(reader.GetAttribute("numFmtId"), out var f) ? f : 0;
                styles.Add(ExcelDates.IsDateFormat(format, customFormats.GetValueOrDefault(format)));
            }
        }
        return styles;
    }
}
