using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlToolkit.Data.Delimited;
using MlToolkit.Data.IO;
using MlToolkit.Data.IO.Excel;
using MlToolkit.Data.Samples;
using MlToolkit.Tests.Support;

namespace MlToolkit.Tests.Data;

/// <summary>
/// An Excel workbook (.xlsx) reads as the table of its first sheet, wherever a delimited file is read: the same values,
/// types and errors as its CSV would give, dates from date-formatted numbers. Workbooks written by pandas with openpyxl
/// (<c>Tests/TestData/excel</c>) and SpreadsheetML written here by hand for what openpyxl does not write.
/// </summary>
public sealed class ExcelWorkbookTests : IDisposable
{
    private static readonly string Folder = Path.Combine(RepoPaths.Root, "Tests", "TestData", "excel");

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void The_iris_workbook_reads_as_the_same_table_as_the_iris_csv()
    {
        var csv = DelimitedFile.Load(SampleDatasets.IrisInfo.OpenSource());
        var workbook = DelimitedFile.Load(Path.Combine(Folder, "iris.xlsx"));
        Assert.Equal(csv.Layout.Columns.Select(c => (c.Name, c.Kind, c.Purpose)), workbook.Layout.Columns.Select(c => (c.Name, c.Kind, c.Purpose)));
        foreach (var column in csv.Layout.Columns.Where(c => c.Kind == ColumnKind.Numeric))
            Assert.Equal(csv.GetColumn<float>(column.Name), workbook.GetColumn<float>(column.Name));
        Assert.Equal(TextColumn.Of(csv, "species"), TextColumn.Of(workbook, "species"));
        Assert.Equal(150, TextColumn.Of(workbook, "species").Length);
    }

    [Fact]
    public void Dates_booleans_quoted_text_and_missing_cells_read_as_their_types()
    {
        var data = DelimitedFile.Load(Path.Combine(Folder, "types.xlsx"));
        Assert.Equal(new[] { ColumnPurpose.DateTime, ColumnPurpose.DateTime, ColumnPurpose.Categorical, ColumnPurpose.Boolean, ColumnPurpose.Numeric, ColumnPurpose.Categorical },
            data.Layout.Columns.Select(c => c.Purpose));
        Assert.Equal(new[] { "2024-01-01", "2024-01-02" }, TextColumn.Of(data, "when").Take(2));
        Assert.Equal(new[] { "2024-01-01 08:30:00", "2024-01-01 15:30:00" }, TextColumn.Of(data, "stamp").Take(2));
        Assert.Equal(new[] { "Zürich \"CH\"", "Malmö, SE" }, TextColumn.Of(data, "city").Take(2));
        Assert.Equal(new[] { false, true }, data.GetColumn<bool>("flag").Take(2));
        var x = data.GetColumn<float>("x").ToArray();
        Assert.Equal(9, x.Count(float.IsNaN));
        Assert.Equal(0.5f, x[1]);
    }

    [Fact]
    public void Train_and_predict_read_a_workbook_and_learn_a_weekend_from_its_date_cells()
    {
        var workbook = Path.Combine(Folder, "types.xlsx");
        var model = _folder.File("m.zip");
        var trained = CliRunner.InProcess("train", "--dataset", workbook, "--label-col", "weekend", "--trainer", "lightgbm", "-o", model, "--json");
        Assert.True(trained.ExitCode == 0, trained.Error);
        // The weekday of the date decides the label; the date's parts (day of week among them) come from the cells' serials.
        Measured.AtLeast((double)JsonNode.Parse(trained.Out)!["test"]!["metrics"]!["accuracy"]!, 0.95, 1.0, "held-out accuracy of a weekend label from Excel date cells (12 of 60 rows)");
        var predicted = CliRunner.InProcess("predict", "--model", model, "--dataset", workbook, "-o", _folder.File("p.csv"));
        Assert.True(predicted.ExitCode == 0, predicted.Error);
        Assert.Equal(61, File.ReadAllLines(_folder.File("p.csv")).Length);
    }

    private static byte[] Workbook(string sheet, string? sharedStrings = null, string? styles = null, bool date1904 = false,
        string other = "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>wrong sheet</t></is></c></row>")
    {
        const string Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
        const string Relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
        var parts = new Dictionary<string, string>
        {
            ["xl/workbook.xml"] = $"<workbook xmlns=\"{Main}\" xmlns:r=\"{Relationships}\"><workbookPr date1904=\"{(date1904 ? 1 : 0)}\"/><sheets><sheet name=\"Data\" sheetId=\"1\" r:id=\"rId7\"/><sheet name=\"Other\" sheetId=\"2\" r:id=\"rId8\"/></sheets></workbook>",
            ["xl/_rels/workbook.xml.rels"] = "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId8\" Target=\"worksheets/other.xml\"/><Relationship Id=\"rId7\" Target=\"/xl/worksheets/data.xml\"/></Relationships>",
            ["xl/worksheets/data.xml"] = $"<worksheet xmlns=\"{Main}\"><sheetData>{sheet}</sheetData></worksheet>",
            ["xl/worksheets/other.xml"] = $"<worksheet xmlns=\"{Main}\"><sheetData>{other}</sheetData></worksheet>",
        };
        if (sharedStrings is not null)
            parts["xl/sharedStrings.xml"] = $"<sst xmlns=\"{Main}\">{sharedStrings}</sst>";
        if (styles is not null)
            parts["xl/styles.xml"] = $"<styleSheet xmlns=\"{Main}\">{styles}</styleSheet>";
        using var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create))
        {
            foreach (var (name, xml) in parts)
            {
                using var writer = new StreamWriter(zip.CreateEntry(name).Open(), new UTF8Encoding(false));
                writer.Write(xml);
            }
        }
        return output.ToArray();
    }

    private static string Csv(byte[] workbook) => Encoding.UTF8.GetString(XlsxWorkbook.SheetAsCsv(() => new MemoryStream(workbook), "w.xlsx", sheet: null));

    [Fact]
    public void The_first_sheet_reads_row_for_line_with_every_cell_type()
    {
        var shared = "<si><t>name</t></si><si><r><t>Ma</t></r><r><rPr/><t xml:space=\"preserve\">lmö, SE</t></r><rPh><t>ignored</t></rPh></si>";
        var styles = "<numFmts count=\"1\"><numFmt numFmtId=\"164\" formatCode=\"[$-409]d\\-mmm\\-yyyy;@\"/><numFmt numFmtId=\"165\" formatCode=\"0.00&quot; days&quot;\"/></numFmts>"
            + "<cellXfs count=\"5\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/><xf numFmtId=\"164\"/><xf numFmtId=\"165\"/><xf numFmtId=\"20\"/></cellXfs>";
        var sheet = "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"inlineStr\"><is><t>when</t></is></c><c r=\"C1\" t=\"str\"><v>n</v></c><c r=\"D1\" t=\"inlineStr\"><is><t>ok</t></is></c><c r=\"E1\" t=\"inlineStr\"><is><t>late</t></is></c></row>"
            + "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>1</v></c><c r=\"B2\" s=\"1\"><v>45366</v></c><c r=\"C2\" s=\"3\"><v>2.5</v></c><c r=\"D2\" t=\"b\"><v>1</v></c><c r=\"E2\" s=\"4\"><v>0.5</v></c></row>"
            + "<row r=\"4\"><c r=\"A4\" t=\"inlineStr\"><is><t>say \"hi\"</t></is></c><c r=\"B4\" s=\"2\"><v>45366.5625</v></c><c t=\"e\"><v>#N/A</v></c><c><f>1=0</f><v>0</v></c></row>"
            + "<row r=\"5\"><c r=\"A5\" s=\"1\"/><c r=\"C5\" t=\"e\"><v>#DIV/0!</v></c></row><row r=\"6\"><c r=\"C6\"><v>7</v></c></row>";
        // Row 3 is missing and row 5 holds only a formatted blank and an error: both are blank lines, which the reader skips.
        Assert.Equal("name,when,n,ok,late\n\"Malmö, SE\",2024-03-15,2.5,TRUE,0.5\n\n\"say \"\"hi\"\"\",2024-03-15 13:30:00,,0,\n\n,,7,,\n", Csv(Workbook(sheet, shared, styles)));
        // The 1904 system counts from 1 January 1904; serial 60 of the 1900 system is the 29 February Excel believes in.
        Assert.Equal("d\n2028-03-16\n", Csv(Workbook("<row r=\"1\"><c t=\"inlineStr\"><is><t>d</t></is></c></row><row r=\"2\"><c s=\"1\"><v>45366</v></c></row>", styles: styles, date1904: true)));
        Assert.Equal("1900-02-28", ExcelDates.FromSerial(59, date1904: false));
        Assert.Equal("1900-03-01", ExcelDates.FromSerial(61, date1904: false));
        Assert.False(ExcelDates.IsDateFormat(165, "0.00\" days\""));
        Assert.False(ExcelDates.IsDateFormat(20, null));
        Assert.True(ExcelDates.IsDateFormat(164, "[$-409]d\\-mmm\\-yyyy;@"));
    }

    [Fact]
    public void A_workbook_error_names_the_file_and_a_bad_value_names_the_sheet_and_its_row_as_the_line()
    {
        var sheet = "<row r=\"1\"><c t=\"s\"><v>9</v></c></row>";
        Assert.Equal("w.xlsx: row 1 refers to shared string '9', which the workbook does not have; expected an index below 1",
            Assert.Throws<DataFormatException>(() => Csv(Workbook(sheet, "<si><t>a</t></si>"))).Message);

        var rows = new StringBuilder("<row r=\"1\"><c t=\"inlineStr\"><is><t>x</t></is></c><c t=\"inlineStr\"><is><t>y</t></is></c></row>");
        for (var r = 2; r <= 40; r++)
            rows.Append($"<row r=\"{r}\"><c><v>{r}</v></c><c t=\"inlineStr\"><is><t>{(r % 2 == 0 ? "a" : "b")}</t></is></c></row>");
        rows.Append("<row r=\"45\"><c t=\"inlineStr\"><is><t>n/a?</t></is></c><c t=\"inlineStr\"><is><t>a</t></is></c></row>");
        var path = _folder.WriteBytes("late.xlsx", Workbook(rows.ToString()));
        var data = DelimitedFile.Load(path, new DelimitedLoadOptions { InferenceRows = 30 });
        var error = Assert.Throws<DataFormatException>(() => data.GetColumn<float>("x").ToList());
        Assert.Contains($"{path}, sheet 'Data', line 45", error.Message);
        Assert.Contains("'n/a?'", error.Message);
    }

    [Fact]
    public void Title_rows_above_the_table_are_left_out_and_line_numbers_still_follow_the_rows()
    {
        string Cell(string reference, string text) => $"<c r=\"{reference}\" t=\"inlineStr\"><is><t>{text}</t></is></c>";
        var sheet = $"<row r=\"1\">{Cell("B1", "Sales by region, 2024")}</row><row r=\"2\">{Cell("A2", "Source: ledger")}</row>"
            + $"<row r=\"4\">{Cell("A4", "region")}{Cell("B4", "units")}{Cell("C4", "busy")}</row>"
            + "<row r=\"5\"><c r=\"A5\" t=\"inlineStr\"><is><t>north</t></is></c><c r=\"B5\"><v>12</v></c><c r=\"C5\" t=\"b\"><v>1</v></c></row>";
        Assert.Equal("\n\n\nregion,units,busy\nnorth,12,TRUE\n", Csv(Workbook(sheet)));
        // A table of one column keeps its rows: each holds one cell, and none is a title.
        Assert.Equal("a\n1\n", Csv(Workbook($"<row r=\"1\">{Cell("A1", "a")}</row><row r=\"2\"><c r=\"A2\"><v>1</v></c></row>")));
    }

    [Fact]
    public void A_note_below_the_table_is_left_out_as_a_footer_with_a_warning()
    {
        string Cell(string reference, string text) => $"<c r=\"{reference}\" t=\"inlineStr\"><is><t>{text}</t></is></c>";
        string Row(int r, string region, int units) => $"<row r=\"{r}\">{Cell($"A{r}", region)}<c r=\"B{r}\"><v>{units}</v></c><c r=\"C{r}\"><v>{units * 2}</v></c></row>";
        var sheet = $"<row r=\"1\">{Cell("A1", "region")}{Cell("B1", "units")}{Cell("C1", "weight")}</row>" + Row(2, "north", 12) + Row(3, "south", 7) + Row(4, "east", 9)
            + $"<row r=\"6\">{Cell("A6", "Source: ledger, 2024")}</row>";
        var path = _folder.WriteBytes("footed.xlsx", Workbook(sheet));
        var data = DelimitedFile.Load(path);
        // The empty row 5 is an empty line of the sheet's CSV, which no record holds.
        Assert.Equal(1, data.Layout.Format.FooterLines);
        Assert.Equal(new[] { "north", "south", "east" }, TextColumn.Of(data, "region"));
        Assert.Equal(new[] { 24f, 14f, 18f }, data.GetColumn<float>("weight"));
        Assert.Equal($"{path}, sheet 'Data': the last line below the table was read as a footer and left out ('Source: ledger, 2024')."
            + " If they are data, give --footer-lines 0 (DelimitedLoadOptions.FooterLines = 0)", Assert.Single(data.Layout.Warnings));
    }

    [Fact]
    public void A_sheet_is_chosen_by_name_and_an_unknown_one_is_refused_naming_the_sheets()
    {
        var workbook = Workbook("<row r=\"1\"><c t=\"inlineStr\"><is><t>a</t></is></c></row>");
        Assert.Equal("wrong sheet\n", Encoding.UTF8.GetString(XlsxWorkbook.SheetAsCsv(() => new MemoryStream(workbook), "w.xlsx", "OTHER")));
        Assert.Equal("w.xlsx: has no sheet 'Summary'; its sheets are 'Data', 'Other'",
            Assert.Throws<DataFormatException>(() => XlsxWorkbook.SheetAsCsv(() => new MemoryStream(workbook), "w.xlsx", "Summary")).Message);
        var csv = _folder.Write("plain.csv", "x,y\n1,a\n");
        Assert.Equal($"{csv}: is not an Excel workbook, so it has no sheet 'Data'; give a sheet (--sheet) only with an .xlsx file",
            Assert.Throws<DataFormatException>(() => DelimitedFile.Load(csv, new DelimitedLoadOptions { Sheet = "Data" })).Message);
    }

    [Fact]
    public void Train_and_predict_read_the_sheet_given_with_sheet()
    {
        // The iris sample on a workbook's second sheet, behind a first sheet of notes.
        var rows = new StringBuilder();
        var number = 0;
        foreach (var line in SampleText.Read(SampleDatasets.IrisInfo.Name).Split(["\r\n", "\n"], StringSplitOptions.RemoveEmptyEntries))
        {
            number++;
            var cells = line.Split(',').Select(v => double.TryParse(v, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _)
                ? $"<c><v>{v}</v></c>" : $"<c t=\"inlineStr\"><is><t>{v}</t></is></c>");
            rows.Append($"<row r=\"{number}\">").AppendJoin("", cells).Append("</row>");
        }
        var path = _folder.WriteBytes("iris-second.xlsx", Workbook("<row r=\"1\"><c t=\"inlineStr\"><is><t>Measured in 1935 on the Gaspé Peninsula.</t></is></c></row>", other: rows.ToString()));
        var model = _folder.File("iris.zip");
        var first = CliRunner.InProcess("train", "--dataset", path, "--label-col", "species", "--trainer", "lbfgs", "-o", model);
        Assert.Equal(3, first.ExitCode);
        Assert.Contains($"{path}, sheet 'Data': the file has a header row but no data rows", first.Error);
        var trained = CliRunner.InProcess("train", "--dataset", path, "--sheet", "Other", "--label-col", "species", "--trainer", "lbfgs", "-o", model, "--json");
        Assert.True(trained.ExitCode == 0, trained.Error);
        var sample = CliRunner.InProcess("train", "--sample", "iris", "--trainer", "lbfgs", "-o", _folder.File("sample.zip"), "--json");
        // Same rows in the same order as the built-in sample: the same split and the same held-out accuracy.
        Assert.Equal((double)JsonNode.Parse(sample.Out)!["test"]!["metrics"]!["accuracy"]!, (double)JsonNode.Parse(trained.Out)!["test"]!["metrics"]!["accuracy"]!);
        var predicted = CliRunner.InProcess("predict", "--model", model, "--dataset", path, "--sheet", "other", "-o", _folder.File("p.csv"));
        Assert.True(predicted.ExitCode == 0, predicted.Error);
        Assert.Equal(151, File.ReadAllLines(_folder.File("p.csv")).Length);
    }
}
