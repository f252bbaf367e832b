using System.Diagnostics;
using Microsoft.ML;
using MlToolkit.Data.Delimited;
using MlToolkit.Trainers.Torch.Runtime;
using TorchSharp;

namespace MlToolkit.Bench;

/// <summary>
/// What a service that scores one request at a time pays: microseconds per row through ML.NET's
/// <c>PredictionEngine</c>, for each built-in tabular trainer at its defaults and an equal-weight ensemble of them, on
/// shuttle (nine numeric columns V1–V9, seven classes; the file of ../shared/datasets/benchmark).
/// </summary>
internal static class PredictionLatency
{
    public static int Run(string dataset, IReadOnlyList<string> trainers, int rows, int threads)
    {
        TorchRuntime.EnsureLoaded();
        torch.set_num_threads(threads);
        var ml = new MLContext(1);
        var file = DelimitedFile.Load(dataset);
        var models = DefaultModels.Train(ml, file, "Class", trainers, threads);
        var requests = ml.Data.CreateEnumerable<ShuttleRow>(file, reuseRowObject: false).Take(rows).ToList();
        Console.WriteLine($"{Path.GetFileName(dataset)}: {requests.Count:N0} rows scored one at a time, {threads} thread(s)");
        Console.WriteLine("| model | median µs per row | 99th percentile µs | rows/s |");
        Console.WriteLine("|---|---|---|---|");
        foreach (var (name, model) in models)
        {
            var engine = ml.Model.CreatePredictionEngine<ShuttleRow, ShuttlePrediction>(model);
            foreach (var request in requests.Take(100))
                engine.Predict(request);
            var micros = new double[requests.Count];
            var total = Stopwatch.StartNew();
            for (var i = 0; i < requests.Count; i++)
            {
                var clock = Stopwatch.StartNew();
                engine.Predict(requests[i]);
                micros[i] = clock.Elapsed.TotalMicroseconds;
            }
            var seconds = total.Elapsed.TotalSeconds;
            Array.Sort(micros);
            Console.WriteLine($"| {name} | {micros[micros.Length / 2]:N0} | {micros[micros.Length * 99 / 100]:N0} | {requests.Count / seconds:N0} |");
        }
        return 0;
    }

    private sealed class ShuttleRow
    {
        public float V1 { get; set; }
        public float V2 { get; set; }
        public float V3 { get; set; }
        public float V4 { get; set; }
        public float V5 { get; set; }
        public float V6 { get; set; }
        public float V7 { get; set; }
        public float V8 { get; set; }
        public float V9 { get; set; }
        public string Class { get; set; } = "";
    }

    private sealed class ShuttlePrediction
    {
        public string PredictedLabel { get; set; } = "";
        public float[] Score { get; set; } = Array.Empty<float>();
    }
}
