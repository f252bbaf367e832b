using System.Diagnostics;
using Microsoft.ML;
using MlToolkit.Data.Images;
using MlToolkit.Trainers.Torch.Runtime;
using MlToolkit.Trainers.Torch;
using MlToolkit.Trainers.Torch.Cnn;

namespace MlToolkit.Bench;

/// <summary>
/// Peak resident memory of one CNN training epoch streamed from IDX files, for one dataset size per process
/// (VmHWM from /proc/self/status), so that sizes can be compared side by side.
/// </summary>
internal static class CnnMemory
{
    public static int Run(BenchOptions options)
    {
        TorchRuntime.EnsureLoaded();
        var ml = new MLContext(seed: 1);
        var train = IdxDataView.Load(options.TrainImages, options.TrainLabels, limit: options.Rows);
        var prepared = ml.Transforms.CopyColumns("Features", "Image").Append(ml.Transforms.Conversion.MapValueToKey("Label")).Fit(train).Transform(train);
        var clock = Stopwatch.StartNew();
        ml.MulticlassClassification.Trainers.Cnn(new CnnTrainer.Options { Epochs = 1, BatchSize = options.BatchSize, Threads = options.Threads }).Fit(prepared);
        Console.WriteLine($"rows {options.Rows}: peak RSS {PeakResidentMegabytes():0} MB, epoch {clock.Elapsed.TotalSeconds:0.0} s");
        return 0;
    }

    private static double PeakResidentMegabytes()
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmHWM:"));
        return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024;
    }
}
