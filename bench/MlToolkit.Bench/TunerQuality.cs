using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using MlToolkit.Data.Samples;
using MlToolkit.Experiments.AutoMl;
using MlToolkit.Experiments.Tuning;
using MlToolkit.Experiments.Tuning.SearchSpaces;
using MlToolkit.Experiments.Tuning.Tuners;

namespace MlToolkit.Bench;

/// <summary>
/// Tuner quality: mean (± std over seeds) of the best loss found after N trials, TPE and CFO against random search,
/// on Branin and Hartmann-6 and on a real sweep (LightGbm on breast cancer, 3-fold CV accuracy).
/// </summary>
internal static class TunerQuality
{
    private static readonly TunerKind[] Kinds = { TunerKind.Random, TunerKind.Tpe, TunerKind.Cfo };

    public static int Run(int seeds, bool includeReal)
    {
        Synthetic("Branin (min 0.397887)", new SearchSpace().Float("x1", -5, 10, defaultValue: -5).Float("x2", 0, 15, defaultValue: 0), Branin, seeds, new[] { 10, 25, 50, 100 });
        var hartmann = new SearchSpace();
        for (var i = 0; i < 6; i++)
            hartmann.Float($"x{i}", 0, 1, defaultValue: 0);
        Synthetic("Hartmann-6 (min -3.32237)", hartmann, Hartmann6, seeds, new[] { 10, 25, 50, 100 });
        if (includeReal)
            Real(seeds, trials: 30);
        return 0;
    }

    private static void Synthetic(string name, SearchSpace space, Func<ParameterSet, double> function, int seeds, int[] checkpoints)
    {
        Console.WriteLine($"{name}: best value after N trials, mean ± std over {seeds} seeds");
        Console.WriteLine($"| tuner | {string.Join(" | ", checkpoints.Select(c => $"N = {c}"))} |");
        Console.WriteLine($"|---|{string.Concat(checkpoints.Select(_ => "---|"))}");
        foreach (var kind in Kinds)
        {
            var bests = new double[seeds, checkpoints.Length];
            for (var seed = 0; seed < seeds; seed++)
            {
                var tuner = Tuners.Create(kind, space, seed);
                var best = double.PositiveInfinity;
                for (var n = 0; n < checkpoints[^1]; n++)
                {
                    var proposal = tuner.Propose(n)!;
                    var value = function(proposal);
                    best = Math.Min(best, value);
                    tuner.Report(new TrialReport(n, proposal, TrialState.Complete, value, TimeSpan.FromSeconds(1)));
                    var at = Array.IndexOf(checkpoints, n + 1);
                    if (at >= 0)
                        bests[seed, at] = best;
                }
            }
            Console.WriteLine($"| {kind} | {string.Join(" | ", Enumerable.Range(0, checkpoints.Length).Select(c => MeanStd(Enumerable.Range(0, seeds).Select(s => bests[s, c]).ToList(), "0.0000")))} |");
        }
        Console.WriteLine();
    }

    private static void Real(int seeds, int trials)
    {
        Console.WriteLine($"LightGbm on breast cancer, 3-fold CV accuracy: best after {trials} trials, mean ± std over {seeds} seeds (folds differ by seed, equal across tuners)");
        Console.WriteLine("| tuner | best accuracy | mean trial seconds |");
        Console.WriteLine("|---|---|---|");
        foreach (var kind in Kinds)
        {
            var bests = new List<double>();
            var seconds = new List<double>();
            for (var seed = 0; seed < seeds; seed++)
            {
                var ml = new MLContext(seed);
                var result = ml.AutoMl().CreateExperiment(SampleDatasets.BreastCancer(ml), "diagnosis")
                    .SetTrainers("lightgbm").SetTuner(kind).SetCrossValidation(3).SetTrainingTime(null).SetMaxTrials(trials).SetSeed(seed)
                    .Run();
                bests.Add(result.BestTrial!.Value!.Value);
                seconds.Add(result.Trials.Average(t => t.Duration.TotalSeconds));
            }
            Console.WriteLine($"| {kind} | {MeanStd(bests, "0.0000")} | {seconds.Average():0.00} |");
        }
        Console.WriteLine();
    }

    private static string MeanStd(IReadOnlyList<double> values, string format)
    {
        var mean = values.Average();
        var std = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / Math.Max(values.Count - 1, 1));
        return $"{mean.ToString(format, CultureInfo.InvariantCulture)} ± {std.ToString(format, CultureInfo.InvariantCulture)}";
    }

    private static double Branin(ParameterSet p)
    {
        double x1 = p.GetDouble("x1"), x2 = p.GetDouble("x2");
        const double b = 5.1 / (4 * Math.PI * Math.PI), c = 5 / Math.PI, t = 1 / (8 * Math.PI);
        return Math.Pow(x2 - b * x1 * x1 + c * x1 - 6, 2) + 10 * (1 - t) * Math.Cos(x1) + 10;
    }

    private static readonly double[] Alpha = { 1.0, 1.2, 3.0, 3.2 };

    private static readonly double[,] A =
    {
        { 10, 3, 17, 3.5, 1.7, 8 }, { 0.05, 10, 17, 0.1, 8, 14 }, { 3, 3.5, 1.7, 10, 17, 8 }, { 17, 8, 0.05, 10, 0.1, 14 },
    };

    private static readonly double[,] P =
    {
        { 0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886 }, { 0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991 },
        { 0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650 }, { 0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381 },
    };

    private static double Hartmann6(ParameterSet p)
    {
        double total = 0;
        for (var i = 0; i < 4; i++)
        {
            double inner = 0;
            for (var j = 0; j < 6; j++)
                inner += A[i, j] * Math.Pow(p.GetDouble($"x{j}") - P[i, j], 2);
            total += Alpha[i] * Math.Exp(-inner);
        }
        return -total;
    }
}
