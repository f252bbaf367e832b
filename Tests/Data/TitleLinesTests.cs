using Microsoft.ML;
using Microsoft.ML.Data;
using MlToolkit.Data.Delimited;
using MlToolkit.Tests.Support;

namespace MlToolkit.Tests.Data;

/// <summary>Report exports that open with a title above the table: the title is left out and said so, and nothing else is.</summary>
public sealed class TitleLinesTests : IDisposable
{
    private const string Title = "Iris measurements\nExported 2026-12-01, by the lab\n\n";

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static string IrisText() => IrisExport.Text();

    [Theory]
    [InlineData(Title)]
    // Excel saves a sheet as CSV with every row padded to the table's width, quoting a field that holds a comma.
    [InlineData("Iris measurements,,,,\n\"Exported 2026-12-01, by the lab\",,,,\n,,,,\n")]
    public void A_title_above_the_iris_table_is_left_out_with_a_warning_and_the_table_reads_as_the_sample(string title)
    {
        var path = _folder.Write("report.csv", title + IrisText());
        var titled = DelimitedFile.Load(path);
        Assert.Equal(3, titled.Layout.Format.TitleLines);
        Assert.Equal(IrisExport.Sample().Layout.Format with { TitleLines = 3 }, titled.Layout.Format);
        IrisExport.AssertReadsAsSample(titled);
        Assert.Equal($"{path}: lines 1-3 above the table were read as a title and left out ('Iris measurements'); the table starts on line 4. "
            + "If they are data, give --title-lines 0 (DelimitedLoadOptions.TitleLines = 0)", Assert.Single(titled.Layout.Warnings));
        Assert.StartsWith("separator comma, header yes, quoting on, decimal mark '.', title lines 1-3 left out, inferred from 150 rows", titled.Layout.Describe());
    }

    [Fact]
    public void The_warning_quotes_the_title_below_an_empty_row_padded_with_separators()
    {
        var path = _folder.Write("padded.csv", ",,,,\nIris measurements,,,,\n" + IrisText());
        var data = DelimitedFile.Load(path);
        Assert.Equal(2, data.Layout.Format.TitleLines);
        Assert.StartsWith($"{path}: lines 1-2 above the table were read as a title and left out ('Iris measurements'); the table starts on line 3.",
            Assert.Single(data.Layout.Warnings));
    }

    [Fact]
    public void Errors_below_a_title_name_the_line_of_the_file()
    {
        var lines = IrisText().Split('\n').ToList();
        var fields = lines[20].Split(',');
        fields[1] = "wide";
        lines[20] = string.Join(',', fields);
        var path = _folder.Write("bad.csv", Title + string.Join('\n', lines));
        var data = DelimitedFile.Load(path, new DelimitedLoadOptions { InferenceRows = 10 });
        var error = Assert.Throws<DataFormatException>(() => data.GetColumn<float>("sepal_width_cm").ToList());
        // The 21st line of the table is the 24th of the file.
        Assert.StartsWith($"{path}, line 24, column 'sepal_width_cm': value 'wide': expected a number", error.Message);
    }

    [Fact]
    public void Lines_that_are_not_a_title_are_read_as_before()
    {
        // A header one name short (R's write.table with row names) is still an error, not a title above a headerless table.
        var rNames = _folder.Write("r.tsv", "a\tb\tc\n1\t0.5\t2\tx\n2\t1.5\t3\ty\n3\t2.5\t4\tx\n");
        Assert.Equal($"{rNames}, line 2: expected 3 fields (as in the header) but found 4",
            Assert.Throws<DataFormatException>(() => DelimitedFile.Load(rNames)).Message);
        // A table of two columns keeps its first line, whatever it holds.
        var narrow = DelimitedFile.Load(_folder.Write("narrow.csv", "notes\nx,y\n1,2\n3,4\n"));
        Assert.Equal(0, narrow.Layout.Format.TitleLines);
        // A one-column file of reviews keeps every line.
        var reviews = DelimitedFile.Load(_folder.Write("reviews.tsv", "Text\nGreat film, loved it\nBad, boring, and long\nFine, if slow, and long\nOk\n"));
        Assert.Equal(new[] { "Great film, loved it", "Bad, boring, and long", "Fine, if slow, and long", "Ok" }, TextColumn.Of(reviews, "Text"));
        Assert.Empty(reviews.Layout.Warnings);
        // Told to read every line, the title is the first record and the table's lines are too wide for it.
        var path = _folder.Write("report.csv", Title + IrisText());
        Assert.Equal($"{path}, line 2: expected 1 fields (as in the header) but found 2",
            Assert.Throws<DataFormatException>(() => DelimitedFile.Load(path, new DelimitedLoadOptions { TitleLines = 0 }).GetColumn<float>("x").ToList()).Message);
    }

    [Fact]
    public void Train_and_predict_read_a_titled_export_as_the_sample_and_say_what_they_left_out()
    {
        var path = _folder.Write("report.csv", Title + IrisText());
        IrisExport.AssertTrainsAndPredictsAsSample(_folder, path, $"warning: {path}: lines 1-3 above the table were read as a title and left out");
    }
}
