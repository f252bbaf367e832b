using System.Diagnostics;
using System.Text.Json;
using Microsoft.ML;
using MlToolkit.Data.Samples;
using MlToolkit.Data.Splits;
using MlToolkit.Experiments.AutoMl;
using MlToolkit.Trainers.Torch.Runtime;
using MlToolkit.Experiments.Training;

namespace MlToolkit.Bench;

/// <summary>
/// `mltoolkit automl` on a built-in sample with a time budget (5-fold CV, default trainers, CFO). With --export DIR it
/// also writes the sample as CSV and the exact folds the experiment used, for bench/optuna_xgboost.py.
/// </summary>
internal static class AutoMlReal
{
    public static int Run(string sample, double trainTime, string? exportFolder)
    {
        TorchRuntime.EnsureLoaded();
        var info = SampleDatasets.Get(sample);
        var ml = new MLContext(1);
        var data = info.Load(ml);
        if (exportFolder is not null)
            Export(ml, info, data, exportFolder);
        var clock = Stopwatch.StartNew();
        var result = ml.AutoMl().CreateExperiment(data, info.LabelColumn).SetTrainingTime(TimeSpan.FromSeconds(trainTime)).SetCrossValidation(5).SetSeed(1).Run();
        if (result.BestTrial is not { } best)
        {
            Console.WriteLine($"automl {sample}: no trial completed in {trainTime:0} s ({result.Trials.Count} started).");
            return 1;
        }
        var trainer = best.Configuration.GetString("trainer");
        Console.WriteLine($"automl {sample}: {trainTime:0} s budget, ended after {clock.Elapsed.TotalSeconds:0.0} s (refit {result.RefitDuration.TotalSeconds:0.0} s); " +
            $"{result.Trials.Count} trials; best 5-fold CV {result.Metric.Name} {best.Value:0.0000} ± {best.ValueStd:0.0000} ({trainer}: {best.Configuration.Scope(trainer)})");
        return 0;
    }

    // The folds exactly as the experiment draws them: label-encoded, cached, stratified on the encoded label, seed 1.
    private static void Export(MLContext ml, SampleDataset info, IDataView data, string folder)
    {
        Directory.CreateDirectory(folder);
        using (var reader = info.OpenSource().OpenReader())
            File.WriteAllText(Path.Combine(folder, info.Name + ".csv"), reader.ReadToEnd());
        var label = LabelSetup.Resolve(data, info.LabelColumn, null, null);
        var encoded = ml.Data.Cache(label.Encoder(ml).Fit(data).Transform(data));
        var folds = DataSplits.KFold(encoded, 5, 1, "Label").Select(f => ((RowSelectionView)f.Test).SelectedRows().ToArray()).ToArray();
        File.WriteAllText(Path.Combine(folder, info.Name + ".folds.json"), JsonSerializer.Serialize(new { label = info.LabelColumn, test_rows = folds }));
    }
}
