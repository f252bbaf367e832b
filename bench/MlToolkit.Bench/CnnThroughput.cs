using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlToolkit.Data.Images;
using MlToolkit.Trainers.Torch.Runtime;
using MlToolkit.Trainers.Torch;
using MlToolkit.Trainers.Torch.Architectures;
using MlToolkit.Trainers.Torch.Cnn;
using TorchSharp;
using static TorchSharp.torch;

namespace MlToolkit.Bench;

/// <summary>
/// CNN training and inference throughput: the CnnTrainer fed from a streaming IDataView (IDX files read and
/// shuffled every epoch) against a raw TorchSharp loop over tensors built up front, with the same architecture,
/// batch size, optimizer and threads, measured one after the other in one process.
/// </summary>
internal static class CnnThroughput
{
    public static int Run(BenchOptions options)
    {
        TorchRuntime.EnsureLoaded();
        torch.set_num_threads(options.Threads);
        var ml = new MLContext(seed: 1);
        var train = IdxDataView.Load(options.TrainImages, options.TrainLabels, limit: options.Rows);
        var test = IdxDataView.Load(options.TestImages, options.TestLabels);
        var prepared = ml.Transforms.CopyColumns("Features", "Image").Append(ml.Transforms.Conversion.MapValueToKey("Label")).Fit(train);
        var architecture = new CnnArchitecture(new[] { new ConvBlock(32), new ConvBlock(64) }, new[] { 128 }, 0.25);

        // Warm up both paths (JIT, libtorch allocator) on a small slice.
        RawTrain(architecture, LoadTensors(IdxDataView.Load(options.TrainImages, options.TrainLabels, limit: 512)), options.BatchSize, 1);
        TrainerFit(ml, prepared, IdxDataView.Load(options.TrainImages, options.TrainLabels, limit: 512), options, 1);

        var tensors = LoadTensors(train);
        var rawClock = Stopwatch.StartNew();
        var rawModule = RawTrain(architecture, tensors, options.BatchSize, 1);
        var rawTrain = options.Rows / rawClock.Elapsed.TotalSeconds;

        var clock = Stopwatch.StartNew();
        var model = TrainerFit(ml, prepared, train, options, 1);
        var trainerTrain = options.Rows / clock.Elapsed.TotalSeconds;

        var testTensors = LoadTensors(test);
        var rawInference = RawInference(rawModule, testTensors.Images, 256);
        var scored = prepared.Append(model).Transform(test);
        clock.Restart();
        var rows = 0L;
        using (var cursor = scored.GetRowCursor(new[] { scored.Schema["PredictedLabel"] }))
        {
            var getter = cursor.GetGetter<uint>(scored.Schema["PredictedLabel"]);
            uint value = 0;
            while (cursor.MoveNext())
            {
                getter(ref value);
                rows++;
            }
        }
        var trainerInference = rows / clock.Elapsed.TotalSeconds;

        Console.WriteLine($"rows {options.Rows}, batch {options.BatchSize}, threads {options.Threads}, 1 epoch");
        Console.WriteLine($"training   samples/s: trainer from IDataView {trainerTrain,8:0}  raw TorchSharp loop {rawTrain,8:0}  ratio {trainerTrain / rawTrain:0.00}");
        Console.WriteLine($"inference  rows/s:    Transform (batched)     {trainerInference,8:0}  raw forward loop   {rawInference,8:0}  ratio {trainerInference / rawInference:0.00}");
        return 0;
    }

    private static MlToolkit.Trainers.Torch.Scoring.TorchPredictionTransformer TrainerFit(MLContext ml, ITransformer prepared, IDataView data, BenchOptions options, int epochs) =>
        ml.MulticlassClassification.Trainers.Cnn(new CnnTrainer.Options { Epochs = epochs, BatchSize = options.BatchSize, Threads = options.Threads })
            .Fit(prepared.Transform(data));

    private static (Tensor Images, Tensor Labels) LoadTensors(IdxDataView data)
    {
        var images = data.GetColumn<float[]>("Image").SelectMany(v => v).ToArray();
        var labels = data.GetColumn<float>("Label").Select(v => (long)v).ToArray();
        return (torch.tensor(images, new long[] { labels.Length, 1, data.Height, data.Width }), torch.tensor(labels));
    }

    private static nn.Module<Tensor, Tensor> RawTrain(CnnArchitecture architecture, (Tensor Images, Tensor Labels) data, int batchSize, int epochs)
    {
        torch.manual_seed(1);
        var module = architecture.Build(new long[] { 1, 28, 28 }, 10);
        module.train();
        using var optimizer = optim.Adam(module.parameters(), 1e-3);
        var count = data.Labels.shape[0];
        for (var epoch = 0; epoch < epochs; epoch++)
        {
            using var order = torch.randperm(count);
            for (long start = 0; start < count; start += batchSize)
            {
                using var scope = torch.NewDisposeScope();
                var index = order.narrow(0, start, Math.Min(batchSize, count - start));
                var x = data.Images.index_select(0, index);
                var y = data.Labels.index_select(0, index);
                optimizer.zero_grad();
                var loss = nn.functional.cross_entropy(module.forward(x), y);
                loss.backward();
                optimizer.step();
            }
        }
        module.eval();
        return module;
    }

    private static double RawInference(nn.Module<Tensor, Tensor> module, Tensor images, int batchSize)
    {
        var count = images.shape[0];
        var clock = Stopwatch.StartNew();
        using (torch.no_grad())
        {
            for (long start = 0; start < count; start += batchSize)
            {
                using var scope = torch.NewDisposeScope();
                var output = nn.functional.softmax(module.forward(images.narrow(0, start, Math.Min(batchSize, count - start))), 1);
                output.data<float>().ToArray();
            }
        }
        return count / clock.Elapsed.TotalSeconds;
    }
}
