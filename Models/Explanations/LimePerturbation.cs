using MlToolkit.Data.IO;

namespace MlToolkit.Models.Explanations;

/// <summary>
/// LIME's samples around a row (source row 0) drawn from the rest of the source table (the training rows): which
/// source row each column reads, per sample, and the samples' interpretable representation. Sample 0 is the row itself.
/// </summary>
internal sealed class LimePerturbation
{
    private LimePerturbation(int[][] rowsOfColumn, double[][] representation)
    {
        RowsOfColumn = rowsOfColumn;
        Representation = representation;
    }

    public int[][] RowsOfColumn { get; }

    public double[][] Representation { get; }

    /// <summary>
    /// A number is drawn from a normal with the column's training mean and spread, then snapped to the nearest value the
    /// training data holds (so samples stay values the column takes); other columns take a random training row's value.
    /// </summary>
    public static LimePerturbation Draw(ColumnTable source, int[] features, int samples, Random random)
    {
        var training = Enumerable.Range(1, source.Rows - 1).ToArray();
        var rowsOfColumn = Enumerable.Range(0, source.Schema.Count).Select(_ => new int[samples]).ToArray();
        var representation = Enumerable.Range(0, samples).Select(_ => new double[features.Length]).ToArray();
        for (var j = 0; j < features.Length; j++)
        {
            var column = source.Column(features[j]);
            var rows = rowsOfColumn[features[j]];
            if (column is float[] numbers)
                DrawNumbers(numbers, training, rows, representation, j, random);
            else
                DrawCategories(source, features[j], training, rows, representation, j, random);
        }
        return new LimePerturbation(rowsOfColumn, representation);
    }

    private static void DrawNumbers(float[] values, int[] training, int[] rows, double[][] representation, int j, Random random)
    {
        var known = training.Where(r => !float.IsNaN(values[r])).OrderBy(r => values[r]).ToArray();
        var mean = known.Length == 0 ? 0 : known.Average(r => (double)values[r]);
        var spread = known.Length < 2 ? 1 : Math.Sqrt(known.Sum(r => (values[r] - mean) * (values[r] - mean)) / (known.Length - 1));
        spread = spread > 0 ? spread : 1;
        var sorted = known.Select(r => (double)values[r]).ToArray();
        for (var s = 0; s < rows.Length; s++)
        {
            var row = s == 0 || known.Length == 0 ? 0 : known[Nearest(sorted, mean + spread * Gaussian(random))];
            rows[s] = row;
            var value = float.IsNaN(values[row]) ? mean : values[row];
            representation[s][j] = (value - mean) / spread;
        }
    }

    private static void DrawCategories(ColumnTable source, int column, int[] training, int[] rows, double[][] representation, int j, Random random)
    {
        var own = ExplainedColumns.Format(source.Value(column, 0));
        for (var s = 0; s < rows.Length; s++)
        {
            var row = s == 0 ? 0 : training[random.Next(training.Length)];
            rows[s] = row;
            representation[s][j] = row == 0 || ExplainedColumns.Format(source.Value(column, row)) == own ? 1 : 0;
        }
    }

    private static int Nearest(double[] sorted, double value)
    {
        var index = Array.BinarySearch(sorted, value);
        if (index >= 0)
            return index;
        index = ~index;
        if (index == 0)
            return 0;
        if (index == sorted.Length)
            return sorted.Length - 1;
        return value - sorted[index - 1] <= sorted[index] - value ? index - 1 : index;
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
