using System.Diagnostics;
using Microsoft.ML;
using MlToolkit.Data.Images;
using MlToolkit.Trainers.Torch.Runtime;
using MlToolkit.Trainers.Torch;
using MlToolkit.Trainers.Torch.Cnn;
using MlToolkit.Trainers.Torch.Training;

namespace MlToolkit.Bench;

/// <summary>The CNN trainer on full MNIST (60k train, 10k test), streamed from the IDX files.</summary>
internal static class MnistCnn
{
    public static int Run(BenchOptions options)
    {
        TorchRuntime.EnsureLoaded();
        var ml = new MLContext(seed: 1);
        var train = IdxDataView.Load(options.TrainImages, options.TrainLabels);
        var test = IdxDataView.Load(options.TestImages, options.TestLabels);
        var preparation = ml.Transforms.CopyColumns("Features", "Image").Append(ml.Transforms.Conversion.MapValueToKey("Label")).Fit(train);
        var trainer = ml.MulticlassClassification.Trainers.Cnn(new CnnTrainer.Options
        {
            Epochs = options.Epochs,
            BatchSize = options.BatchSize,
            Threads = options.Threads,
            LearningRateSchedule = LearningRateScheduleKind.OneCycle,
            LearningRate = 3e-3,
            Progress = new Reporter(),
        });
        var clock = Stopwatch.StartNew();
        var model = trainer.Fit(preparation.Transform(train));
        var trainSeconds = clock.Elapsed.TotalSeconds;
        var metrics = ml.MulticlassClassification.Evaluate(model.Transform(preparation.Transform(test)));
        Console.WriteLine($"MNIST CNN: {options.Epochs} epochs in {trainSeconds:0} s ({60000.0 * options.Epochs / trainSeconds:0} samples/s), test accuracy {metrics.MicroAccuracy:0.0000}, log-loss {metrics.LogLoss:0.0000}");
        return metrics.MicroAccuracy >= 0.99 ? 0 : 1;
    }

    private sealed class Reporter : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            if (value.Kind == ProgressKind.Epoch)
                Console.WriteLine($"  epoch {value.Epoch}: loss {value.Loss:0.0000}, {value.SamplesPerSecond:0} samples/s");
        }
    }
}
