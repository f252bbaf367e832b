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
    public void A_single_column_of_free_text_with_commas_is_one_field_per_line()
    {
        var path = _folder.Write("texts.tsv", "Text\nGreat film, loved it\nBad, boring, and long\nFine\n");
        var view = DelimitedFile.Load(path);
        Assert.Equal('\t', view.Layout.Format.Separator);
        Assert.Equal(new[] { "Great film, loved it", "Bad, boring, and long", "Fine" }, Column<ReadOnlyMemory<char>>(view, "Text").Select(v => v.ToString()));

        // A comma in the first line is a separator: a row with one more field is an error, not a one-column file.
        var ragged = _folder.Write("ragged.csv", "a,b\n1,2\n3,4,5\n");
        var error = Assert.IsType<DataFormatException>(Record.Exception(() => Column<float>(DelimitedFile.Load(ragged), "a")));
        Assert.Equal($"{ragged}, line 3: expected 2 fields (as in the header) but found 3", error.Message);
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
        Assert.Equal($"{path}, line 31, column 'y': value 'oops': expected a number with '.' as decimal mark (the column was read as numeric; override its type if it holds text)", error.Message);
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

    [Fact]
    public void A_header_of_names_above_numeric_columns_is_detected_even_when_a_name_reads_like_a_missing_value()
    {
        // The first rows of the glass identification data (UCI, CC BY 4.0): 'Na' is sodium, not "not available".
        var path = _folder.Write("glass.csv", "\"RI\",\"Na\",\"Mg\",\"Al\",\"Type\"\n1.52101,13.64,4.49,1.1,\"1\"\n1.51761,13.89,3.6,1.36,\"1\"\n1.51618,13.53,3.55,1.54,\"2\"\n");
        var view = DelimitedFile.Load(path);
        Assert.True(view.Layout.Format.HasHeader);
        Assert.Equal(new[] { "RI", "Na", "Mg", "Al", "Type" }, view.Layout.Columns.Select(c => c.Name));
        Assert.Equal(new[] { 13.64f, 13.89f, 13.53f }, Column<float>(view, "Na"));
    }

    [Fact]
    public void A_label_missing_from_a_headerless_file_says_no_header_was_found_and_how_to_force_it()
    {
        var view = DelimitedFile.Load(_folder.Write("n.csv", "1.5,2,a\n3.5,4,b\n"));
        var error = Assert.Throws<SchemaException>(() => view.Layout.GetColumn("Type"));
        Assert.Equal("Column 'Type' not found. Columns: Column0, Column1, Column2. No header row was detected, so the columns are numbered; if the first row names the columns, say so (--has-header true, or DelimitedLoadOptions.HasHeader = true).", error.Message);
    }

    [Fact]
    public void Blank_lines_between_and_after_records_are_skipped_and_lines_still_counted()
    {
        // Each blank line once left its empty field in front of the next record: "expected 3 fields but found 4".
        var path = _folder.Write("blank.csv", "x,note,y\n1,\"a\nb\",p\n\n2,c,q\r\n\r\n3,d,p\n\n\n");
        var view = DelimitedFile.Load(path);
        Assert.Equal(new[] { 1f, 2f, 3f }, Column<float>(view, "x"));
        Assert.Equal(new[] { "a\nb", "c", "d" }, Column<ReadOnlyMemory<char>>(view, "note").Select(v => v.ToString()));
        var bad = _folder.Write("bad.csv", "x,y\n1,p\n\n\n2,q,extra\n");
        Assert.Equal($"{bad}, line 5: expected 2 fields (as in the header) but found 3",
            Assert.Throws<DataFormatException>(() => Column<float>(DelimitedFile.Load(bad, new DelimitedLoadOptions { InferenceRows = 1 }), "x")).Message);
    }

    [Fact]
    public void Decimal_commas_are_detected_with_semicolons_and_read_as_numbers()
    {
        var path = _folder.Write("eu.csv", "length;width;species\n5,1;3,5;setosa\n7,0;3,2;versicolor\n6,3;3,3;virginica\n4,9;3;setosa\n");
        var view = DelimitedFile.Load(path);
        Assert.Equal(',', view.Layout.Format.DecimalSeparator);
        Assert.Equal(ColumnKind.Numeric, view.Layout.GetColumn("length").Kind);
        Assert.Equal(new[] { 5.1f, 7.0f, 6.3f, 4.9f }, Column<float>(view, "length"));
        Assert.Equal(new[] { 3.5f, 3.2f, 3.3f, 3f }, Column<float>(view, "width"));
        Assert.Empty(view.Layout.Warnings);

        var dots = DelimitedFile.Load(_folder.Write("dots.csv", "a;b\n1.5;2\n2.5;3\n"));
        Assert.Equal('.', dots.Layout.Format.DecimalSeparator);
        var forced = DelimitedFile.Load(path, new DelimitedLoadOptions { DecimalSeparator = '.' });
        Assert.Equal(ColumnKind.Text, forced.Layout.GetColumn("length").Kind);
    }

    [Fact]
    public void A_mostly_numeric_column_read_as_text_is_reported_with_a_line_and_a_value()
    {
        var rows = Enumerable.Range(0, 20).Select(i => $"{i},{(i % 4 == 3 ? "n.a." : (i * 1.5).ToString(System.Globalization.CultureInfo.InvariantCulture))},{i % 2}");
        var path = _folder.Write("mixed.csv", "id,weight,label\n" + string.Join("\n", rows) + "\n");
        var view = DelimitedFile.Load(path);
        Assert.Equal(ColumnKind.Text, view.Layout.GetColumn("weight").Kind);
        Assert.Equal($"{path}: column 'weight' holds numbers in 15 of 20 sampled rows but was read as text (line 5 has 'n.a.'); if it is a measurement, fix those values, declare them missing (--missing-values n.a.) or read it as a number (--column-type weight=numeric).",
            Assert.Single(view.Layout.Warnings));
    }

    [Theory]
    [InlineData("Infinity")]
    [InlineData("-Infinity")]
    [InlineData("inf")]
    public void Infinities_are_an_error_at_their_line_and_nan_is_a_missing_value(string infinity)
    {
        var rows = Enumerable.Range(0, 10).Select(i => $"{i},{(i == 4 ? infinity : i == 6 ? "NaN" : "2.5")}").ToList();
        var path = _folder.Write("inf.csv", "x,y\n" + string.Join("\n", rows) + "\n");
        var view = DelimitedFile.Load(path);
        Assert.Equal(ColumnKind.Numeric, view.Layout.GetColumn("y").Kind);
        var error = Assert.Throws<DataFormatException>(() => Column<float>(view, "y"));
        Assert.Equal($"{path}, line 6, column 'y': value '{infinity}': expected a finite number; infinities are not allowed (leave the field empty or write NA for a missing value)", error.Message);

        var nan = DelimitedFile.Load(_folder.Write("nan.csv", "x,y\n1,2.5\n2,NaN\n3,1\n"));
        Assert.True(float.IsNaN(Column<float>(nan, "y")[1]));
    }
}
