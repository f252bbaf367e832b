using Microsoft.ML;
using MlToolkit.Data.Delimited;

namespace MlToolkit.Data.Samples;

/// <summary>
/// The sample datasets shipped inside MlToolkit.Data (see Data/Samples/README.md for sources and licences).
/// Larger sets such as MNIST or the full IMDB reviews are not shipped: their loaders take a path.
/// </summary>
public static class SampleDatasets
{
    private const string UciLicence = "Licensed under CC BY 4.0 by the UCI Machine Learning Repository.";

    /// <summary>8x8 handwritten digits: 1,797 rows, 64 pixel columns (0-16) and <c>label</c> (0-9).</summary>
    public static SampleDataset DigitsInfo { get; } = new("digits", "digits.csv.gz", "label", PredictionTask.MulticlassClassification,
        "8x8 images of handwritten digits, 64 pixel intensities 0-16 per row, label 0-9 (1,797 rows).",
        "Optical Recognition of Handwritten Digits, E. Alpaydin and C. Kaynak (1998), UCI Machine Learning Repository, doi:10.24432/C50P49. " + UciLicence);

    /// <summary>Iris flowers: 150 rows, 4 measurements, <c>species</c> (3 classes).</summary>
    public static SampleDataset IrisInfo { get; } = new("iris", "iris.csv.gz", "species", PredictionTask.MulticlassClassification,
        "Sepal and petal measurements of 150 iris flowers of 3 species.",
        "Iris, R. A. Fisher (1936), UCI Machine Learning Repository, doi:10.24432/C56C76. " + UciLicence);

    /// <summary>Wine: 178 rows, 13 chemical measurements, <c>cultivar</c> (3 classes).</summary>
    public static SampleDataset WineInfo { get; } = new("wine", "wine.csv.gz", "cultivar", PredictionTask.MulticlassClassification,
        "Chemical analysis of 178 wines from 3 cultivars.",
        "Wine, S. Aeberhard and M. Forina (1991), UCI Machine Learning Repository, doi:10.24432/C5PC7J. " + UciLicence);

    /// <summary>Breast cancer (Wisconsin diagnostic): 569 rows, 30 features, <c>diagnosis</c> (malignant/benign).</summary>
    public static SampleDataset BreastCancerInfo { get; } = new("breast-cancer", "breast_cancer.csv.gz", "diagnosis", PredictionTask.BinaryClassification,
        "Features of cell nuclei from 569 breast mass images, diagnosis malignant or benign.",
        "Breast Cancer Wisconsin (Diagnostic), W. Wolberg, O. Mangasarian, N. Street and W. Street (1993), UCI Machine Learning Repository, doi:10.24432/C5DW2B. " + UciLicence);

    /// <summary>Diabetes progression: 442 rows, 10 baseline variables, <c>progression</c> (regression).</summary>
    public static SampleDataset DiabetesInfo { get; } = new("diabetes", "diabetes.csv.gz", "progression", PredictionTask.Regression,
        "Ten baseline variables of 442 diabetes patients and a measure of disease progression one year later.",
        "B. Efron, T. Hastie, I. Johnstone and R. Tibshirani, 'Least Angle Regression', Annals of Statistics 32(2), 2004; data as distributed with scikit-learn (BSD-3-Clause).");

    /// <summary>IMDB reviews: 2,000 (1,000 positive, 1,000 negative) from the training half, columns <c>Label</c> and <c>Text</c>.</summary>
    public static SampleDataset ImdbInfo { get; } = new("imdb", "imdb_sample.tsv.gz", "Label", PredictionTask.BinaryClassification,
        "2,000 movie reviews (1,000 positive, 1,000 negative) from the IMDB training half, tab-separated Label and Text.",
        "Large Movie Review Dataset v1.0, A. L. Maas, R. E. Daly, P. T. Pham, D. Huang, A. Y. Ng and C. Potts, " +
        "'Learning Word Vectors for Sentiment Analysis', ACL 2011. Cite that paper when using the data.");

    /// <summary>Every shipped sample.</summary>
    public static IReadOnlyList<SampleDataset> All { get; } = new[] { DigitsInfo, IrisInfo, WineInfo, BreastCancerInfo, DiabetesInfo, ImdbInfo };

    /// <summary>The sample called <paramref name="name"/> (case-insensitive; <c>_</c> and <c>-</c> are the same).</summary>
    /// <exception cref="ArgumentException">No sample has that name; the message lists those that exist.</exception>
    public static SampleDataset Get(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var wanted = name.Replace('_', '-');
        return All.FirstOrDefault(d => string.Equals(d.Name, wanted, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException($"No sample dataset '{name}'. Samples: {string.Join(", ", All.Select(d => d.Name))}.", nameof(name));
    }

    /// <summary>The 8x8 digits as an <see cref="IDataView"/>.</summary>
    public static DelimitedDataView Digits(MLContext mlContext) => DigitsInfo.Load(mlContext);

    /// <summary>Iris as an <see cref="IDataView"/>.</summary>
    public static DelimitedDataView Iris(MLContext mlContext) => IrisInfo.Load(mlContext);

    /// <summary>Wine as an <see cref="IDataView"/>.</summary>
    public static DelimitedDataView Wine(MLContext mlContext) => WineInfo.Load(mlContext);

    /// <summary>Breast cancer as an <see cref="IDataView"/>.</summary>
    public static DelimitedDataView BreastCancer(MLContext mlContext) => BreastCancerInfo.Load(mlContext);

    /// <summary>Diabetes as an <see cref="IDataView"/>.</summary>
    public static DelimitedDataView Diabetes(MLContext mlContext) => DiabetesInfo.Load(mlContext);

    /// <summary>The 2,000-review IMDB subset as an <see cref="IDataView"/>.</summary>
    public static DelimitedDataView Imdb(MLContext mlContext) => ImdbInfo.Load(mlContext);
}
