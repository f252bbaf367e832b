using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlToolkit.Data.Delimited;
using MlToolkit.Pipelines.Text;

namespace MlToolkit.Bench;

/// <summary>
/// Streams the IMDB training file (or its first rows) through the token-id pipeline: one pass to learn the
/// vocabulary, one pass reading every row's ids. Reports peak resident memory for one size per process.
/// </summary>
internal static class TokenizeMemory
{
    public static int Run(BenchOptions options)
    {
        var ml = new MLContext(seed: 1);
        var path = Path.Combine(Path.GetDirectoryName(options.MnistFolder)!, "imdb", "imdb_train.tsv.gz");
        IDataView data = DelimitedFile.Load(path);
        if (options.Rows > 0)
            data = ml.Data.TakeRows(data, options.Rows);
        var clock = Stopwatch.StartNew();
        var tokenizer = ml.Transforms.Text.TokenizeToIds(new TokenIdEstimator.Options { InputColumnName = "Text", MaxLength = 256 }).Fit(data);
        var tokenized = tokenizer.Transform(data);
        long rows = 0, tokens = 0;
        using (var cursor = tokenized.GetRowCursor(new[] { tokenized.Schema["TokensMask"] }))
        {
            var getter = cursor.GetGetter<VBuffer<float>>(tokenized.Schema["TokensMask"]);
            VBuffer<float> mask = default;
            while (cursor.MoveNext())
            {
                getter(ref mask);
                rows++;
                foreach (var m in mask.DenseValues())
                    tokens += (long)m;
            }
        }
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmHWM:"));
        var peak = double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024;
        Console.WriteLine($"rows {rows}: vocabulary {tokenizer.Vocabulary.Count}, {tokens} tokens kept, {tokenizer.Counters.TruncatedRows} truncated, peak RSS {peak:0} MB, {clock.Elapsed.TotalSeconds:0.0} s");
        return 0;
    }
}
