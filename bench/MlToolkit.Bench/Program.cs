using System.Globalization;
using MlToolkit.Bench;

// Benchmarks that are too slow or too noisy for unit tests. Usage:
//   dotnet run -c Release --project bench/MlToolkit.Bench -- cnn-throughput [--rows 10000] [--threads 2]
//   dotnet run -c Release --project bench/MlToolkit.Bench -- cnn-memory [--rows 10000]   (one process per size)
//   dotnet run -c Release --project bench/MlToolkit.Bench -- mnist [--epochs 3]
//   dotnet run -c Release --project bench/MlToolkit.Bench -- imdb --model lstm|transformer|tfidf [--epochs 3] [--max-length 256] [--sample]
//       transformer shape: [--dim 128] [--heads 4] [--layers 2] [--ffn 256] [--lr 5e-4] [--batch 32] [--dropout 0.1] [--vocabulary 20000]
//   dotnet run -c Release --project bench/MlToolkit.Bench -- tokenize-memory [--rows 4000]   (0 = the whole IMDB training file)
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
var options = BenchOptions.Parse(args.Skip(1).ToArray());
return args.FirstOrDefault() switch
{
    "cnn-throughput" => CnnThroughput.Run(options),
    "cnn-memory" => CnnMemory.Run(options),
    "mnist" => MnistCnn.Run(options),
    "tokenize-memory" => TokenizeMemory.Run(options),
    "imdb" => ImdbSequence.Run(options, args.SkipWhile(a => a != "--model").Skip(1).FirstOrDefault() ?? "lstm",
        int.Parse(args.SkipWhile(a => a != "--max-length").Skip(1).FirstOrDefault() ?? "256"), args),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: MlToolkit.Bench cnn-throughput|cnn-memory|mnist|tokenize-memory|imdb [--rows N] [--threads N] [--epochs N] [--mnist DIR]");
    return 2;
}
