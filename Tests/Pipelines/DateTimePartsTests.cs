using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlToolkit.Data.Delimited;
using MlToolkit.Models.Persistence;
using MlToolkit.Pipelines.Dates;
using MlToolkit.Pipelines.Featurization;
using MlToolkit.Tests.Support;

namespace MlToolkit.Tests.Pipelines;

public sealed class DateTimePartsTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("2024-03-15", "2024-03-15T00:00:00.0000000+00:00")]
    [InlineData(" 2024/03/15 ", "2024-03-15T00:00:00.0000000+00:00")]
    [InlineData("2024-03-15 13:45", "2024-03-15T13:45:00.0000000+00:00")]
    [InlineData("2024-03-15T13:45:30.25Z", "2024-03-15T13:45:30.2500000+00:00")]
    [InlineData("2024-03-15 13:45:30+02:00", "2024-03-15T13:45:30.0000000+02:00")]
    public void Dates_written_year_first_are_read_with_their_time_and_zone(string text, string expected)
    {
        Assert.True(DateText.TryParse(text, out var value));
        Assert.Equal(expected, value.ToString("o", CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("15/03/2024")]
    [InlineData("03/15/2024")]
    [InlineData("2024-3-5")]
    [InlineData("2024-02-30")]
    [InlineData("20240315")]
    [InlineData("2024-03-15 soon")]
    public void Day_first_month_first_and_impossible_dates_are_not_read_as_year_first(string text) => Assert.False(DateText.TryParse(text, out _));

    [Fact]
    public void A_column_of_dates_is_inferred_as_dates_unless_one_value_is_no_date_or_text_is_asked_for()
    {
        var dates = DelimitedFile.Load(_folder.Write("d.csv", "when,y\n2024-01-05,a\n2024-01-06 08:30,b\n,a\n2024-01-08,b\n"));
        Assert.Equal((ColumnKind.Text, ColumnPurpose.DateTime), (dates.Layout.GetColumn("when").Kind, dates.Layout.GetColumn("when").Purpose));
        var mixed = DelimitedFile.Load(_folder.Write("m.csv", "when,y\n2024-01-05,a\n2024-01-06,b\nsoon,a\n2024-01-08,b\n"));
        Assert.Equal(ColumnPurpose.Text, mixed.Layout.GetColumn("when").Purpose);
        var asked = DelimitedFile.Load(_folder.File("d.csv"), new DelimitedLoadOptions { ColumnKinds = new Dictionary<string, ColumnKind> { ["when"] = ColumnKind.Text } });
        Assert.Equal(ColumnPurpose.Text, asked.Layout.GetColumn("when").Purpose);
    }

    [Fact]
    public void The_parts_are_the_calendar_and_clock_as_written_and_the_days_since_2000_of_the_instant()
    {
        var ml = new MLContext(seed: 1);
        var data = DelimitedFile.Load(_folder.Write("p.csv", "when,y\n2024-03-15 13:45:30.5+02:00,a\n,b\nNA,a\n"), new DelimitedLoadOptions { MissingValueTokens = new HashSet<string>() });
        var parts = ml.Transforms.ExpandDateTime("parts", "when").Fit(data).Transform(data);
        var rows = parts.GetColumn<float[]>("parts").ToList();
        // 2024-03-15 is a Friday (5, Monday = 1) and day 75 of its year; 11:45:30.5 UTC is 8,840.4899 days after 2000-01-01.
        Assert.Equal(new[] { 2024f, 3, 15, 5, 75, 13, 45, 30.5f, 8840.49f }, rows[0]);
        Assert.All(rows[1].Concat(rows[2]), p => Assert.True(float.IsNaN(p)));
        Assert.Equal(DateTimePartsTransformer.PartNames.Select(n => "when." + n), SlotNames(parts.Schema["parts"]));
    }

    [Fact]
    public void Text_that_is_no_date_is_an_error_naming_row_column_and_value_not_a_missing_value()
    {
        var ml = new MLContext(seed: 1);
        var data = DelimitedFile.Load(_folder.Write("bad.csv", "when,y\n2024-03-15,a\nsoon,b\n"));
        var parts = ml.Transforms.ExpandDateTime("when").Fit(data).Transform(data);
        var error = Assert.Throws<DataFormatException>(() => parts.GetColumn<float[]>("when").ToList());
        Assert.Equal("data row 2, column 'when': value 'soon': expected a date written year first, such as 2024-03-15 or 2024-03-15 13:45:30, or a missing value "
            + "(the column was read as dates; read it as text with --column-type NAME=text or ColumnInformation.TextColumnNames)", error.Message);
    }

    [Fact]
    public void A_value_that_is_no_date_past_the_inference_sample_is_an_error_naming_file_line_column_and_value()
    {
        var path = _folder.Write("late.csv", "when,y\n2024-03-15,a\n2024-03-16,b\n2024-03-17,a\nunknown,b\n");
        var data = DelimitedFile.Load(path, new DelimitedLoadOptions { InferenceRows = 3 });
        Assert.Equal(ColumnPurpose.DateTime, data.Layout.GetColumn("when").Purpose);
        var error = Assert.Throws<DataFormatException>(() => data.GetColumn<ReadOnlyMemory<char>>("when").ToList());
        Assert.Equal($"{path}, line 5, column 'when': value 'unknown': expected a date written year first, such as 2024-03-15 or 2024-03-15 13:45:30, "
            + "or a missing value (the column was read as dates; read it as text with --column-type NAME=text)", error.Message);
    }

    [Fact]
    public void A_featurizer_with_dates_saves_loads_and_serves_a_prediction_engine_with_the_same_features()
    {
        var ml = new MLContext(seed: 1);
        var data = DelimitedFile.Load(_folder.Write("s.csv", "when,size,y\n2024-01-05,1,a\n2024-02-06 10:00,2,b\n,3,a\n2024-04-08,4,b\n"));
        var featurizer = new TabularFeaturePlan(data.Layout, "y").Build(ml, normalizer: null).Fit(data);
        var features = featurizer.Transform(data).GetColumn<float[]>("Features").ToList();
        // The missing date takes each part's mean over the other three rows.
        AssertClose(new[] { 2024.0, 7.0 / 3, 19.0 / 3, (5 + 2 + 1) / 3.0 }, features[2].Take(4));
        ml.Model.SavePipeline(featurizer, data.Schema, _folder.File("f.zip"));
        var loaded = ml.Model.LoadPipeline(_folder.File("f.zip"), out _);
        Assert.Equal(features, loaded.Transform(data).GetColumn<float[]>("Features").ToList());
        var engine = ml.Model.CreatePredictionEngine<DatedRow, FeaturesRow>(loaded);
        Assert.Equal(features[1], engine.Predict(new DatedRow { When = "2024-02-06 10:00", Size = 2, Y = "b" }).Features);
    }

    [Fact]
    public void DateTime_values_of_an_IDataView_are_planned_as_dates()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(new[] { new TypedRow { When = new DateTime(2024, 3, 15, 13, 45, 0), Y = "a" }, new TypedRow { When = new DateTime(2023, 1, 1), Y = "b" } });
        var plan = new SchemaFeaturePlan(data, "Y");
        Assert.Equal(ColumnPurpose.DateTime, plan.Columns.Single(c => c.Name == "When").Purpose);
        var features = plan.Build(ml, normalizer: null).Fit(data).Transform(data).GetColumn<float[]>("Features").First();
        Assert.Equal(new[] { 2024f, 3, 15, 5, 75, 13, 45, 0 }, features.Take(8));
    }

    [Fact]
    public void Automl_learns_a_label_that_depends_on_the_weekday_from_a_date_column_with_cross_validation()
    {
        var train = WeekendTable("train.csv", new DateTime(2023, 1, 1), 240);
        var test = WeekendTable("test.csv", new DateTime(2024, 1, 1), 120);
        var run = CliRunner.InProcess("automl", "--dataset", train, "--label-col", "busy", "--test-dataset", test, "--trainers", "lightgbm,forest",
            "--max-trials", "3", "--isolation", "thread", "--explain", "false", "--ensemble", "false", "-o", _folder.File("out"), "--json");
        Assert.True(run.ExitCode == 0, run.Error);
        var result = JsonNode.Parse(run.Out)!;
        Assert.Equal(5, (int)result["folds"]!);
        Measured.AtLeast((double)result["test"]!["metrics"]!["accuracy"]!, 0.99, 1.0, "held-out accuracy of a weekend label from its date");
    }

    private string WeekendTable(string name, DateTime first, int days) => _folder.Write(name, WeekendTables.Days("yyyy-MM-dd", first, days));

    private static void AssertClose(IEnumerable<double> expected, IEnumerable<float> actual)
    {
        foreach (var (e, a) in expected.Zip(actual, (e, a) => (e, a)))
            Assert.Equal(e, a, 5);
    }

    private static string[] SlotNames(DataViewSchema.Column column)
    {
        VBuffer<ReadOnlyMemory<char>> names = default;
        column.GetSlotNames(ref names);
        return names.DenseValues().Select(n => n.ToString()).ToArray();
    }

    private sealed class DatedRow
    {
        [ColumnName("when")]
        public string When { get; set; } = "";

        [ColumnName("size")]
        public float Size { get; set; }

        [ColumnName("y")]
        public string Y { get; set; } = "";
    }

    private sealed class FeaturesRow
    {
        public float[] Features { get; set; } = Array.Empty<float>();
    }

    private sealed class TypedRow
    {
        public DateTime When { get; set; }

        public string Y { get; set; } = "";
    }
}
