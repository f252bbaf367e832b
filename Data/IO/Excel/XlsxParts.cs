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

    /// <summary>The path inside the package of the workbook's first sheet, its name, and whether dates count from 1904.</summary>
    public static (string Path, string Name, bool Date1904) FirstSheet(ZipArchive package, string file)
    {
        var workbook = package.GetEntry(Workbook) ?? throw new DataFormatException(file, $"is a ZIP archive without {Workbook}; expected an Excel workbook");
        string? id = null, name = null;
        var date1904 = false;
        using (var reader = Open(workbook))
        {
            while (reader.Read())
            {
                if (reader.NodeType != XmlNodeType.Element)
                    continue;
                if (reader.LocalName == "workbookPr")
                    date1904 = reader.GetAttribute("date1904") is "1" or "true";
                else if (reader.LocalName == "sheet" && id is null)
                    (id, name) = (RelationshipId(reader), reader.GetAttribute("name") ?? "Sheet1");
            }
        }
        if (id is null)
            throw new DataFormatException(file, "is an Excel workbook without sheets; expected at least one worksheet");
        return (SheetPath(package, id, file), name!, date1904);
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
