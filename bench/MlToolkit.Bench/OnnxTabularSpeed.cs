using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using MlToolkit.Data;
using MlToolkit.Data.Delimited;
using MlToolkit.Data.IO;
using MlToolkit.Models;
using MlToolkit.Models.Onnx;
using MlToolkit.Trainers.Torch.Runtime;
using TorchSharp;

namespace MlToolkit.Bench;

/// <summary>
/// Serving a tabular model from its raw columns: rows/s of our <c>Score</c> (read through an ML.NET cursor) against
/// the exported file in ONNX Runtime (batches of 256, string and float tensors per column), for each built-in tabular
/// trainer at its defaults and an equal-weight ensemble of them, on every row of a delimited file.
/// </summary>
internal static class OnnxTabularSpeed
{
    public static int Run(string dataset, string label, IReadOnlyList<string> trainers, int threads)
    {
        TorchRuntime.EnsureLoaded();
        torch.set_num_threads(threads);
        var ml = new MLContext(1);
        var file = DelimitedFile.Load(dataset);
        var data = ml.Data.Cache(file);
        Console.WriteLine($"{Path.GetFileName(dataset)}: {RowCounter.Count(data):N0} rows");
        Console.WriteLine("| model | our Score rows/s | ONNX Runtime rows/s | ratio (ONNX / ours) | max abs gap | rows off by > 1e-4 |");
        Console.WriteLine("|---|---|---|---|---|---|");
        foreach (var (name, model) in DefaultModels.Train(ml, file, label, trainers, threads))
            Measure(name, model, data, threads);
        return 0;
    }

    private static void Measure(string name, TrainedModel model, IDataView data, int threads)
    {
        var path = Path.Combine(Path.GetTempPath(), $"mltoolkit-bench-{name.Replace(' ', '-')}.onnx");
        var export = OnnxExporter.Export(model, path);
        var column = model.Description.Task == PredictionTask.BinaryClassification ? "Probability" : "Score";
        var rows = RowCounter.Count(data);
        var ours = Best(rows, () => Values(model.Score(model.LabelEncoder.Transform(data)), column));
        var columns = export.Inputs.ToDictionary(n => n, n => Column(data, n));
        using var session = new InferenceSession(path, new SessionOptions { IntraOpNumThreads = threads, InterOpNumThreads = 1 });
        var onnx = Best(rows, () => RunOnnx(session, columns, column, 256));
        var gaps = ours.Values.Zip(onnx.Values).Select(p => Math.Abs(p.First - p.Second)).ToArray();
        var width = gaps.Length / rows;
        var differing = Enumerable.Range(0, (int)rows).Count(r => Enumerable.Range(0, (int)width).Any(c => gaps[r * width + c] > 1e-4));
        Console.WriteLine($"| {name} | {ours.RowsPerSecond:N0} | {onnx.RowsPerSecond:N0} | **{onnx.RowsPerSecond / ours.RowsPerSecond:0.00}** | {gaps.Max():0.0e0} | {differing} |");
    }

    /// <summary>Best of 3 runs, in rows per second (a multiclass row gives one value per class), with the values of the last.</summary>
    private static (double RowsPerSecond, float[] Values) Best(long rows, Func<float[]> run)
    {
        var best = 0.0;
        var values = Array.Empty<float>();
        for (var i = 0; i < 3; i++)
        {
            var clock = Stopwatch.StartNew();
            values = run();
            best = Math.Max(best, rows / clock.Elapsed.TotalSeconds);
        }
        return (best, values);
    }

    private static float[] Values(IDataView scored, string name) => scored.Schema[name].Type is VectorDataViewType
        ? scored.GetColumn<VBuffer<float>>(name).SelectMany(v => v.DenseValues()).ToArray()
        : scored.GetColumn<float>(name).ToArray();

    private static Array Column(IDataView data, string name) => data.Schema[name].Type is TextDataViewType
        ? data.GetColumn<string>(name).ToArray()
        : data.GetColumn<float>(name).ToArray();

    private static float[] RunOnnx(InferenceSession session, Dictionary<string, Array> columns, string output, int batch)
    {
        var rows = columns.Values.First().Length;
        var values = new List<float>();
        for (var start = 0; start < rows; start += batch)
        {
            var count = Math.Min(batch, rows - start);
            var inputs = columns.Select(c => c.Value is string[] text
                ? NamedOnnxValue.CreateFromTensor(c.Key, new DenseTensor<string>(text.AsMemory(start, count), new[] { count, 1 }))
                : NamedOnnxValue.CreateFromTensor(c.Key, new DenseTensor<float>(((float[])c.Value).AsMemory(start, count), new[] { count, 1 }))).ToList();
            using var results = session.Run(inputs);
            values.AddRange(results.Single(r => r.Name == output).AsTensor<float>());
        }
        return values.ToArray();
    }
}
