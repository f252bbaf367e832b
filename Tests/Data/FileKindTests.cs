using System.IO.Compression;
using System.Text;
using MlToolkit.Data.Delimited;
using MlToolkit.Data.IO;
using MlToolkit.Tests.Support;

namespace MlToolkit.Tests.Data;

/// <summary>
/// A file that is not delimited text (a legacy Excel workbook, a ZIP archive, a saved model, Parquet, JSON, binary data) is
/// refused up front, saying what it is and what to give instead; read as CSV it failed deep inside with a message about
/// a quote ("line 28: field 2 has 'ã' after its closing quote").
/// </summary>
public sealed class FileKindTests : IDisposable
{
    private const string Csv = "expected delimited text (CSV or TSV, optionally gzip-compressed)";

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static string Refusal(string path) => Assert.Throws<DataFormatException>(() => DelimitedFile.Load(path)).Message;

    private static byte[] Gzip(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
            gzip.Write(bytes);
        return output.ToArray();
    }

    private static byte[] ZipOf(params (string Name, string Text)[] entries)
    {
        using var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create))
        {
            foreach (var (name, text) in entries)
            {
                using var writer = new StreamWriter(zip.CreateEntry(name).Open());
                writer.Write(text);
            }
        }
        return output.ToArray();
    }

    [Fact]
    public void A_legacy_or_broken_excel_workbook_is_named_as_one_with_how_to_save_it_as_csv()
    {
        var legacy = _folder.WriteBytes("old.xls", new byte[] { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0, 0 });
        Assert.Equal($"{legacy}: is an Excel 97-2003 workbook (.xls) or another legacy Office file; {Csv}: save the sheet as CSV (File > Save As > CSV UTF-8) and give that file", Refusal(legacy));
        var broken = _folder.WriteBytes("broken.xlsx", ZipOf(("xl/styles.xml", "<styleSheet/>")));
        Assert.Equal($"{broken}: is an Excel workbook (.xlsx); {Csv}: save the sheet as CSV (File > Save As > CSV UTF-8) and give that file", Refusal(broken));
    }

    [Fact]
    public void Zip_archives_parquet_json_and_binary_data_are_named()
    {
        var zipped = _folder.WriteBytes("data.zip", ZipOf(("train.csv", "x,y\n1,a\n"), ("readme.txt", "hi")));
        Assert.Equal($"{zipped}: is a ZIP archive holding 'train.csv'; {Csv}: extract the file and give it (or gzip it: only gzip is read as it is)", Refusal(zipped));
        var calc = _folder.WriteBytes("t.ods", ZipOf(("mimetype", "application/vnd.oasis.opendocument.spreadsheet"), ("content.xml", "<office:document-content/>")));
        Assert.Equal($"{calc}: is an OpenDocument file (.ods, as LibreOffice saves); {Csv}: save the sheet as CSV or as an Excel workbook (.xlsx) and give that file", Refusal(calc));
        var other = _folder.WriteBytes("other.zip", ZipOf(("notes.txt", "hi")));
        Assert.Equal($"{other}: is a ZIP archive (first entry 'notes.txt'); {Csv}. A saved model is given with --model.", Refusal(other));
        var parquet = _folder.WriteBytes("t.parquet", Encoding.ASCII.GetBytes("PAR1\u0015\u0004\u0015"));
        Assert.StartsWith($"{parquet}: is a Parquet file; {Csv}", Refusal(parquet));
        var records = _folder.WriteBytes("t.json", Encoding.UTF8.GetBytes("[\n  {\"x\": 1, \"y\": \"a\"}\n]\n"));
        Assert.StartsWith($"{records}: is JSON; {Csv}", Refusal(records));
        var lines = _folder.WriteBytes("t.jsonl.gz", Gzip(Encoding.UTF8.GetBytes("{\"x\": 1, \"y\": \"a\"}\n{\"x\": 2, \"y\": \"b\"}\n")));
        Assert.StartsWith($"{lines}: is JSON; {Csv}", Refusal(lines));
        var binary = _folder.WriteBytes("t.bin", new byte[] { 1, 2, 0, 0, 44, 10 });
        Assert.Equal($"{binary}: is binary data (it holds NUL bytes); {Csv}", Refusal(binary));
    }

    [Fact]
    public void Text_that_merely_starts_like_json_or_holds_utf16_is_still_read()
    {
        Assert.Null(FileKindSniffer.NotText(Encoding.UTF8.GetBytes("[id],x\n1,2\n")));
        Assert.Null(FileKindSniffer.NotText(Encoding.UTF8.GetBytes("{a},x\n1,2\n")));
        Assert.Null(FileKindSniffer.NotText(Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("x,y\n1,a\n")).ToArray()));
        var bracketed = _folder.WriteBytes("b.csv", Encoding.UTF8.GetBytes("[id],y\n1,a\n2,b\n"));
        Assert.Equal(new[] { "[id]", "y" }, DelimitedFile.Load(bracketed).Schema.Select(c => c.Name));
    }

    [Fact]
    public void A_saved_model_given_as_data_is_refused_with_exit_code_3_and_the_model_file_is_left_as_it_was()
    {
        var model = _folder.File("iris.zip");
        Assert.Equal(0, CliRunner.InProcess("train", "--sample", "iris", "--trainer", "lbfgs", "-o", model).ExitCode);
        var before = File.ReadAllBytes(model);
        var run = CliRunner.InProcess("predict", "--model", model, "--dataset", model, "-o", _folder.File("p.csv"));
        Assert.Equal(3, run.ExitCode);
        Assert.Contains($"{model}: is a ZIP archive (first entry 'scorer/schema.zip'); {Csv}. A saved model is given with --model.", run.Error);
        Assert.Equal(before, File.ReadAllBytes(model));
        Assert.False(File.Exists(_folder.File("p.csv")));
    }
}
