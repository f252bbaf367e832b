using Microsoft.ML;
using MlToolkit.Data.IO;

namespace MlToolkit.Models.Explanations;

/// <summary>
/// Kernel SHAP (Lundberg and Lee, 2017) on the model's raw input columns: a column absent from a coalition takes each
/// background row's value in turn (interventional expectation), and the Shapley values are the weighted least-squares
/// fit over coalitions with the Shapley kernel, constrained to add up to prediction − base value (local accuracy).
/// All coalitions are enumerated when they fit in <see cref="ShapOptions.Samples"/> (exact Shapley values); otherwise
/// coalition sizes are drawn by their kernel weight and each coalition is paired with its complement.
/// </summary>
public sealed class KernelShap : RowExplainer
{
    private readonly ShapOptions _options;

    /// <summary>Explains <paramref name="model"/> against <paramref name="background"/> (summarised to <see cref="ShapOptions.BackgroundRows"/> rows).</summary>
    public KernelShap(TrainedModel model, IDataView background, ShapOptions? options = null)
        : this(model, options ?? new ShapOptions(), ColumnTable.Read(background ?? throw new ArgumentNullException(nameof(background))))
    {
    }

    private KernelShap(TrainedModel model, ShapOptions options, ColumnTable all)
        : base(model, Summarise(all, options), options.IgnoreColumns, options.Class)
    {
        _options = options;
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Samples, 2, nameof(ShapOptions.Samples));
    }

    private static ColumnTable Summarise(ColumnTable all, ShapOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BackgroundRows, 1, nameof(ShapOptions.BackgroundRows));
        return all.Rows <= options.BackgroundRows ? all
            : all.Take(Enumerable.Range(0, all.Rows).ToArray().Shuffled(new Random(options.Seed)).Take(options.BackgroundRows).ToArray());
    }

    private protected override RowExplanation Explain(ColumnTable source, int[] features, int classIndex, int row)
    {
        var coalitions = Coalitions.For(features.Length, _options.Samples, new Random(unchecked(_options.Seed * 7919 + row)));
        var backgroundRows = source.Rows - 1;
        var values = Output.Evaluate(source.Compose(IndexArrays(source, features, coalitions.Masks, backgroundRows)), classIndex);
        var prediction = Link(Output.Evaluate(source.Compose(Fixed(source, 0, 1)), classIndex)[0]);
        var baseValue = Link(Output.Evaluate(source.Compose(Fixed(source, 1, backgroundRows, features)), classIndex).Average());
        var y = coalitions.Masks.Select((_, k) => Link(values.Skip(k * backgroundRows).Take(backgroundRows).Average())).ToArray();
        var phi = Solve(coalitions, y, baseValue, prediction);
        var attributions = features.Select((c, j) => new FeatureAttribution(source.Schema[c].Name, ExplainedColumns.Format(source.Value(c, 0)), phi[j]))
            .OrderByDescending(a => Math.Abs(a.Attribution)).ToList();
        return new RowExplanation(row, "kernel-shap", Describe(classIndex), baseValue, prediction, attributions);
    }

    private string Describe(int classIndex) =>
        _options.Link == ShapLink.Logit ? $"log-odds of the {Output.Describe(classIndex)}" : Output.Describe(classIndex);

    /// <summary>Row r of coalition k, background b: a feature in the coalition reads the explained row (0), else background row b.</summary>
    private static int[][] IndexArrays(ColumnTable source, int[] features, IReadOnlyList<bool[]> masks, int backgroundRows)
    {
        var length = masks.Count * backgroundRows;
        var arrays = Enumerable.Range(0, source.Schema.Count).Select(_ => new int[length]).ToArray();
        for (var j = 0; j < features.Length; j++)
        {
            var indexes = arrays[features[j]];
            for (var k = 0; k < masks.Count; k++)
            {
                for (var b = 0; b < backgroundRows; b++)
                    indexes[k * backgroundRows + b] = masks[k][j] ? 0 : 1 + b;
            }
        }
        return arrays;
    }

    /// <summary><paramref name="count"/> rows from <paramref name="first"/> on for <paramref name="columns"/> (all when null); other columns read the explained row.</summary>
    private static int[][] Fixed(ColumnTable source, int first, int count, int[]? columns = null)
    {
        var chosen = columns?.ToHashSet() ?? Enumerable.Range(0, source.Schema.Count).ToHashSet();
        return Enumerable.Range(0, source.Schema.Count)
            .Select(c => chosen.Contains(c) ? Enumerable.Range(first, count).ToArray() : new int[count]).ToArray();
    }

    private double Link(double value) => _options.Link == ShapLink.Logit
        ? Math.Log(Math.Clamp(value, 1e-7, 1 - 1e-7) / (1 - Math.Clamp(value, 1e-7, 1 - 1e-7)))
        : value;

    /// <summary>The constrained fit: the last feature's value is what the others leave of prediction − base.</summary>
    private static double[] Solve(Coalitions coalitions, double[] y, double baseValue, double prediction)
    {
        var m = coalitions.Features;
        if (m == 0)
            return Array.Empty<double>();
        var total = prediction - baseValue;
        if (m == 1)
            return new[] { total };
        var x = new List<double[]>();
        var target = new List<double>();
        for (var k = 0; k < coalitions.Masks.Count; k++)
        {
            var mask = coalitions.Masks[k];
            var last = mask[m - 1] ? 1.0 : 0.0;
            x.Add(Enumerable.Range(0, m - 1).Select(j => (mask[j] ? 1.0 : 0.0) - last).ToArray());
            target.Add(y[k] - baseValue - last * total);
        }
        var beta = LinearSolver.WeightedLeastSquares(x, target, coalitions.Weights);
        return beta.Append(total - beta.Sum()).ToArray();
    }
}
