using System.Text.Json.Nodes;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlToolkit.Data.Delimited;
using MlToolkit.Data.Samples;

namespace MlToolkit.Tests.Support;

/// <summary>The iris sample written as a report exports it (a title above, a footer below): checks that it reads and trains as the sample.</summary>
public static class IrisExport
{
    /// <summary>The iris sample's text.</summary>
    public static string Text() => SampleText.Read(SampleDatasets.IrisInfo.Name);

    /// <summary>The built-in iris sample, loaded.</summary>
    public static DelimitedDataView Sample() => DelimitedFile.Load(SampleDatasets.IrisInfo.OpenSource());

    /// <summary>Asserts that <paramref name="actual"/> holds the sample's columns (names, kinds, purposes) and every one of its values.</summary>
    public static void AssertReadsAsSample(DelimitedDataView actual)
    {
        var expected = Sample();
        Assert.Equal(expected.Layout.Columns.Select(c => (c.Name, c.Kind, c.Purpose)), actual.Layout.Columns.Select(c => (c.Name, c.Kind, c.Purpose)));
        foreach (var column in expected.Layout.Columns.Where(c => c.Kind == ColumnKind.Numeric))
            Assert.Equal(expected.GetColumn<float>(column.Name), actual.GetColumn<float>(column.Name));
        Assert.Equal(TextColumn.Of(expected, "species"), TextColumn.Of(actual, "species"));
    }

    /// <summary>
    /// Asserts that <c>train</c> on <paramref name="path"/> says <paramref name="warning"/> and reaches the sample's
    /// held-out accuracy (same rows in the same order give the same split), and that <c>predict</c> scores its 150 rows.
    /// </summary>
    public static void AssertTrainsAndPredictsAsSample(TempFolder folder, string path, string warning)
    {
        var model = folder.File("export.zip");
        var trained = CliRunner.InProcess("train", "--dataset", path, "--label-col", "species", "--trainer", "lbfgs", "-o", model, "--json");
        Assert.True(trained.ExitCode == 0, trained.Error);
        Assert.Contains(warning, trained.Error);
        var sample = CliRunner.InProcess("train", "--sample", "iris", "--trainer", "lbfgs", "-o", folder.File("sample.zip"), "--json");
        Assert.Equal((double)JsonNode.Parse(sample.Out)!["test"]!["metrics"]!["accuracy"]!, (double)JsonNode.Parse(trained.Out)!["test"]!["metrics"]!["accuracy"]!);
        var predicted = CliRunner.InProcess("predict", "--model", model, "--dataset", path, "-o", folder.File("export-predictions.csv"));
        Assert.True(predicted.ExitCode == 0, predicted.Error);
        Assert.Equal(151, File.ReadAllLines(folder.File("export-predictions.csv")).Length);
    }
}
