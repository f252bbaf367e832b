using System.Diagnostics;
using Microsoft.ML;
using MlToolkit.Data;
using MlToolkit.Data.IO;
using MlToolkit.Data.Images;
using MlToolkit.Data.Samples;
using MlToolkit.Experiments.Training;
using MlToolkit.Models;
using MlToolkit.Models.Explanations;

namespace MlToolkit.Bench;

/// <summary>
/// Time per explained row of Kernel SHAP (100 background rows, 2,048 coalitions), LIME (2,000 samples) and integrated
/// gradients (64 steps), and the time of permutation importance (5 shuffles per column), for classic and torch models
/// on breast cancer (30 columns), digits (64), the IMDB sample (text) and MNIST (images).
/// </summary>
internal static class ExplainSpeed
{
    public static int Run(BenchOptions options, int rows)
    {
        var ml = new MLContext(1);
        Console.WriteLine("| data | model | columns | Kernel SHAP s/row | LIME s/row | PFI s (all rows) | IG s/row |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        foreach (var (sample, trainer) in new[] { ("breast-cancer", "lightgbm"), ("breast-cancer", "mlp"), ("digits", "lightgbm"), ("digits", "mlp") })
        {
            var data = SampleDatasets.Get(sample).Load(ml);
            var model = SupervisedTraining.Run(ml, new TrainingRequest { Data = data, LabelColumn = SampleDatasets.Get(sample).LabelColumn, Trainer = trainer }).Model;
            var explained = ColumnTable.Read(data, rows).ToDataView();
            var shap = PerRow(() => ml.Explanations().KernelShap(model, data, explained), rows);
            var lime = PerRow(() => ml.Explanations().Lime(model, data, explained), rows);
            var pfi = PerRow(() => ml.Explanations().PermutationImportance(model, data), 1);
            Console.WriteLine($"| {sample} | {trainer} | {model.InputSchema.Count - 1} | {shap:0.000} | {lime:0.000} | {pfi:0.0} | |");
        }
        var imdb = SampleDatasets.Imdb(ml);
        var gru = SupervisedTraining.Run(ml, new TrainingRequest { Data = imdb, LabelColumn = "Label", Trainer = "gru", Epochs = 2 }).Model;
        var reviews = ColumnTable.Read(imdb, rows).ToDataView();
        Console.WriteLine($"| imdb sample | gru | 1 (text) | | | | {PerRow(() => TorchAttributions.Tokens(gru, reviews), rows):0.000} |");
        var subset = IdxDataView.Load(options.TrainImages, options.TrainLabels, limit: 2000);
        var cnn = SupervisedTraining.Run(ml, new TrainingRequest
        {
            Data = subset, LabelColumn = IdxDataView.LabelColumn, Trainer = "cnn", Epochs = 2,
            Features = new MlToolkit.Pipelines.Featurization.TensorFeaturePlan(IdxDataView.ImageColumn),
        }).Model;
        var images = ColumnTable.Read(subset, rows).ToDataView();
        Console.WriteLine($"| mnist (2,000) | cnn | 1×28×28 | | | | {PerRow(() => TorchAttributions.Inputs(cnn, images), rows):0.000} |");
        return 0;
    }

    private static double PerRow(Action explain, int rows)
    {
        var clock = Stopwatch.StartNew();
        explain();
        return clock.Elapsed.TotalSeconds / rows;
    }
}
