using System.Globalization;
using MlToolkit.Tests.Support;
using MlToolkit.Tests.Trainers.Torch;

namespace MlToolkit.Tests.Cli;

/// <summary><c>mltoolkit predict</c> on unlabelled files, for each task.</summary>
[Collection(TorchCollection.Name)]
public sealed class PredictCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Multiclass_predictions_name_the_class_and_score_every_class_without_the_label_column()
    {
        var (training, unlabelled, labels) = HeldOut("iris", "species");
        Assert.Equal(0, CliRunner.InProcess("train", "--dataset", training, "--label-col", "species", "--trainer", "lbfgs", "-o", _folder.File("iris.zip")).ExitCode);

        var result = CliRunner.InProcess("predict", "-m", _folder.File("iris.zip"), "--dataset", unlabelled, "-o", _folder.File("preds.csv"));
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal($"Predicted 30 rows of {unlabelled} with lbfgs (MulticlassClassification) -> {_folder.File("preds.csv")}", result.Out.Trim());
        var lines = File.ReadAllLines(_folder.File("preds.csv"));
        Assert.Equal("row,predicted_species,score_setosa,score_versicolor,score_virginica", lines[0]);
        Assert.Equal(31, lines.Length);
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(Enumerable.Range(1, 30).Select(i => i.ToString(CultureInfo.InvariantCulture)), rows.Select(r => r[0]));
        Assert.All(rows, r => Assert.Equal(1.0, r.Skip(2).Sum(v => double.Parse(v, CultureInfo.InvariantCulture)), 3));
        // The predicted class is the one with the highest score.
        string[] classes = { "setosa", "versicolor", "virginica" };
        Assert.All(rows, r => Assert.Equal(classes[r.Skip(2).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToList().IndexOf(r.Skip(2).Max(v => double.Parse(v, CultureInfo.InvariantCulture)))], r[1]));
        var accuracy = rows.Zip(labels).Count(p => p.First[1] == p.Second) / 30.0;
        Measured.AtLeast(accuracy, 0.95, 0.9667, "accuracy of the predictions on 30 held-out rows");
    }

    [Fact]
    public void Binary_predictions_carry_the_positive_class_probability_and_regression_a_number()
    {
        var (cancerTraining, cancer, diagnoses) = HeldOut("breast-cancer", "diagnosis");
        Assert.Equal(0, CliRunner.InProcess("train", "--dataset", cancerTraining, "--label-col", "diagnosis", "-o", _folder.File("bc.zip")).ExitCode);
        Assert.Equal(0, CliRunner.InProcess("predict", "-m", _folder.File("bc.zip"), "--dataset", cancer, "-o", _folder.File("bc.csv")).ExitCode);
        var binary = File.ReadAllLines(_folder.File("bc.csv"));
        Assert.Equal("row,predicted_diagnosis,score,probability_malignant", binary[0]);
        var predictions = binary.Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(diagnoses.Count, predictions.Count);
        // The label follows the probability of the positive class, and it is right on rows the model never saw.
        Assert.All(predictions, p => Assert.Equal(double.Parse(p[3], CultureInfo.InvariantCulture) >= 0.5 ? "malignant" : "benign", p[1]));
        var binaryAccuracy = predictions.Zip(diagnoses).Count(p => p.First[1] == p.Second) / (double)diagnoses.Count;
        Measured.AtLeast(binaryAccuracy, 0.94, 0.9561, "accuracy of the predictions on 114 held-out rows");

        var (diabetesTraining, diabetes, targets) = HeldOut("diabetes", "progression");
        Assert.Equal(0, CliRunner.InProcess("train", "--dataset", diabetesTraining, "--label-col", "progression", "-o", _folder.File("d.zip")).ExitCode);
        Assert.Equal(0, CliRunner.InProcess("predict", "-m", _folder.File("d.zip"), "--dataset", diabetes, "-o", _folder.File("d.csv")).ExitCode);
        var regression = File.ReadAllLines(_folder.File("d.csv"));
        Assert.Equal("row,predicted_progression", regression[0]);
        var predicted = regression.Skip(1).Select(l => double.Parse(l.Split(',')[1], CultureInfo.InvariantCulture)).ToList();
        var actual = targets.Select(t => double.Parse(t, CultureInfo.InvariantCulture)).ToList();
        var correlation = Correlation(predicted, actual);
        Measured.AtLeast(correlation, 0.73, 0.7395, "correlation of predictions and targets on 89 held-out rows");
    }

    [Fact]
    public void A_file_missing_a_feature_column_is_refused_by_name()
    {
        Assert.Equal(0, CliRunner.InProcess("train", "--sample", "iris", "--trainer", "lbfgs", "-o", _folder.File("iris.zip")).ExitCode);
        var (_, noPetal, _) = HeldOut("iris", "petal_length_cm");
        var result = CliRunner.InProcess("predict", "-m", _folder.File("iris.zip"), "--dataset", noPetal);
        Assert.Equal(3, result.ExitCode);
        Assert.StartsWith($"error: Column 'petal_length_cm' the model needs is not in {noPetal}.", result.Error);
    }

    // A built-in sample copied out as CSV: every fifth row is held out and written without one column (what a user's
    // unlabelled file looks like); the other rows, complete, are the training file.
    private (string Training, string HeldOut, List<string> Removed) HeldOut(string sample, string column)
    {
        var lines = SampleText.Read(sample).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
        var header = lines[0].Split(',');
        var index = Array.IndexOf(header, column);
        Assert.True(index >= 0, $"{sample} has no column {column}: {lines[0]}");
        var rows = lines.Skip(1).ToList();
        var heldOut = rows.Where((_, i) => i % 5 == 0).ToList();
        var training = _folder.Write($"{sample}-training.csv", string.Join("\n", rows.Where((_, i) => i % 5 != 0).Prepend(lines[0])) + "\n");
        var kept = heldOut.Prepend(lines[0]).Select(l => string.Join(",", l.Split(',').Where((_, i) => i != index)));
        var path = _folder.Write($"{sample}-without-{column}.csv", string.Join("\n", kept) + "\n");
        return (training, path, heldOut.Select(l => l.Split(',')[index]).ToList());
    }

    private static double Correlation(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        double mx = x.Average(), my = y.Average();
        var cov = x.Zip(y).Sum(p => (p.First - mx) * (p.Second - my));
        return cov / Math.Sqrt(x.Sum(v => (v - mx) * (v - mx)) * y.Sum(v => (v - my) * (v - my)));
    }
}
