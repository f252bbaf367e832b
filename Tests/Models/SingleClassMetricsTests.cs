using System.Collections;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlToolkit.Data;
using MlToolkit.Data.Samples;
using MlToolkit.Data.Splits;
using MlToolkit.Experiments.Training;
using MlToolkit.Models;
using MlToolkit.Models.Evaluation;

namespace MlToolkit.Tests.Models;

/// <summary>Binary metrics of rows that all hold one class, which ML.NET's evaluator refuses (its AUC needs both classes).</summary>
public sealed class SingleClassMetricsTests
{
    private static (MLContext Ml, TrainedModel Model, IDataView Test) TrainedOnBreastCancer()
    {
        var ml = new MLContext(1);
        var split = DataSplits.TrainTest(SampleDatasets.BreastCancer(ml), 0.2, seed: 1, "diagnosis");
        var model = SupervisedTraining.Run(ml, new TrainingRequest { Data = split.Train, LabelColumn = "diagnosis", Trainer = "lbfgs" }).Model;
        return (ml, model, split.Test);
    }

    [Fact]
    public void On_rows_of_both_classes_the_fallback_computes_what_MLNET_computes()
    {
        var (ml, model, test) = TrainedOnBreastCancer();
        var scored = model.Score(model.LabelEncoder.Transform(test));
        var expected = ModelEvaluator.Metrics(ml, PredictionTask.BinaryClassification, scored).ToDictionary(p => p.Key, p => p.Value);
        var computed = SingleClassBinaryMetrics.Compute(scored, calibrated: true);

        Assert.Equal(new[] { "accuracy", "auc", "f1", "precision", "recall", "log_loss" }, computed.Select(p => p.Key));
        // ML.NET sums the log-loss of float probabilities: equal to 8 decimals (0.2868597559 and 0.2868597539 here).
        foreach (var (name, value) in computed.Where(p => p.Key != "auc"))
            Assert.Equal(expected[name], value, 7);
        Assert.True(double.IsNaN(computed.Single(p => p.Key == "auc").Value));
    }

    [Fact]
    public void A_test_file_of_one_class_is_scored_with_an_undefined_auc_instead_of_an_error()
    {
        var (ml, model, test) = TrainedOnBreastCancer();
        var benign = test.GetColumn<string>("diagnosis").Select(d => d == "benign").ToArray();
        var onlyBenign = new RowSelectionView(test, new BitArray(benign));

        var report = ModelEvaluator.Evaluate(ml, model, onlyBenign);

        Assert.Equal(benign.Count(b => b), report.Rows);
        var predicted = model.Score(model.LabelEncoder.Transform(onlyBenign)).GetColumn<bool>("PredictedLabel").ToArray();
        Assert.Equal(predicted.Count(p => !p) / (double)predicted.Length, report["accuracy"], 12);
        Assert.True(double.IsNaN(report["auc"]));
        Assert.Equal(0, report["recall"]);
        Assert.Contains("  auc        undefined", report.ToText());
        Assert.Null(report.ToJson()["metrics"]!["auc"]);
    }
}
