using System.Text;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlToolkit.Data.Delimited;
using MlToolkit.Tests.Support;

namespace MlToolkit.Tests.Data;

/// <summary>
/// Files saved in Windows-1252 (Excel's "CSV" on Windows) read as the text they hold, as do UTF-8 and UTF-16 files,
/// even when one file mixes the two; before, each such byte read as U+FFFD.
/// </summary>
public sealed class TextEncodingTests : IDisposable
{
    private const string Table = "city,price,y\ncafé,€5,Zürich\nMalmö,“7”,Zürich\nÅre,8,Malmö\n";

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string[] Read(string name, byte[] bytes, string column)
    {
        var path = _folder.WriteBytes(name, bytes);
        return TextColumn.Of(DelimitedFile.Load(path), column);
    }

    [Fact]
    public void Windows_1252_utf8_and_utf16_files_read_as_the_same_text()
    {
        var windows1252 = CodePagesEncodingProvider.Instance.GetEncoding(1252)!;
        var expected = new[] { "café", "Malmö", "Åre" };
        Assert.Equal(expected, Read("ansi.csv", windows1252.GetBytes(Table), "city"));
        Assert.Equal(new[] { "€5", "“7”", "8" }, Read("ansi-price.csv", windows1252.GetBytes(Table), "price"));
        Assert.Equal(expected, Read("utf8.csv", Encoding.UTF8.GetBytes(Table), "city"));
        Assert.Equal(expected, Read("utf16.csv", Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(Table)).ToArray(), "city"));
    }

    [Fact]
    public void A_file_mixing_utf8_and_windows_1252_lines_reads_both()
    {
        var windows1252 = CodePagesEncodingProvider.Instance.GetEncoding(1252)!;
        var bytes = Encoding.UTF8.GetBytes("city,y\ncafé,a\n").Concat(windows1252.GetBytes("Malmö,b\n")).Concat(Encoding.UTF8.GetBytes("Zürich,a\n")).ToArray();
        Assert.Equal(new[] { "café", "Malmö", "Zürich" }, Read("mixed.csv", bytes, "city"));
    }

    [Fact]
    public void Predicted_class_names_from_a_windows_1252_file_come_back_as_written()
    {
        var rows = new StringBuilder("x,city\n");
        for (var i = 0; i < 60; i++)
            rows.Append(System.Globalization.CultureInfo.InvariantCulture, $"{i % 10},{(i % 10 < 5 ? "Malmö" : "Zürich")}\n");
        var path = _folder.WriteBytes("cities.csv", CodePagesEncodingProvider.Instance.GetEncoding(1252)!.GetBytes(rows.ToString()));
        var trained = CliRunner.InProcess("train", "--dataset", path, "--label-col", "city", "--trainer", "lbfgs", "-o", _folder.File("m.zip"));
        Assert.True(trained.ExitCode == 0, trained.Error);
        Assert.Equal(0, CliRunner.InProcess("predict", "--model", _folder.File("m.zip"), "--dataset", path, "-o", _folder.File("p.csv")).ExitCode);
        var predicted = File.ReadLines(_folder.File("p.csv")).Skip(1).Select(l => l.Split(',')[1]).Distinct().Order(StringComparer.Ordinal);
        Assert.Equal(new[] { "Malmö", "Zürich" }, predicted);
    }
}
