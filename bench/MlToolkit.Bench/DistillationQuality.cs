using Microsoft.ML;
using Microsoft.ML.Data;
using MlToolkit.Data;
using MlToolkit.Data.Samples;
using MlToolkit.Data.Splits;
using MlToolkit.Trainers.Torch.Mlp;

namespace MlToolkit.Bench;

/// <summary>
/// Distillation on digits: a small MLP trained on the training half, from the labels alone or also from a wide MLP
/// teacher's probabilities, same epochs and seeds; held-out accuracy over seeds 1-5. The teacher's probabilities on its own training rows
/// are near one-hot, so the bench also scores each training row with a teacher that did not see it (cross-fitted).
/// </summary>
internal static class DistillationQuality
{
    public static int Run(string[] args)
    {
        string? Value(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        var rows = int.Parse(Value("--rows") ?? "0");
        var units = int.Parse(Value("--units") ?? "16");
        var epochs = int.Parse(Value("--epochs") ?? "200");
        var ml = new MLContext(1);
        var digits = ml.Data.Cache(SampleDatasets.Digits(ml));
        var split = DataSplits.TrainTest(digits, 0.5, 1, "label");
        var pixels = digits.Schema.Select(c => c.Name).Where(n => n != "label").ToArray();
        var featurize = ml.Transforms.Concatenate("Features", pixels).Append(ml.Transforms.NormalizeMinMax("Features"))
            .Append(ml.Transforms.Conversion.MapValueToKey("Label", "label")).Fit(split.Train);
        var trainAll = ml.Data.Cache(featurize.Transform(split.Train));
        var train = rows > 0 ? ml.Data.Cache(ml.Data.TakeRows(trainAll, rows)) : trainAll;
        var test = ml.Data.Cache(featurize.Transform(split.Test));
        ITransformer Teacher(IDataView data) => new MlpTrainer(PredictionTask.MulticlassClassification,
            new MlpTrainer.Options { HiddenLayers = new[] { 256, 128 }, Epochs = 60, Dropout = 0.2 }).Fit(data);
        var teacher = Teacher(trainAll);
        Console.WriteLine($"teacher held-out accuracy {ml.MulticlassClassification.Evaluate(teacher.Transform(test)).MicroAccuracy:0.0000}");
        IDataView WithTeacher(IDataView scored) => ml.Data.Cache(ml.Transforms.CopyColumns("TeacherScore", "Score").Fit(scored).Transform(scored));
        var direct = WithTeacher(teacher.Transform(train));
        var folds = DataSplits.KFold(train, 5, 1, "Label");
        // LoadFromEnumerable reads a [KeyType] uint as 0-based while CreateEnumerable writes ML.NET's 1-based key: shift back.
        var crossFitted = WithTeacher(ml.Data.LoadFromEnumerable(folds.SelectMany(f =>
            ml.Data.CreateEnumerable<Row>(Teacher(f.Train).Transform(f.Test), false)).Select(r => { r.Label--; return r; }).ToList()));
        double Agreement(IDataView scored)
        {
            var rows = ml.Data.CreateEnumerable<Row>(scored, false).ToList();
            return rows.Count(r => Array.IndexOf(r.Score, r.Score.Max()) + 1 == r.Label) / (double)rows.Count;
        }
        Console.WriteLine($"the teacher's argmax agrees with the label on {Agreement(direct):0.0000} of its training rows, cross-fitted on {Agreement(crossFitted):0.0000}");
        Console.WriteLine($"student: {units} units, {epochs} epochs, {(rows > 0 ? rows : "all")} training rows; mean held-out accuracy over seeds 1-5");
        Console.WriteLine("| student | teacher scores | mean held-out accuracy | seeds better than labels alone |");
        Console.WriteLine("|---|---|---|---|");
        double[] Accuracies(IDataView data, string? column, double weight, double temperature) => Enumerable.Range(1, 5).Select(seed =>
        {
            var options = new MlpTrainer.Options { HiddenLayers = new[] { units }, Epochs = epochs, Seed = seed, TeacherScoreColumnName = column, DistillationWeight = weight, DistillationTemperature = temperature };
            return ml.MulticlassClassification.Evaluate(new MlpTrainer(PredictionTask.MulticlassClassification, options).Fit(data).Transform(test)).MicroAccuracy;
        }).ToArray();
        var labels = Accuracies(train, null, 0, 1);
        Console.WriteLine($"| labels alone | - | {labels.Average():0.0000} | - |");
        foreach (var (name, data) in new[] { ("on its training rows", direct), ("cross-fitted", crossFitted) })
            foreach (var (weight, temperature) in new[] { (0.5, 2.0), (0.5, 4.0), (0.9, 4.0), (1.0, 1.0) })
            {
                var distilled = Accuracies(data, "TeacherScore", weight, temperature);
                Console.WriteLine($"| distilled, α {weight}, T {temperature} | {name} | {distilled.Average():0.0000} | {distilled.Zip(labels).Count(p => p.First > p.Second)} of 5 (ties {distilled.Zip(labels).Count(p => p.First == p.Second)}) |");
            }
        return 0;
    }

    private sealed class Row
    {
        [Microsoft.ML.Data.VectorType(64)]
        public float[] Features { get; set; } = Array.Empty<float>();

        [Microsoft.ML.Data.KeyType(10)]
        public uint Label { get; set; }

        [Microsoft.ML.Data.VectorType(10)]
        public float[] Score { get; set; } = Array.Empty<float>();
    }
}
