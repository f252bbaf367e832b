using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlToolkit.Data.Images;
using MlToolkit.Data.Samples;
using MlToolkit.Data.Splits;
using MlToolkit.Models.Persistence;
using MlToolkit.Pipelines.Text;
using MlToolkit.Trainers.Torch;
using MlToolkit.Trainers.Torch.Cnn;
using MlToolkit.Trainers.Torch.Compression;
using MlToolkit.Trainers.Torch.Runtime;
using MlToolkit.Trainers.Torch.Scoring;
using MlToolkit.Trainers.Torch.Sequence;
using MlToolkit.Trainers.Torch.Training;

namespace MlToolkit.Bench;

/// <summary>
/// Issue 17's compression targets: the default CNN on full MNIST, or the transformer on the IMDB sample, then int8
/// quantization, 50% magnitude pruning (per layer and global) + 2 fine-tuning epochs and (CNN) 50% structured pruning + 2 epochs: model file
/// size, test accuracy and scoring rows/s of each, side by side in one run.
/// </summary>
internal static class CompressionQuality
{
    public static int Run(BenchOptions options, string model)
    {
        TorchRuntime.EnsureLoaded();
        var ml = new MLContext(seed: 1);
        var (preparation, train, test, trained) = model == "cnn" ? Mnist(ml, options) : ImdbSample(ml, options);
        var folder = Directory.CreateTempSubdirectory("mltoolkit-compress-bench");
        var fineTuning = new FineTuningOptions { Epochs = 2, FeatureColumnName = trained.FeatureColumnName, Threads = options.Threads };
        Console.WriteLine($"| {model} | file bytes | size ratio | test accuracy | Δ accuracy (points) | scoring rows/s |");
        Console.WriteLine("|---|---|---|---|---|---|");
        var baseline = Row(ml, "float32 (as trained)", preparation, trained, test, folder.FullName, null);
        Row(ml, "int8 weights", preparation, Int8Quantization.Quantize(trained), test, folder.FullName, baseline);
        foreach (var scope in new[] { PruningScope.PerLayer, PruningScope.Global })
        {
            var magnitude = MagnitudePruning.Prune(trained, 0.5, train, fineTuning, scope);
            Row(ml, $"50% magnitude pruning ({scope}) + 2 epochs (sparsity {magnitude.Sparsity:0.000})", preparation, magnitude.Model, test, folder.FullName, baseline);
        }
        if (model == "cnn")
        {
            var narrow = StructuredPruning.Prune(trained, 0.5, train, fineTuning);
            Row(ml, $"50% structured pruning + 2 epochs ({narrow.ParametersBefore:N0} → {narrow.ParametersAfter:N0} parameters)", preparation, narrow.Model, test, folder.FullName, baseline);
            Row(ml, "structured pruning, then int8", preparation, Int8Quantization.Quantize(narrow.Model), test, folder.FullName, baseline);
        }
        folder.Delete(recursive: true);
        return 0;
    }

    private static (ITransformer Preparation, IDataView Train, IDataView Test, TorchPredictionTransformer Model) Mnist(MLContext ml, BenchOptions options)
    {
        var train = IdxDataView.Load(options.TrainImages, options.TrainLabels);
        var test = IdxDataView.Load(options.TestImages, options.TestLabels);
        var preparation = ml.Transforms.CopyColumns("Features", "Image").Append(ml.Transforms.Conversion.MapValueToKey("Label")).Fit(train);
        var trainer = ml.MulticlassClassification.Trainers.Cnn(new CnnTrainer.Options
        {
            Epochs = options.Epochs, BatchSize = options.BatchSize, Threads = options.Threads,
            LearningRateSchedule = LearningRateScheduleKind.OneCycle, LearningRate = 3e-3,
        });
        var prepared = preparation.Transform(train);
        return (preparation, prepared, test, Timed("CNN", () => trainer.Fit(prepared)));
    }

    private static (ITransformer Preparation, IDataView Train, IDataView Test, TorchPredictionTransformer Model) ImdbSample(MLContext ml, BenchOptions options)
    {
        var split = DataSplits.TrainTest(ml.Data.Cache(SampleDatasets.Imdb(ml)), 0.2, seed: 1, "Label");
        var preparation = ml.Transforms.Conversion.MapValue("Label", new[] { new KeyValuePair<string, bool>("negative", false), new KeyValuePair<string, bool>("positive", true) }, "Label")
            .Append(ml.Transforms.Text.TokenizeToIds(new TokenIdEstimator.Options { InputColumnName = "Text", OutputColumnName = "Features", MaxLength = 256, MaxVocabularySize = 10000 }))
            .Fit(split.Train);
        var prepared = ml.Data.Cache(preparation.Transform(split.Train));
        var trainer = ml.BinaryClassification.Trainers.TransformerEncoder(new TransformerTrainer.Options { Epochs = options.Epochs, Threads = options.Threads });
        return (preparation, prepared, split.Test, Timed("transformer", () => trainer.Fit(prepared)));
    }

    private static TorchPredictionTransformer Timed(string what, Func<TorchPredictionTransformer> fit)
    {
        var clock = Stopwatch.StartNew();
        var model = fit();
        Console.WriteLine($"{what} trained in {clock.Elapsed.TotalSeconds:0} s");
        return model;
    }

    private static (long Bytes, double Accuracy) Row(MLContext ml, string name, ITransformer preparation, TorchPredictionTransformer model, IDataView test,
        string folder, (long Bytes, double Accuracy)? baseline)
    {
        var pipeline = new TransformerChain<ITransformer>(preparation, model);
        var path = Path.Combine(folder, $"{Guid.NewGuid():N}.zip");
        ml.Model.SavePipeline(pipeline, test.Schema, path);
        var bytes = new FileInfo(path).Length;
        var rows = TestRows(ml, test);
        // The evaluation is the one full scoring pass: its rate is the pipeline's scoring speed (plus the metric's small cost).
        var clock = Stopwatch.StartNew();
        var scored = pipeline.Transform(test);
        var accuracy = model.Network.Head.Task == Data.PredictionTask.BinaryClassification
            ? ml.BinaryClassification.Evaluate(scored).Accuracy
            : ml.MulticlassClassification.Evaluate(scored).MicroAccuracy;
        var rate = rows / clock.Elapsed.TotalSeconds;
        var (ratio, delta) = baseline is { } b ? ($"{(double)b.Bytes / bytes:0.00}×", $"{(accuracy - b.Accuracy) * 100:+0.00;-0.00;0.00}") : ("1.00×", "–");
        Console.WriteLine($"| {name} | {bytes:N0} | {ratio} | {accuracy:0.0000} | {delta} | {rate:N0} |");
        return (bytes, accuracy);
    }

    private static readonly Dictionary<IDataView, long> RowCounts = new();

    /// <summary>The test set's rows, counted once (a streamed IDX or text view has no row count of its own).</summary>
    private static long TestRows(MLContext ml, IDataView test)
    {
        if (!RowCounts.TryGetValue(test, out var rows))
            RowCounts[test] = rows = ml.Data.CreateEnumerable<Nothing>(test, false).LongCount();
        return rows;
    }

    private sealed class Nothing;
}
