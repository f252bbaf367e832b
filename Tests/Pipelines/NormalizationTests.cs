using Microsoft.ML;
using Microsoft.ML.Data;
using MlToolkit.Data.Samples;
using MlToolkit.Pipelines.Normalization;

namespace MlToolkit.Tests.Pipelines;

public sealed class NormalizationTests
{
    private static List<float> Normalized(NormalizerKind kind, string column)
    {
        var ml = new MLContext(1);
        var data = SampleDatasets.Wine(ml);
        var output = ml.Transforms.Normalize(kind, "out", column).Fit(data).Transform(data);
        return output.GetColumn<float>("out").ToList();
    }

    private static double Median(IEnumerable<float> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2.0;
    }

    [Fact]
    public void Min_max_maps_onto_zero_one()
    {
        var values = Normalized(NormalizerKind.MinMax, "proline");
        Assert.Equal(1.0, values.Max(), 5);
        Assert.True(values.Min() >= 0);
    }

    [Fact]
    public void Mean_variance_centres_and_scales()
    {
        var values = Normalized(NormalizerKind.MeanVariance, "alcohol");
        var mean = values.Average();
        var sd = Math.Sqrt(values.Average(v => (v - mean) * (v - mean)));
        Assert.Equal(0, mean, 4);
        Assert.Equal(1, sd, 2);
    }

    [Fact]
    public void Log_mean_variance_maps_through_the_log_normal_cdf()
    {
        var values = Normalized(NormalizerKind.LogMeanVariance, "proline");
        Assert.All(values, v => Assert.InRange(v, 0, 1));
        Assert.InRange(Median(values), 0.4, 0.6);
    }

    [Fact]
    public void Robust_scaling_centres_the_median()
    {
        var values = Normalized(NormalizerKind.Robust, "magnesium");
        Assert.Equal(0, Median(values), 4);
        // An affine map: the order of the raw values is kept.
        var raw = SampleDatasets.Wine(new MLContext(1)).GetColumn<float>("magnesium").ToList();
        var order = Enumerable.Range(0, raw.Count).OrderBy(i => raw[i]).ToList();
        Assert.Equal(order.Select(i => values[i]), values.Order());
    }
}
