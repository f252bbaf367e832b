using System.Collections;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlToolkit.Data.Samples;
using MlToolkit.Data.Splits;
using MlToolkit.Experiments.AutoMl;
using MlToolkit.Experiments.Running;
using MlToolkit.Experiments.Tuning;
using MlToolkit.Tests.Trainers.Torch;

namespace MlToolkit.Tests.Experiments;

/// <summary>
/// AutoML on a table of nine rows, as a user trying it on a toy file would: 5-fold cross-validation leaves validation
/// folds of one or two rows (one of them holding only benign rows) and training parts of seven or eight.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class TinyTableTests
{
    [Fact]
    public void Every_default_trainer_completes_or_says_why_not_on_nine_rows()
    {
        var ml = new MLContext(1);
        var data = SampleDatasets.BreastCancer(ml);
        var diagnosis = data.GetColumn<string>("diagnosis").ToArray();
        var keep = new BitArray(diagnosis.Length);
        foreach (var row in Enumerable.Range(0, diagnosis.Length).Where(r => diagnosis[r] == "benign").Take(5)
                     .Concat(Enumerable.Range(0, diagnosis.Length).Where(r => diagnosis[r] == "malignant").Take(4)))
            keep[row] = true;

        var result = ml.AutoMl().CreateExperiment(new RowSelectionView(data, keep), "diagnosis")
            .SetTrainingTime(null).SetMaxTrials(16).Run();

        var failed = result.Trials.Where(t => t.State != TrialState.Complete).ToList();
        // LightGBM's leaves are held to half the rows (4 of 7–8) so that it can split at all; here no such split helps, and
        // its two strong starts fail with that said, not with ML.NET's "Value cannot be null. (Parameter 'items')".
        Assert.Equal(new[] { "lightgbm", "lightgbm" }, failed.Select(t => t.Configuration.GetString("trainer")));
        Assert.All(failed, t => Assert.StartsWith("UnusableModelException: LightGBM grew no split: each leaf must hold at least 4 rows", t.Error));
        Assert.Contains(result.Trials, t => t.State == TrialState.Complete && t.Configuration.GetString("trainer") == "mlp");
        Assert.Contains(result.Trials, t => t.State == TrialState.Complete && t.Configuration.GetString("trainer") == "lbfgs");
        Assert.Equal(1.0, result.BestTrial!.Value);
        Assert.True(double.IsNaN(result.BestTrial.Metrics["auc"]), "the one-class fold has no AUC, so neither has the mean");
        Assert.NotNull(result.BestModel);
    }
}
