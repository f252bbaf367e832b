using System.Globalization;
using MlToolkit.Bench;

// Benchmarks that are too slow or too noisy for unit tests. Usage:
//   dotnet run -c Release --project bench/MlToolkit.Bench -- cnn-throughput [--rows 10000] [--threads 2]
//   dotnet run -c Release --project bench/MlToolkit.Bench -- cnn-memory [--rows 10000]   (one process per size)
//   dotnet run -c Release --project bench/MlToolkit.Bench -- mnist [--epochs 3]
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
var options = BenchOptions.Parse(args.Skip(1).ToArray());
return args.FirstOrDefault() switch
{
    "cnn-throughput" => CnnThroughput.Run(options),
    "cnn-memory" => CnnMemory.Run(options),
    "mnist" => MnistCnn.Run(options),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: MlToolkit.Bench cnn-throughput|cnn-memory|mnist [--rows N] [--threads N] [--epochs N] [--mnist DIR]");
    return 2;
}
