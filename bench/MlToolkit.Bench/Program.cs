using System.Globalization;
using MlToolkit.Bench;

// Benchmarks that are too slow or too noisy for unit tests. Usage:
//   dotnet run -c Release --project bench/MlToolkit.Bench -- cnn-throughput [--rows 10000] [--threads 2]
//   dotnet run -c Release --project bench/MlToolkit.Bench -- cnn-memory [--rows 10000]   (one process per size)
//   dotnet run -c Release --project bench/MlToolkit.Bench -- mnist [--epochs 3]
//   dotnet run -c Release --project bench/MlToolkit.Bench -- imdb --model lstm|transformer|tfidf [--epochs 3] [--max-length 256] [--sample]
//       transformer shape: [--dim 128] [--heads 4] [--layers 2] [--ffn 256] [--lr 5e-4] [--batch 32] [--dropout 0.1] [--vocabulary 20000]
//   dotnet run -c Release --project bench/MlToolkit.Bench -- tuners [--seeds 10] [--real]   (tuner quality: TPE and CFO vs random)
//   dotnet run -c Release --project bench/MlToolkit.Bench -- automl --sample digits|breast-cancer [--train-time 60] [--export DIR]
//   dotnet run -c Release --project bench/MlToolkit.Bench -- tokenize-memory [--rows 4000]   (0 = the whole IMDB training file)
//   dotnet run -c Release --project bench/MlToolkit.Bench -- explain [--explain-rows 5]   (seconds per explained row)
//   dotnet run -c Release --project bench/MlToolkit.Bench -- distill [--rows 0] [--units 16] [--epochs 60]   (a small MLP from labels vs from a teacher, 5 seeds)
//   dotnet run -c Release --project bench/MlToolkit.Bench -- compress --model cnn|transformer [--epochs 3]   (int8, magnitude and structured pruning)
//   dotnet run -c Release --project bench/MlToolkit.Bench -- onnx-speed [--rows 10000] [--threads 2]   (ONNX Runtime vs Transform)
//   dotnet run -c Release --project bench/MlToolkit.Bench -- onnx-tabular-speed --dataset FILE --label COLUMN [--trainers lbfgs,lightgbm,forest,knn,kernel] [--threads 2]   (tabular models served from raw columns)
//   dotnet run -c Release --project bench/MlToolkit.Bench -- outer-loop --benchmark DIR [--tasks glass,sonar,...] [--train-time 30] [--cli Cli/bin/Release/net10.0/mltoolkit.dll] [--args "..."]
//       [--replay "NAME=OTHER/mltoolkit.dll[ --flag value...],..."]   (each fold's stored study replayed by other builds, or the same
//       build with other flags after the path: the final model alone differs)
//   dotnet run -c Release --project bench/MlToolkit.Bench -- ensemble-selection [--candidates 30] [--repetitions 5]   (seconds per ensemble selection)
//   dotnet run -c Release --project bench/MlToolkit.Bench -- prediction-latency --dataset DIR/shuttle.csv.gz [--trainers ...] [--rows 2000]   (µs per PredictionEngine call)
//   dotnet run -c Release --project bench/MlToolkit.Bench -- shared-study --storage FILE|postgresql://... [--writers 1,2,4,8] [--trials 200] [--work-ms 20]
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
var options = BenchOptions.Parse(args.Skip(1).ToArray());
return args.FirstOrDefault() switch
{
    "cnn-throughput" => CnnThroughput.Run(options),
    "cnn-memory" => CnnMemory.Run(options),
    "mnist" => MnistCnn.Run(options),
    "tokenize-memory" => TokenizeMemory.Run(options),
    "onnx-speed" => OnnxSpeed.Run(options),
    "onnx-tabular-speed" => OnnxTabularSpeed.Run(Value("--dataset") ?? throw new ArgumentException("--dataset FILE is required."), Value("--label") ?? throw new ArgumentException("--label COLUMN is required."),
        (Value("--trainers") ?? "lbfgs,lightgbm,forest,knn,kernel").Split(','), options.Threads),
    "prediction-latency" => PredictionLatency.Run(Value("--dataset") ?? throw new ArgumentException("--dataset shuttle.csv.gz is required."),
        (Value("--trainers") ?? "lbfgs,lightgbm,forest,knn,kernel,mlp").Split(','), int.Parse(Value("--rows") ?? "2000"), options.Threads),
    "compress" => CompressionQuality.Run(options, args.SkipWhile(a => a != "--model").Skip(1).FirstOrDefault() ?? "cnn"),
    "distill" => DistillationQuality.Run(args),
    "explain" => ExplainSpeed.Run(options, int.Parse(args.SkipWhile(a => a != "--explain-rows").Skip(1).FirstOrDefault() ?? "5")),
    "tuners" => TunerQuality.Run(int.Parse(args.SkipWhile(a => a != "--seeds").Skip(1).FirstOrDefault() ?? "10"), args.Contains("--real")),
    "automl" => AutoMlReal.Run(args.SkipWhile(a => a != "--sample").Skip(1).FirstOrDefault() ?? "digits",
        double.Parse(args.SkipWhile(a => a != "--train-time").Skip(1).FirstOrDefault() ?? "60"), args.SkipWhile(a => a != "--export").Skip(1).FirstOrDefault()),
    "shared-study" => SharedStudyThroughput.Run(Value("--storage") ?? "shared-study.db", (Value("--writers") ?? "1,2,4,8").Split(',').Select(int.Parse).ToArray(),
        int.Parse(Value("--trials") ?? "200"), int.Parse(Value("--work-ms") ?? "20")),
    "shared-study-writer" => SharedStudyThroughput.Writer(Value("--storage")!, Value("--study")!, int.Parse(Value("--trials")!), long.Parse(Value("--work-iterations")!), long.Parse(Value("--start-at") ?? "0")),
    "shared-study-baseline" => SharedStudyThroughput.Baseline(int.Parse(Value("--units")!), long.Parse(Value("--work-iterations")!)),
    "outer-loop" => OuterLoop.Run(Value("--benchmark") ?? "../shared/datasets/benchmark", (Value("--tasks") ?? DefaultTasks(Value("--benchmark") ?? "../shared/datasets/benchmark")).Split(','),
        double.Parse(Value("--train-time") ?? "30", CultureInfo.InvariantCulture), Value("--cli") ?? "Cli/bin/Release/net10.0/mltoolkit.dll", Value("--args"),
        (Value("--replay") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Replay).ToList()),
    "ensemble-selection" => EnsembleSelectionSpeed.Run(int.Parse(Value("--candidates") ?? "30"), int.Parse(Value("--repetitions") ?? "5")),
    "imdb" => ImdbSequence.Run(options, args.SkipWhile(a => a != "--model").Skip(1).FirstOrDefault() ?? "lstm",
        int.Parse(args.SkipWhile(a => a != "--max-length").Skip(1).FirstOrDefault() ?? "256"), args),
    _ => Usage(),
};

string? Value(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();

static (string Name, string Cli, string Arguments) Replay(string entry) => entry.Split('=', 2) is [var name, var cli]
    ? cli.IndexOf(" --", StringComparison.Ordinal) is var flags and >= 0 ? (name, cli[..flags], cli[(flags + 1)..]) : (name, cli, "")
    : throw new ArgumentException($"--replay takes NAME=PATH/mltoolkit.dll[ --flag value...] entries separated by commas, not '{entry}'.");

// Every task of the suite that has its folds, in name order.
static string DefaultTasks(string folder) =>
    string.Join(",", Directory.GetFiles(folder, "*.folds.json").Select(f => Path.GetFileName(f)[..^".folds.json".Length]).Order(StringComparer.Ordinal));

static int Usage()
{
    Console.Error.WriteLine("usage: MlToolkit.Bench cnn-throughput|cnn-memory|mnist|tokenize-memory|imdb [--rows N] [--threads N] [--epochs N] [--mnist DIR]");
    return 2;
}
