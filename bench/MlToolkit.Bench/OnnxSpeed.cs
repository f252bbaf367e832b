using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using MlToolkit.Data;
using MlToolkit.Data.Images;
using MlToolkit.Models.Onnx;
using MlToolkit.Trainers.Torch.Architectures;
using MlToolkit.Trainers.Torch.Cnn;
using MlToolkit.Trainers.Torch.Mlp;
using MlToolkit.Trainers.Torch.Runtime;
using TorchSharp;

namespace MlToolkit.Bench;

/// <summary>
/// Inference rows/s of an exported model in ONNX Runtime (batches of 256, 2 intra-op threads) against our batched
/// <c>Transform</c> (batches of 256, 2 torch threads) on the same feature vectors: the MLP and the CNN on the 10,000
/// MNIST test images (trained one epoch on 10,000 training images; speed does not depend on how well).
/// </summary>
internal static class OnnxSpeed
{
    public static int Run(BenchOptions options)
    {
        TorchRuntime.EnsureLoaded();
        torch.set_num_threads(options.Threads);
        var ml = new MLContext(1);
        var train = IdxDataView.Load(options.TrainImages, options.TrainLabels, limit: options.Rows);
        var test = ml.Data.Cache(IdxDataView.Load(options.TestImages, options.TestLabels));
        var prepare = ml.Transforms.CopyColumns("Features", "Image").Append(ml.Transforms.Conversion.MapValueToKey("Label")).Fit(train);
        var featured = ml.Data.Cache(prepare.Transform(test));
        Console.WriteLine("| model | our Transform rows/s | ONNX Runtime rows/s | ratio (ONNX / ours) |");
        Console.WriteLine("|---|---|---|---|");
        foreach (var name in new[] { "mlp", "cnn" })
        {
            IEstimator<MlToolkit.Trainers.Torch.Scoring.TorchPredictionTransformer> trainer = name == "mlp"
                ? new MlpTrainer(PredictionTask.MulticlassClassification, new MlpTrainer.Options { HiddenLayers = new[] { 256, 128 }, Epochs = 1, Threads = options.Threads })
                : new CnnTrainer(PredictionTask.MulticlassClassification, new CnnTrainer.Options { Epochs = 1, Threads = options.Threads });
            var model = trainer.Fit(prepare.Transform(train));
            var path = Path.Combine(Path.GetTempPath(), $"mltoolkit-bench-{name}.onnx");
            TorchOnnxExporter.Export(model, path);
            var ours = Best(() => ScoreAll(model.Transform(featured)));
            var features = featured.GetColumn<VBuffer<float>>("Features").Select(v => v.DenseValues().ToArray()).ToList();
            using var session = new InferenceSession(path, new SessionOptions { IntraOpNumThreads = options.Threads, InterOpNumThreads = 1 });
            var onnx = Best(() => RunOnnx(session, features, 256));
            Console.WriteLine($"| {name} | {ours:N0} | {onnx:N0} | **{onnx / ours:0.00}** |");
        }
        return 0;
    }

    /// <summary>Best of 3 runs, in rows per second.</summary>
    private static double Best(Func<long> run) => Enumerable.Range(0, 3).Select(_ =>
    {
        var clock = Stopwatch.StartNew();
        var rows = run();
        return rows / clock.Elapsed.TotalSeconds;
    }).Max();

    private static long ScoreAll(IDataView scored)
    {
        var column = scored.Schema["Score"];
        using var cursor = scored.GetRowCursor(new[] { column });
        var getter = cursor.GetGetter<VBuffer<float>>(column);
        VBuffer<float> value = default;
        long rows = 0;
        while (cursor.MoveNext())
        {
            getter(ref value);
            rows++;
        }
        return rows;
    }

    private static long RunOnnx(InferenceSession session, List<float[]> features, int batch)
    {
        var width = features[0].Length;
        for (var start = 0; start < features.Count; start += batch)
        {
            var count = Math.Min(batch, features.Count - start);
            var data = new float[count * width];
            for (var i = 0; i < count; i++)
                features[start + i].CopyTo(data, i * width);
            using var results = session.Run(new[] { NamedOnnxValue.CreateFromTensor("Features", new DenseTensor<float>(data, new[] { count, width })) });
            _ = results.First().AsTensor<float>().Length;
        }
        return features.Count;
    }
}
