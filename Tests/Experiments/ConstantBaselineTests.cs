using Microsoft.ML;
using Microsoft.ML.Data;
using MlToolkit.Data;
using MlToolkit.Data.Delimited;
using MlToolkit.Data.Samples;
using MlToolkit.Data.Splits;
using MlToolkit.Experiments.AutoMl;
using MlToolkit.Experiments.Ensembles;
using MlToolkit.Experiments.Reporting;
using MlToolkit.Models;
using MlToolkit.Models.Onnx;
using MlToolkit.Pipelines.Labels;
using MlToolkit.Tests.Support;

namespace MlToolkit.Tests.Experiments;

/// <summary>The constant predictor AutoML measures its best trial against, and saves when no trial beats it.</summary>
public sealed class ConstantBaselineTests
{
    [Fact]
    public void The_constant_predicts_each_folds_training_frequencies_or_mean_for_its_validation_rows()
    {
        var ml = new MLContext(1);
        // Breast cancer: 357 benign, 212 malignant (the positive class).
        var diagnosis = SampleDatasets.BreastCancer(ml).GetColumn<string>("diagnosis").Select(d => new BinaryRow { Label = d == "malignant" }).ToList();
        var binaryFolds = DataSplits.KFold(ml.Data.LoadFromEnumerable(diagnosis), 3, 1, "Label");
        var binary = ConstantBaseline.Predictions(PredictionTask.BinaryClassification, binaryFolds, 1);
        Assert.Equal(569, binary.Length);
        var offset = 0;
        foreach (var fold in binaryFolds)
        {
            var training = fold.Train.GetColumn<bool>("Label").ToArray();
            var rows = fold.Test.GetColumn<bool>("Label").Count();
            Assert.All(binary.Skip(offset).Take(rows), p => Assert.Equal(training.Count(l => l) / (double)training.Length, p, 12));
            offset += rows;
        }
        var labels = FoldLabels.Validation(PredictionTask.BinaryClassification, binaryFolds);
        Assert.Equal(-357.0 / 569, new OutOfFoldMetric(PredictionTask.BinaryClassification, "accuracy", labels).Loss(binary, 1), 12);

        // Wine: 59, 71 and 48 rows of its three cultivars; the constant is right on the 71.
        var wine = SampleDatasets.Wine(ml);
        var classes = LabelEncoding.Classes(wine, "cultivar");
        var keyed = LabelEncoding.Build(ml, PredictionTask.MulticlassClassification, "cultivar", wine.Schema["cultivar"].Type, classes).Fit(wine).Transform(wine);
        var multiclassFolds = DataSplits.KFold(keyed, 3, 1, "Label");
        var multiclass = ConstantBaseline.Predictions(PredictionTask.MulticlassClassification, multiclassFolds, 3);
        var first = multiclassFolds[0].Train.GetColumn<uint>("Label").ToArray();
        Assert.Equal(Enumerable.Range(1, 3).Select(k => first.Count(l => l == k) / (double)first.Length), multiclass.Take(3));
        var multiclassLabels = FoldLabels.Validation(PredictionTask.MulticlassClassification, multiclassFolds);
        Assert.Equal(new[] { 0f, 1f, 2f }, multiclassLabels.Distinct().Order());
        Assert.Equal(-71.0 / 178, new OutOfFoldMetric(PredictionTask.MulticlassClassification, "accuracy", multiclassLabels).Loss(multiclass, 3), 12);

        // Diabetes: each fold's training mean.
        var progression = SampleDatasets.Diabetes(ml).GetColumn<float>("progression").Select(p => new ValueRow { Label = p }).ToList();
        var regressionFolds = DataSplits.KFold(ml.Data.LoadFromEnumerable(progression), 3, 1, null);
        var regression = ConstantBaseline.Predictions(PredictionTask.Regression, regressionFolds, 1);
        Assert.Equal(regressionFolds[0].Train.GetColumn<float>("Label").Average(l => (double)l), regression[0], 9);
        Assert.Equal(442, regression.Length);
    }

    [Fact]
    public void A_search_that_beats_no_constant_saves_the_intercept_only_model_which_predicts_the_training_rate_and_round_trips()
    {
        using var folder = new TempFolder();
        var ml = new MLContext(1);
        var data = DelimitedFile.Load(NoSignalData.Write(folder, "noise.csv", new[] { "no", "yes" }, new[] { 0.85, 0.15 }));
        var split = DataSplits.TrainTest(data, 0.25, 1, "outcome");
        var result = ml.AutoMl().CreateExperiment(split.Train, "outcome").SetTrainers("lbfgs", "lightgbm", "fasttree")
            .SetCrossValidation(3).SetTrainingTime(null).SetMaxTrials(6).SetSeed(1).SetTestData(split.Test).Run();

        var trainOutcomes = split.Train.GetColumn<string>("outcome").ToArray();
        var testOutcomes = split.Test.GetColumn<string>("outcome").ToArray();
        var baseline = Assert.IsType<BaselineSummary>(result.Baseline);
        Assert.Equal(("always 'no' (the training rows' class frequencies)", false, true), (baseline.Description, baseline.Beaten, baseline.Saved));
        // Every training row is a validation row once, and "no" is the majority in each fold's training part.
        Assert.Equal(trainOutcomes.Count(o => o == "no") / (double)trainOutcomes.Length, baseline.Value, 12);
        Assert.True(baseline.BestValue <= baseline.Value, $"best trial {baseline.BestValue} against the constant {baseline.Value}");
        Assert.Equal((ConstantBaseline.TrainerName, (EnsembleSummary?)null), (result.BestModel!.Description.Trainer, result.Ensemble));
        Assert.Equal("no trial beat the constant baseline, which is saved instead", result.EnsembleSkipped);

        float[] Probabilities(TrainedModel model) => model.Score(model.LabelEncoder.Transform(split.Test)).GetColumn<float>("Probability").ToArray();
        var rate = trainOutcomes.Count(o => o == "yes") / (double)trainOutcomes.Length;
        Assert.All(Probabilities(result.BestModel), p => Assert.Equal(rate, p, 5));
        Assert.Equal(testOutcomes.Count(o => o == "no") / (double)testOutcomes.Length, result.Test!["accuracy"], 12);
        Assert.Equal(0.5, result.Test["auc"], 12);
        var path = folder.File("prior.zip");
        result.BestModel.Save(ml, path);
        Assert.Equal(Probabilities(result.BestModel), Probabilities(TrainedModel.Load(ml, path)));
        // It exports to ONNX like any model, and ONNX Runtime predicts the same training rate for every row.
        var export = ml.Model.ExportOnnx(result.BestModel, folder.File("prior.onnx"));
        Assert.True(export.WholePipeline, export.NotExportedBecause);
        using (var session = new Microsoft.ML.OnnxRuntime.InferenceSession(export.Path))
        {
            using var scored = session.Run(OnnxInputs.From(session, split.Test, export.Inputs));
            Assert.All(scored.Single(r => r.Name == "Probability").AsTensor<float>().ToArray(), p => Assert.Equal(rate, p, 5));
        }

        var html = File.ReadAllText(ExperimentReport.Write(ReportData.FromResult(result), folder.Path).Html);
        Assert.Contains("<section id=\"baseline\"><h2>Baseline</h2><p>always &#39;no&#39; (the training rows&#39; class frequencies): accuracy ", html);
    }

    [Fact]
    public void A_multiclass_search_that_beats_no_constant_saves_the_class_frequencies()
    {
        using var folder = new TempFolder();
        var ml = new MLContext(1);
        var data = DelimitedFile.Load(NoSignalData.Write(folder, "noise3.csv", new[] { "a", "b", "c" }, new[] { 0.6, 0.3, 0.1 }));
        var result = ml.AutoMl().CreateExperiment(data, "outcome").SetTrainers("lbfgs", "lightgbm")
            .SetCrossValidation(3).SetTrainingTime(null).SetMaxTrials(4).SetSeed(1).Run();

        var baseline = Assert.IsType<BaselineSummary>(result.Baseline);
        Assert.Equal(("always 'a' (the training rows' class frequencies)", false, true), (baseline.Description, baseline.Beaten, baseline.Saved));
        Assert.Equal(ConstantBaseline.TrainerName, result.BestModel!.Description.Trainer);
        var outcomes = data.GetColumn<string>("outcome").ToArray();
        var frequencies = new[] { "a", "b", "c" }.Select(c => outcomes.Count(o => o == c) / (double)outcomes.Length).ToArray();
        var scores = result.BestModel.Score(result.BestModel.LabelEncoder.Transform(data)).GetColumn<VBuffer<float>>("Score").ToArray();
        Assert.All(scores, s => Assert.Equal(frequencies, s.DenseValues().Select(v => (double)v), (x, y) => Math.Abs(x - y) < 1e-4));
    }

    private sealed class BinaryRow
    {
        public bool Label { get; set; }
    }

    private sealed class ValueRow
    {
        public float Label { get; set; }
    }
}
