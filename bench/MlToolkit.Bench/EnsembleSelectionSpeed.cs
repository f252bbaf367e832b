using System.Diagnostics;
using MlToolkit.Data;
using MlToolkit.Experiments.Ensembles;

namespace MlToolkit.Bench;

/// <summary>
/// Seconds one ensemble selection takes after an AutoML search, as the search's last seconds spend it: the bagged
/// selection (20 bags of 25 rounds over a random half of the candidates) and the single greedy one (25 rounds), on the
/// Brier score that guides accuracy. Out-of-fold probabilities are synthetic (each candidate a noisy copy of one
/// shared set of class probabilities) in the shapes of three benchmark tasks: the work depends only on the shape.
/// </summary>
internal static class EnsembleSelectionSpeed
{
    // The constants of MlToolkit.Experiments.Ensembles.EnsembleBuilder (internal there).
    private const int Rounds = 25;
    private const int Bags = 20;

    private static readonly (string Name, int Rows, int Classes)[] Shapes =
    {
        ("soybean, 2×5-fold (546 rows × 2 repeats, 19 classes)", 1_092, 19),
        ("digits, 5-fold (1,438 rows, 10 classes)", 1_438, 10),
        ("shuttle, holdout (11,600 rows, 7 classes)", 11_600, 7),
    };

    public static int Run(int candidates, int repetitions)
    {
        Console.WriteLine($"| out-of-fold shape | candidates | seconds per selection (mean of {repetitions}) |");
        Console.WriteLine("|---|---|---|");
        foreach (var (name, rows, classes) in Shapes)
        {
            var (labels, pool) = Synthetic(rows, classes, candidates, seed: 1);
            var brier = new OutOfFoldMetric(PredictionTask.MulticlassClassification, OutOfFoldMetric.Brier, labels);
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < repetitions; i++)
            {
                EnsembleSelection.SelectBagged(pool, brier, classes, Rounds, Bags, seed: 1);
                EnsembleSelection.Select(pool, brier, classes, Rounds);
            }
            Console.WriteLine($"| {name} | {candidates} | {clock.Elapsed.TotalSeconds / repetitions:0.000} |");
        }
        return 0;
    }

    private static (float[] Labels, List<EnsembleCandidate> Pool) Synthetic(int rows, int classes, int candidates, int seed)
    {
        var random = new Random(seed);
        var truth = new double[rows * classes];
        var labels = new float[rows];
        for (var r = 0; r < rows; r++)
        {
            labels[r] = random.Next(classes);
            for (var c = 0; c < classes; c++)
                truth[r * classes + c] = (c == labels[r] ? 3 : 0) + random.NextDouble();
        }
        var pool = Enumerable.Range(0, candidates).Select(n =>
        {
            var values = new float[truth.Length];
            for (var r = 0; r < rows; r++)
            {
                var sum = 0.0;
                for (var c = 0; c < classes; c++)
                    sum += values[r * classes + c] = (float)Math.Exp(truth[r * classes + c] + 2 * random.NextDouble());
                for (var c = 0; c < classes; c++)
                    values[r * classes + c] /= (float)sum;
            }
            return new EnsembleCandidate(n, values);
        }).ToList();
        return (labels, pool);
    }
}
