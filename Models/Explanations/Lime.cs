using Microsoft.ML;
using MlToolkit.Data.IO;

namespace MlToolkit.Models.Explanations;

/// <summary>
/// LIME for tabular rows (Ribeiro et al., 2016) on the model's raw input columns: samples are drawn from the training
/// data's distribution (numbers from a normal with each column's mean and spread, other columns from their values'
/// frequencies), represented as standardized numbers and "same value as the row" indicators, weighted by an
/// exponential kernel of their distance to the row, and a weighted ridge regression fitted to the model's output.
/// A column's attribution is its surrogate weight times the row's representation, so they add up, with the
/// intercept, to the surrogate's value at the row.
/// </summary>
public sealed class Lime : RowExplainer
{
    private readonly LimeOptions _options;

    /// <summary>Explains <paramref name="model"/> with column statistics from <paramref name="training"/> (its first <see cref="LimeOptions.BackgroundRows"/> rows).</summary>
    public Lime(TrainedModel model, IDataView training, LimeOptions? options = null)
        : this(model, options ?? new LimeOptions(), training ?? throw new ArgumentNullException(nameof(training)))
    {
    }

    private Lime(TrainedModel model, LimeOptions options, IDataView training)
        : base(model, ColumnTable.Read(training, options.BackgroundRows), options.IgnoreColumns, options.Class)
    {
        _options = options;
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Samples, 10, nameof(LimeOptions.Samples));
    }

    private protected override RowExplanation Explain(ColumnTable source, int[] features, int classIndex, int row)
    {
        var random = new Random(unchecked(_options.Seed * 7919 + row));
        var perturbation = LimePerturbation.Draw(source, features, _options.Samples, random);
        var y = Output.Evaluate(source.Compose(perturbation.RowsOfColumn), classIndex);
        var width = _options.KernelWidth ?? 0.75 * Math.Sqrt(features.Length);
        var weights = perturbation.Representation.Select(z => Math.Sqrt(Math.Exp(-SquaredDistance(z, perturbation.Representation[0]) / (width * width)))).ToArray();
        var fit = LinearSolver.WeightedLeastSquares(perturbation.Representation, y, weights, _options.Ridge, intercept: true);
        var intercept = fit[^1];
        var contributions = features.Select((_, j) => fit[j] * perturbation.Representation[0][j]).ToArray();
        var local = intercept + contributions.Sum();
        var attributions = features.Select((c, j) => new FeatureAttribution(source.Schema[c].Name, ExplainedColumns.Format(source.Value(c, 0)), contributions[j]))
            .OrderByDescending(a => Math.Abs(a.Attribution)).ToList();
        var surrogate = new LocalSurrogate(intercept, local, RSquared(perturbation.Representation, y, weights, fit));
        return new RowExplanation(row, "lime", Output.Describe(classIndex), intercept, y[0], attributions, surrogate);
    }

    private static double SquaredDistance(double[] a, double[] b)
    {
        double sum = 0;
        for (var i = 0; i < a.Length; i++)
            sum += (a[i] - b[i]) * (a[i] - b[i]);
        return sum;
    }

    private static double RSquared(IReadOnlyList<double[]> x, double[] y, double[] w, double[] fit)
    {
        var mean = y.Select((v, k) => v * w[k]).Sum() / w.Sum();
        double residual = 0, total = 0;
        for (var k = 0; k < y.Length; k++)
        {
            var predicted = fit[^1] + x[k].Select((v, j) => v * fit[j]).Sum();
            residual += w[k] * (y[k] - predicted) * (y[k] - predicted);
            total += w[k] * (y[k] - mean) * (y[k] - mean);
        }
        return total == 0 ? 1 : 1 - residual / total;
    }
}
