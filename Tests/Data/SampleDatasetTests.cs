using Microsoft.ML;
using Microsoft.ML.Data;
using MlToolkit.Data;
using MlToolkit.Data.Delimited;
using MlToolkit.Data.Samples;

namespace MlToolkit.Tests.Data;

public sealed class SampleDatasetTests
{
    private readonly MLContext _ml = new(seed: 1);

    [Fact]
    public void Digits_has_1797_rows_of_64_pixels_and_a_label()
    {
        var digits = SampleDatasets.Digits(_ml);
        var layout = digits.Layout;
        Assert.Equal(65, layout.Columns.Count);
        Assert.All(layout.Columns, c => Assert.Equal(ColumnKind.Numeric, c.Kind));
        Assert.Equal("pixel_0_0", layout.Columns[0].Name);
        Assert.Equal("label", layout.Columns[64].Name);
        Assert.Equal(',', layout.Format.Separator);
        Assert.True(layout.Format.HasHeader);

        var labels = digits.GetColumn<float>("label").ToList();
        Assert.Equal(1797, labels.Count);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (float)i), labels.Distinct().Order());
        Assert.Equal(1797, digits.GetRowCount());
        var firstRow = digits.GetColumn<float>("pixel_0_2").First();
        Assert.Equal(5f, firstRow);
    }

    [Theory]
    [InlineData("iris", 5, "species", ColumnPurpose.Categorical, 150)]
    [InlineData("wine", 14, "cultivar", ColumnPurpose.Categorical, 178)]
    [InlineData("breast-cancer", 31, "diagnosis", ColumnPurpose.Categorical, 569)]
    [InlineData("diabetes", 11, "progression", ColumnPurpose.Numeric, 442)]
    public void Tabular_samples_infer_numeric_features_and_the_right_label(string name, int columns, string label, ColumnPurpose labelPurpose, int rows)
    {
        var sample = SampleDatasets.Get(name);
        var view = sample.Load(_ml);
        Assert.Equal(label, sample.LabelColumn);
        Assert.Equal(columns, view.Layout.Columns.Count);
        Assert.Equal(labelPurpose, view.Layout.GetColumn(label).Purpose);
        Assert.All(view.Layout.Columns.Where(c => c.Name != label), c => Assert.Equal(ColumnKind.Numeric, c.Kind));
        Assert.Equal(rows, view.Preview(maxRows: 10_000).RowView.Length);
    }

    [Fact]
    public void Breast_cancer_diagnosis_has_two_classes()
    {
        var view = SampleDatasets.BreastCancer(_ml);
        var counts = view.GetColumn<ReadOnlyMemory<char>>("diagnosis").GroupBy(v => v.ToString()).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(new Dictionary<string, int> { ["benign"] = 357, ["malignant"] = 212 }, counts);
    }

    [Fact]
    public void Imdb_sample_is_tab_separated_balanced_text_with_quotes_kept()
    {
        var view = SampleDatasets.Imdb(_ml);
        var layout = view.Layout;
        Assert.Equal('\t', layout.Format.Separator);
        Assert.False(layout.Format.AllowQuoting);
        Assert.Equal(new[] { "Label", "Text" }, layout.Columns.Select(c => c.Name));
        Assert.Equal(ColumnPurpose.Categorical, layout.GetColumn("Label").Purpose);
        Assert.Equal(ColumnPurpose.Text, layout.GetColumn("Text").Purpose);

        var labels = view.GetColumn<ReadOnlyMemory<char>>("Label").Select(v => v.ToString()).ToList();
        Assert.Equal(2000, labels.Count);
        Assert.Equal(1000, labels.Count(l => l == "positive"));
        Assert.Equal(new[] { "positive", "negative", "positive" }, labels.Take(3));
        var texts = view.GetColumn<ReadOnlyMemory<char>>("Text").Select(v => v.ToString()).ToList();
        Assert.StartsWith("Despite a silly premise", texts[0]);
        Assert.True(texts.Count(t => t.Contains('"')) > 100);
    }

    [Fact]
    public void Unknown_sample_name_lists_the_samples()
    {
        var error = Assert.Throws<ArgumentException>(() => SampleDatasets.Get("mnist"));
        Assert.StartsWith("No sample dataset 'mnist'. Samples: digits, iris, wine, breast-cancer, diabetes, imdb.", error.Message);
    }

    [Fact]
    public void Every_sample_has_an_attribution()
    {
        Assert.All(SampleDatasets.All, s => Assert.Matches("(CC BY 4.0|BSD-3-Clause|Cite that paper)", s.Attribution));
    }
}
