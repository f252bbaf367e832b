using Microsoft.ML;
using Microsoft.ML.Data;
using MlToolkit.Data.Delimited;
using MlToolkit.Tests.Support;

namespace MlToolkit.Tests.Data;

public sealed class DelimitedFileTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static List<T> Column<T>(IDataView view, string name) => view.GetColumn<T>(name).ToList();

    [Fact]
    public void Quoted_fields_hold_separators_quotes_and_line_breaks()
    {
        var path = _folder.Write("q.csv", "id,comment,score\r\n1,\"hello, world\",2.5\r\n2,\"she said \"\"hi\"\"\",3\r\n3,\"two\nlines\",NA\r\n");
        var view = DelimitedFile.Load(path);
        Assert.Equal(new[] { "hello, world", "she said \"hi\"", "two\nlines" }, Column<ReadOnlyMemory<char>>(view, "comment").Select(v => v.ToString()));
        var scores = Column<float>(view, "score");
        Assert.Equal(new[] { 2.5f, 3f }, scores.Take(2));
        Assert.True(float.IsNaN(scores[2]));
    }

    [Fact]
    public void Detects_semicolons_and_a_missing_header()
    {
        var path = _folder.Write("s.txt", "1;2;a\n3;4;b\n5;6;a\n");
        var view = DelimitedFile.Load(path);
        Assert.Equal(';', view.Layout.Format.Separator);
        Assert.False(view.Layout.Format.HasHeader);
        Assert.Equal(new[] { "Column0", "Column1", "Column2" }, view.Layout.Columns.Select(c => c.Name));
        Assert.Equal(new[] { 1f, 3f, 5f }, Column<float>(view, "Column0"));
    }

    [Fact]
    public void Headerless_labelled_text_is_not_mistaken_for_a_header()
    {
        var path = _folder.Write("t.tsv", "positive\tgreat film\nnegative\tdull\npositive\tloved it\n");
        var view = DelimitedFile.Load(path);
        Assert.False(view.Layout.Format.HasHeader);
        Assert.Equal(3, Column<ReadOnlyMemory<char>>(view, "Column1").Count);
    }

    [Fact]
    public void Booleans_and_overrides()
    {
        var path = _folder.Write("b.csv", "flag,code\ntrue,1\nFalse,2\nTRUE,3\n");
        var inferred = DelimitedFile.Load(path);
        Assert.Equal(ColumnKind.Boolean, inferred.Layout.GetColumn("flag").Kind);
        Assert.Equal(new[] { true, false, true }, Column<bool>(inferred, "flag"));

        var overridden = DelimitedFile.Load(path, new DelimitedLoadOptions { ColumnKinds = new Dictionary<string, ColumnKind> { ["code"] = ColumnKind.Text } });
        Assert.Equal(new[] { "1", "2", "3" }, Column<ReadOnlyMemory<char>>(overridden, "code").Select(v => v.ToString()));
    }

    [Fact]
    public void Missing_file_names_the_path()
    {
        var path = _folder.File("nope.csv");
        var error = Assert.Throws<DataFormatException>(() => DelimitedFile.Load(path));
        Assert.Equal($"{path}: file not found", error.Message);
    }

    [Fact]
    public void Empty_file_and_header_only_file_are_rejected()
    {
        var empty = _folder.Write("empty.csv", "");
        Assert.Equal($"{empty}: the file is empty; expected a header row and data rows",
            Assert.Throws<DataFormatException>(() => DelimitedFile.Load(empty)).Message);
        var headerOnly = _folder.Write("header.csv", "a,b,label\n");
        Assert.Equal($"{headerOnly}: the file has a header row but no data rows",
            Assert.Throws<DataFormatException>(() => DelimitedFile.Load(headerOnly)).Message);
    }

    [Fact]
    public void Non_numeric_value_in_a_numeric_column_names_line_column_and_value()
    {
        var rows = Enumerable.Range(0, 40).Select(i => $"{i},{i * 2},{i % 3}").ToList();
        rows[29] = "29,oops,2";
        var path = _folder.Write("bad.csv", "x,y,label\n" + string.Join("\n", rows) + "\n");
        var view = DelimitedFile.Load(path);
        Assert.Equal(ColumnKind.Numeric, view.Layout.GetColumn("y").Kind);
        var error = Assert.Throws<DataFormatException>(() => Column<float>(view, "y"));
        Assert.Equal($"{path}, line 31, column 'y': value 'oops': expected a number (the column was read as numeric; override its type if it holds text)", error.Message);
        Assert.Equal(31, error.Line);
        Assert.Equal("y", error.Column);
        // Columns that are not read are not parsed.
        Assert.Equal(40, Column<float>(view, "x").Count);
    }

    [Fact]
    public void A_row_with_the_wrong_number_of_fields_is_reported_with_its_line()
    {
        var path = _folder.Write("short.csv", "a,b,c\n1,2,3\n4,5\n6,7,8\n");
        var error = Assert.Throws<DataFormatException>(() => DelimitedFile.Load(path));
        Assert.Equal($"{path}, line 3: expected 3 fields (as in the header) but found 2", error.Message);
    }

    [Fact]
    public void An_unclosed_quote_names_the_line_it_opened_on()
    {
        var path = _folder.Write("open.csv", "a,b\n1,\"never closed\n2,3\n");
        var error = Assert.Throws<DataFormatException>(() => DelimitedFile.Load(path));
        Assert.Equal($"{path}, line 2: the quoted field 2 opened on this line is never closed; expected a closing '\"'", error.Message);
    }

    [Fact]
    public void Gzip_files_are_read_transparently()
    {
        var path = _folder.File("z.csv.gz");
        using (var file = File.Create(path))
        using (var gzip = new System.IO.Compression.GZipStream(file, System.IO.Compression.CompressionLevel.Fastest))
        using (var writer = new StreamWriter(gzip))
            writer.Write("a,b\n1,2\n3,4\n");
        Assert.Equal(new[] { 2f, 4f }, Column<float>(DelimitedFile.Load(path), "b"));
    }
}
