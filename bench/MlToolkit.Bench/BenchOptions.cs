namespace MlToolkit.Bench;

/// <summary>Command-line settings shared by the benchmarks.</summary>
internal sealed record BenchOptions(int Rows, int Threads, int Epochs, string MnistFolder, int BatchSize)
{
    public string TrainImages => Path.Combine(MnistFolder, "train-images-idx3-ubyte.gz");
    public string TrainLabels => Path.Combine(MnistFolder, "train-labels-idx1-ubyte.gz");
    public string TestImages => Path.Combine(MnistFolder, "t10k-images-idx3-ubyte.gz");
    public string TestLabels => Path.Combine(MnistFolder, "t10k-labels-idx1-ubyte.gz");

    public static BenchOptions Parse(string[] args)
    {
        string? Value(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        var root = AppContext.BaseDirectory;
        while (root is not null && !File.Exists(Path.Combine(root, "MlToolkit.sln")))
            root = Path.GetDirectoryName(root.TrimEnd('/'));
        var defaultMnist = Path.GetFullPath(Path.Combine(root ?? ".", "..", "shared", "datasets", "mnist"));
        return new BenchOptions(
            int.Parse(Value("--rows") ?? "10000"),
            int.Parse(Value("--threads") ?? "2"),
            int.Parse(Value("--epochs") ?? "3"),
            Value("--mnist") ?? defaultMnist,
            int.Parse(Value("--batch") ?? "64"));
    }
}
