using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlToolkit.Data.Delimited;
using MlToolkit.Data.Splits;
using MlToolkit.Tests.Support;

namespace MlToolkit.Tests.Experiments;

/// <summary>Rows whose label is missing are left out of training, evaluation and explanations, and counted.</summary>
public sealed class MissingLabelTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>60 labelled rows (36 "no", 24 "yes") and then 10 rows whose label is empty or NA.</summary>
    private string Table()
    {
        var text = new StringBuilder("x,z,y\n");
        for (var i = 0; i < 70; i++)
        {
            var label = i >= 60 ? (i % 2 == 0 ? "" : "NA") : i % 5 < 3 ? "no" : "yes";
            text.Append(CultureInfo.InvariantCulture, $"{(label == "yes" ? 1 : 0) + i % 7 * 0.1:0.0},{i % 3},{label}\n");
        }
        return _folder.Write("t.csv", text.ToString());
    }

    [Fact]
    public void Only_the_rows_with_a_label_are_kept()
    {
        var data = DelimitedFile.Load(Table());
        var (rows, missing) = LabelledRows.Of(data, "y");
        Assert.Equal(10, missing);
        Assert.Equal(new[] { 36, 24 }, new[] { "no", "yes" }.Select(c => rows.GetColumn<ReadOnlyMemory<char>>("y").Count(v => v.ToString() == c)));
        Assert.Equal(60, rows.GetColumn<float>("x").Count());
        Assert.Same(rows, LabelledRows.Of(rows, "y").Rows);
    }

    [Fact]
    public void Automl_judges_its_baseline_on_the_labelled_rows_and_says_how_many_it_left_out()
    {
        var run = CliRunner.InProcess("automl", "--dataset", Table(), "--label-col", "y", "--trainers", "lbfgs", "--max-trials", "1", "--cv", "3",
            "--isolation", "thread", "--explain", "false", "-o", _folder.File("a"), "--json");
        Assert.True(run.ExitCode == 0, run.Error);
        var result = JsonNode.Parse(run.Out)!;
        Assert.Equal(10, (int)result["rowsWithoutLabel"]!);
        // Always "no" on the 60 labelled rows: 36 of 60. With the empty labels read as "no" it was 46 of 70.
        Assert.Equal(0.6, (double)result["baseline"]!["value"]!, 9);
    }

    [Fact]
    public void Train_and_evaluate_leave_out_and_count_the_rows_without_a_label()
    {
        var table = Table();
        var trained = CliRunner.InProcess("train", "--dataset", table, "--label-col", "y", "--trainer", "lbfgs", "-o", _folder.File("m.zip"), "--json");
        Assert.True(trained.ExitCode == 0, trained.Error);
        var result = JsonNode.Parse(trained.Out)!;
        Assert.Equal(10, (int)result["rowsWithoutLabel"]!);
        Assert.Equal(60, (long)result["trainRows"]! + (long)result["test"]!["rows"]!);

        var evaluated = CliRunner.InProcess("evaluate", "-m", _folder.File("m.zip"), "--dataset", table, "--json");
        Assert.True(evaluated.ExitCode == 0, evaluated.Error);
        var report = JsonNode.Parse(evaluated.Out)!;
        Assert.Equal((60L, 10), ((long)report["rows"]!, (int)report["rowsWithoutLabel"]!));
        var text = CliRunner.InProcess("evaluate", "-m", _folder.File("m.zip"), "--dataset", table);
        Assert.Contains("  note: 10 row(s) without a label left out", text.Out);
    }
}
