using Microsoft.ML;
using Microsoft.ML.Data;
using MlToolkit.Data.Samples;
using MlToolkit.Data.Splits;

namespace MlToolkit.Tests.Support;

/// <summary>Small real datasets prepared for the torch trainers: a <c>Features</c> vector and a <c>Label</c> of the task's type.</summary>
public static class TorchTestData
{
    public sealed record Prepared(MLContext Ml, IDataView Raw, ITransformer Preparation, IDataView Train, IDataView Test);

    private static readonly Lazy<Prepared> DigitsData = new(() => Prepare(SampleDatasets.DigitsInfo, ml =>
        ml.Transforms.Concatenate("Features", Enumerable.Range(0, 64).Select(i => $"pixel_{i / 8}_{i % 8}").ToArray())
            .Append(ml.Transforms.NormalizeMinMax("Features"))
            .Append(ml.Transforms.Conversion.MapValueToKey("Label", "label")), "label"));

    private static readonly Lazy<Prepared> BreastCancerData = new(() => Prepare(SampleDatasets.BreastCancerInfo, ml =>
        ml.Transforms.Concatenate("Features", FeatureNames(SampleDatasets.BreastCancer(ml), "diagnosis"))
            .Append(ml.Transforms.NormalizeMeanVariance("Features"))
            .Append(ml.Transforms.Conversion.MapValue("Label", new[] { new KeyValuePair<string, bool>("benign", false), new KeyValuePair<string, bool>("malignant", true) }, "diagnosis")), "diagnosis"));

    private static readonly Lazy<Prepared> DiabetesData = new(() => Prepare(SampleDatasets.DiabetesInfo, ml =>
        ml.Transforms.Concatenate("Features", FeatureNames(SampleDatasets.Diabetes(ml), "progression"))
            .Append(ml.Transforms.NormalizeMeanVariance("Features"))
            .Append(ml.Transforms.CopyColumns("Label", "progression")), null));

    /// <summary>8x8 digits, 64 min-max-normalized pixels, key label (10 classes), fixed stratified 80/20 split.</summary>
    public static Prepared Digits => DigitsData.Value;

    /// <summary>Breast cancer, 30 standardized features, Boolean label (malignant = true), fixed stratified 80/20 split.</summary>
    public static Prepared BreastCancer => BreastCancerData.Value;

    /// <summary>Diabetes, 10 standardized features, Single label, fixed 80/20 split.</summary>
    public static Prepared Diabetes => DiabetesData.Value;

    private static string[] FeatureNames(IDataView view, string label) =>
        view.Schema.Select(c => c.Name).Where(n => n != label).ToArray();

    private static Prepared Prepare(SampleDataset sample, Func<MLContext, IEstimator<ITransformer>> pipeline, string? stratify)
    {
        var ml = new MLContext(seed: 1);
        var raw = ml.Data.Cache(sample.Load(ml));
        var split = DataSplits.TrainTest(raw, 0.2, seed: 1, stratify);
        var preparation = pipeline(ml).Fit(split.Train);
        return new Prepared(ml, raw, preparation, ml.Data.Cache(preparation.Transform(split.Train)), ml.Data.Cache(preparation.Transform(split.Test)));
    }
}
