using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlToolkit.Data;
using MlToolkit.Data.Delimited;
using MlToolkit.Data.IO;
using MlToolkit.Pipelines.Dates;
using MlToolkit.Pipelines.Persistence;
using MlToolkit.Tests.Support;

namespace MlToolkit.Tests.Pipelines;

/// <summary>
/// Dates written month first (03/15/2024) or day first (15/03/2024): a column whose values settle which is meant is
/// read as dates in that order; one whose values all fit both stays text with a warning, until the user says which.
/// </summary>
public sealed class DayAndMonthFirstDateTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("03/15/2024", DateOrder.MonthFirst, "2024-03-15T00:00:00.0000000+00:00")]
    [InlineData("3/5/2024 1:45 PM", DateOrder.MonthFirst, "2024-03-05T13:45:00.0000000+00:00")]
    [InlineData("12-31-2023 23:59:58", DateOrder.MonthFirst, "2023-12-31T23:59:58.0000000+00:00")]
    [InlineData("15/03/2024", DateOrder.DayFirst, "2024-03-15T00:00:00.0000000+00:00")]
    [InlineData("15.03.2024 13:45", DateOrder.DayFirst, "2024-03-15T13:45:00.0000000+00:00")]
    [InlineData("5-3-2024", DateOrder.DayFirst, "2024-03-05T00:00:00.0000000+00:00")]
    [InlineData("03/15/24", DateOrder.MonthFirst, "2024-03-15T00:00:00.0000000+00:00")]
    [InlineData("3/5/45 1:45 PM", DateOrder.MonthFirst, "1945-03-05T13:45:00.0000000+00:00")]
    [InlineData("15/03/29 13:45", DateOrder.DayFirst, "2029-03-15T13:45:00.0000000+00:00")]
    [InlineData("1/1/30", DateOrder.DayFirst, "1930-01-01T00:00:00.0000000+00:00")]
    public void Dates_are_read_in_the_order_given(string text, DateOrder order, string expected)
    {
        Assert.True(DateText.TryParse(text, order, out var value));
        Assert.Equal(expected, value.ToString("o", CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("15/03/2024", DateOrder.MonthFirst)]
    [InlineData("03/15/2024", DateOrder.DayFirst)]
    [InlineData("02/30/2024", DateOrder.MonthFirst)]
    [InlineData("3-15-24", DateOrder.MonthFirst)]
    [InlineData("1.2.10", DateOrder.DayFirst)]
    [InlineData("3/15/124", DateOrder.MonthFirst)]
    [InlineData("3/15/4", DateOrder.MonthFirst)]
    [InlineData("2024-03-15", DateOrder.MonthFirst)]
    [InlineData("3/15", DateOrder.MonthFirst)]
    public void Values_not_in_the_order_or_not_dates_are_not_read(string text, DateOrder order) => Assert.False(DateText.TryParse(text, order, out _));

    private static DelimitedSchema Infer(string text, DelimitedLoadOptions? options = null) =>
        DelimitedSchemaInference.Infer(TextSource.FromStream("t.csv", () => new MemoryStream(Encoding.UTF8.GetBytes(text))), options);

    private static string Days(string format, DateTime first, int days, Func<DateTime, bool>? keep = null) => WeekendTables.Days(format, first, days, keep);

    [Fact]
    public void A_column_whose_values_settle_the_order_is_read_as_dates_in_it()
    {
        var monthFirst = Infer(Days("MM/dd/yyyy", new DateTime(2023, 1, 1), 60)).GetColumn("when");
        Assert.Equal((ColumnPurpose.DateTime, DateOrder.MonthFirst), (monthFirst.Purpose, monthFirst.DateOrder));
        var dayFirst = Infer(Days("d.M.yyyy HH:mm", new DateTime(2023, 1, 1), 60)).GetColumn("when");
        Assert.Equal((ColumnPurpose.DateTime, DateOrder.DayFirst), (dayFirst.Purpose, dayFirst.DateOrder));
        var excelShort = Infer(Days("M/d/yy", new DateTime(2023, 1, 1), 60)).GetColumn("when");
        Assert.Equal((ColumnPurpose.DateTime, DateOrder.MonthFirst), (excelShort.Purpose, excelShort.DateOrder));
        var isoLike = Infer(Days("yyyy-MM-dd", new DateTime(2023, 1, 1), 60)).GetColumn("when");
        Assert.Equal((ColumnPurpose.DateTime, DateOrder.YearFirst), (isoLike.Purpose, isoLike.DateOrder));
    }

    [Fact]
    public void A_column_whose_values_fit_both_orders_stays_text_with_a_warning_until_one_is_given()
    {
        var ambiguous = Days("dd/MM/yyyy", new DateTime(2023, 1, 1), 365, d => d.Day <= 12);
        var layout = Infer(ambiguous);
        Assert.NotEqual(ColumnPurpose.DateTime, layout.GetColumn("when").Purpose);
        Assert.Equal("t.csv: column 'when' holds dates that read both month first and day first (such as '01/01/2023'), so it is read as text; say which with --column-type when=monthfirst or when=dayfirst (DelimitedLoadOptions.DateOrders)",
            Assert.Single(layout.Warnings));

        var given = Infer(ambiguous, new DelimitedLoadOptions { DateOrders = new Dictionary<string, DateOrder> { ["when"] = DateOrder.DayFirst } });
        Assert.Equal((ColumnPurpose.DateTime, DateOrder.DayFirst), (given.GetColumn("when").Purpose, given.GetColumn("when").DateOrder));
        Assert.Empty(given.Warnings);
    }

    [Fact]
    public void The_order_is_saved_with_the_transformer_and_models_saved_without_one_read_year_first()
    {
        var transformer = new DateTimePartsTransformer("parts", "when", DateOrder.DayFirst);
        var (kind, state) = transformer.SaveState();
        Assert.Equal("DayFirst", (string?)state["order"]);
        Assert.Equal(DateOrder.DayFirst, DateTimePartsTransformer.Load(state).Order);
        state.Remove("order");
        Assert.Equal(DateOrder.YearFirst, DateTimePartsTransformer.Load(state).Order);
        state["order"] = "Sideways";
        Assert.Equal("A date-parts transformer's state has an unknown date order 'Sideways'.", Assert.Throws<ModelFormatException>(() => DateTimePartsTransformer.Load(state)).Message);
        Assert.Equal(DateTimePartsTransformer.Kind, kind);
    }

    [Fact]
    public void A_later_value_that_is_no_date_in_that_order_is_an_error_naming_file_line_column_and_value()
    {
        var rows = Days("MM/dd/yyyy", new DateTime(2023, 1, 1), 30);
        var path = _folder.Write("late.csv", rows + "31/12/2023,0.5,no\n");
        var data = DelimitedFile.Load(path, new DelimitedLoadOptions { InferenceRows = 30 });
        var error = Assert.Throws<DataFormatException>(() => data.GetColumn<ReadOnlyMemory<char>>("when").ToList());
        Assert.Contains("line 32", error.Message);
        Assert.Contains("column 'when'", error.Message);
        Assert.Contains("'31/12/2023'", error.Message);
        Assert.Contains("expected a date written month first, such as 03/15/2024, 3/15/24 or 03/15/2024 13:45:30, or a missing value", error.Message);
    }

    [Fact]
    public void Automl_learns_a_weekend_label_from_us_dates_and_from_ambiguous_day_first_dates_once_told()
    {
        JsonNode Search(string train, string test, params string[] more)
        {
            var run = CliRunner.InProcess(new[] { "automl", "--dataset", train, "--label-col", "busy", "--test-dataset", test, "--trainers", "lightgbm,forest",
                "--max-trials", "3", "--isolation", "thread", "--explain", "false", "--ensemble", "false", "-o", _folder.File(Path.GetFileNameWithoutExtension(train)), "--json" }.Concat(more).ToArray());
            Assert.True(run.ExitCode == 0, run.Error);
            return JsonNode.Parse(run.Out)!;
        }
        var us = Search(_folder.Write("us.csv", Days("M/d/yyyy", new DateTime(2023, 1, 1), 240)), _folder.Write("us-test.csv", Days("M/d/yy", new DateTime(2024, 1, 1), 120)));
        Assert.Equal(5, (int)us["folds"]!);
        Measured.AtLeast((double)us["test"]!["metrics"]!["accuracy"]!, 0.99, 1.0, "held-out accuracy of a weekend label from month-first dates (two-digit years in the test file)");

        bool FirstTwelve(DateTime d) => d.Day <= 12;
        var told = Search(_folder.Write("eu.csv", Days("dd/MM/yyyy", new DateTime(2022, 1, 1), 730, FirstTwelve)),
            _folder.Write("eu-test.csv", Days("dd/MM/yyyy", new DateTime(2024, 1, 1), 365, FirstTwelve)), "--column-type", "when=dayfirst");
        Measured.AtLeast((double)told["test"]!["metrics"]!["accuracy"]!, 0.99, 1.0, "held-out accuracy of a weekend label from day-first dates given as such");
    }
}
