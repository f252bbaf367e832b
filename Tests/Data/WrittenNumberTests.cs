using Microsoft.ML;
using Microsoft.ML.Data;
using MlToolkit.Data;
using MlToolkit.Data.Delimited;
using MlToolkit.Tests.Support;

namespace MlToolkit.Tests.Data;

/// <summary>
/// Numbers written the way spreadsheets export them (currency signs, percent signs, grouped thousands) are numbers,
/// in the decimal mark the file uses; a column of them used to be read as free text.
/// </summary>
public sealed class WrittenNumberTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static float[] Column(IDataView view, string name) => view.GetColumn<float>(name).ToArray();

    [Fact]
    public void Currency_percent_and_grouped_thousands_read_as_the_numbers_written()
    {
        var path = _folder.Write("money.csv",
            "price,discount,count,y\n\"$1,234.50\",45%,\"1,000,000\",a\n$7.00,-5%,12,b\n\"-$1,000\",0.5%,\"2,500\",a\n\"£ 12\",100%,999,b\n\"3.25 €\",7%,\"10,000\",a\n");
        var view = DelimitedFile.Load(path);
        Assert.Equal(new[] { ColumnKind.Numeric, ColumnKind.Numeric, ColumnKind.Numeric }, new[] { "price", "discount", "count" }.Select(c => view.Layout.GetColumn(c).Kind));
        Assert.Equal(new[] { 1234.5f, 7f, -1000f, 12f, 3.25f }, Column(view, "price"));
        Assert.Equal(new[] { 45f, -5f, 0.5f, 100f, 7f }, Column(view, "discount"));
        Assert.Equal(new[] { 1_000_000f, 12f, 2500f, 999f, 10_000f }, Column(view, "count"));
        Assert.Empty(view.Layout.Warnings);
    }

    [Fact]
    public void With_a_decimal_comma_thousands_are_grouped_by_dots()
    {
        var view = DelimitedFile.Load(_folder.Write("eu.csv", "price;size;y\n1.234,50 €;2,5;a\n€ 7,00;3,75;b\n12.500;1,125;a\n"));
        Assert.Equal(',', view.Layout.Format.DecimalSeparator);
        Assert.Equal(new[] { 1234.5f, 7f, 12500f }, Column(view, "price"));
        Assert.Equal(new[] { 2.5f, 3.75f, 1.125f }, Column(view, "size"));
    }

    [Fact]
    public void Three_decimals_after_a_comma_in_a_semicolon_file_stay_a_decimal_comma()
    {
        // Grouped thousands would read 0,125 as 125; a file of plain numbers decides its decimal mark without them.
        var view = DelimitedFile.Load(_folder.Write("fixed.csv", "a;b\n0,125;1\n1,250;2\n2,375;3\n"));
        Assert.Equal(',', view.Layout.Format.DecimalSeparator);
        Assert.Equal(new[] { 0.125f, 1.25f, 2.375f }, Column(view, "a"));
    }

    [Theory]
    [InlineData("12,34")]
    [InlineData("1,2345")]
    [InlineData("1234,567")]
    [InlineData("$")]
    [InlineData("45 %%")]
    [InlineData("US$ 5")]
    [InlineData("1,234.")]
    public void Malformed_groups_and_marks_are_no_numbers(string value)
    {
        var rows = string.Concat(Enumerable.Range(0, 24).Select(i => $"\"{(i * 1.5).ToString(System.Globalization.CultureInfo.InvariantCulture)}\",a\n"));
        var path = _folder.Write("bad.csv", "x,y\n" + rows + $"\"{value}\",b\n");
        var view = DelimitedFile.Load(path);
        Assert.Equal(ColumnKind.Numeric, view.Layout.GetColumn("x").Kind);
        var error = Assert.Throws<DataFormatException>(() => Column(view, "x"));
        Assert.Contains($"line 26, column 'x': value '{value}': expected a number", error.Message);
    }
}
