using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;
using Microsoft.ML.Transforms.Text;
using MlToolkit.Data.Delimited;
using MlToolkit.Pipelines.Normalization;

namespace MlToolkit.Pipelines.Featurization;

/// <summary>
/// Builds the preprocessing that turns every input column into one numeric <c>Features</c> vector, by each
/// column's purpose: numeric columns get missing values replaced by the mean, dates become their numeric parts
/// (<see cref="Dates.DateTimePartsTransformer"/>) treated as numbers, Boolean columns become 0/1,
/// categorical columns are one-hot encoded (hashed into 2^10 slots above <see cref="MaxOneHotValues"/> distinct
/// values; a value unseen in training maps to all zeros, as documented), free text is n-gram featurized
/// (an empty text gives an all-zero vector), and image paths are loaded into 32×32 RGB pixel tensors. Identifier
/// columns (<see cref="ColumnPurpose.Identifier"/>) give no features.
/// </summary>
public static class AutoFeaturizer
{
    /// <summary>The name of the output feature vector.</summary>
    public const string FeaturesColumn = "Features";

    /// <summary>Categories with more distinct values than this are hashed rather than one-hot encoded.</summary>
    public const int MaxOneHotValues = 100;

    /// <summary>Side length image-path columns are resized to.</summary>
    public const int ImageSize = 32;

    /// <summary>The feature columns of <paramref name="layout"/>: every column except the label and the ignored ones.</summary>
    public static IReadOnlyList<FeatureColumn> FeatureColumns(DelimitedSchema layout, string labelColumn, IEnumerable<string>? ignoreColumns = null)
    {
        ArgumentNullException.ThrowIfNull(layout);
        var label = layout.GetColumn(labelColumn).Name;
        var ignored = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in ignoreColumns ?? Array.Empty<string>())
            ignored.Add(layout.GetColumn(name).Name);
        var features = layout.Columns
            .Where(c => c.Name != label && !ignored.Contains(c.Name))
            .Select(c => new FeatureColumn(c.Name, c.Purpose, layout.Statistics.TryGetValue(c.Name, out var stats) ? stats.DistinctValues : 0, c.DateOrder))
            .ToList();
        if (features.Count == 0)
            throw new SchemaException($"No feature columns are left besides the label '{label}'; the data needs at least one input column.");
        return features;
    }

    /// <summary>
    /// The error text when every feature column of a table is an identifier (<see cref="ColumnPurpose.Identifier"/>),
    /// naming them and how to use one anyway.
    /// </summary>
    public static string OnlyIdentifiersLeft(string labelColumn, IReadOnlyList<string> identifiers)
    {
        ArgumentNullException.ThrowIfNull(identifiers);
        var names = string.Join(", ", identifiers.Select(n => $"'{n}'"));
        var what = identifiers.Count == 1 ? "holds a different value in every row, so it is read as an identifier, which is not a feature"
            : "hold a different value in every row, so they are read as identifiers, which are not features";
        return $"No feature columns are left besides the label '{labelColumn}': {names} {what}. "
            + $"To use one, give it a type (--column-type {identifiers.FirstOrDefault()}=text, or DelimitedLoadOptions.ColumnKinds / ColumnInformation).";
    }

    /// <summary>
    /// The estimator that maps <paramref name="columns"/> into the <see cref="FeaturesColumn"/> vector;
    /// <paramref name="normalizer"/> scales the numeric columns (null: not at all).
    /// </summary>
    public static IEstimator<ITransformer> Build(MLContext mlContext, IReadOnlyList<FeatureColumn> columns, NormalizerKind? normalizer)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(columns);
        if (columns.Count == 0)
            throw new ArgumentException("At least one feature column is needed.", nameof(columns));
        var transforms = mlContext.Transforms;
        IEstimator<ITransformer> pipeline = new EstimatorChain<ITransformer>();
        var outputs = new List<string>();

        foreach (var column in columns.Where(c => c.Purpose == ColumnPurpose.DateTime))
            pipeline = pipeline.Append(new Dates.DateTimePartsEstimator(column.Name, column.Name, column.DateOrder));
        var numeric = columns.Where(c => c.Purpose is ColumnPurpose.Numeric or ColumnPurpose.DateTime).Select(c => new InputOutputColumnPair(c.Name, c.Name)).ToArray();
        if (numeric.Length > 0)
        {
            pipeline = pipeline.Append(transforms.ReplaceMissingValues(numeric, MissingValueReplacingEstimator.ReplacementMode.Mean));
            // Only numbers need scaling: one-hot, text and pixel features are already in [0, 1] or unit length.
            if (normalizer is { } kind)
                pipeline = pipeline.Append(transforms.Normalize(kind, numeric));
            outputs.AddRange(numeric.Select(p => p.OutputColumnName));
        }
        foreach (var column in columns.Where(c => c.Purpose == ColumnPurpose.Boolean))
        {
            pipeline = pipeline.Append(transforms.Conversion.ConvertType(column.Name, column.Name, DataKind.Single));
            outputs.Add(column.Name);
        }
        var categorical = columns.Where(c => c.Purpose == ColumnPurpose.Categorical && c.DistinctValues <= MaxOneHotValues).Select(c => new InputOutputColumnPair(c.Name, c.Name)).ToArray();
        if (categorical.Length > 0)
        {
            pipeline = pipeline.Append(transforms.Categorical.OneHotEncoding(categorical));
            outputs.AddRange(categorical.Select(p => p.OutputColumnName));
        }
        var hashed = columns.Where(c => c.Purpose == ColumnPurpose.Categorical && c.DistinctValues > MaxOneHotValues).Select(c => new InputOutputColumnPair(c.Name, c.Name)).ToArray();
        if (hashed.Length > 0)
        {
            pipeline = pipeline.Append(transforms.Categorical.OneHotHashEncoding(hashed, numberOfBits: 10));
            outputs.AddRange(hashed.Select(p => p.OutputColumnName));
        }
        foreach (var column in columns.Where(c => c.Purpose == ColumnPurpose.ImagePath))
        {
            var pixels = column.Name + "_pixels";
            pipeline = pipeline.Append(Images.ImageTensorPipeline.Build(mlContext, column.Name, pixels, ImageSize, ImageSize, grayscale: false));
            outputs.Add(pixels);
        }
        foreach (var column in columns.Where(c => c.Purpose == ColumnPurpose.Text))
        {
            pipeline = pipeline.Append(transforms.Text.FeaturizeText(column.Name, TextOptions(), column.Name));
            outputs.Add(column.Name);
        }
        return pipeline.Append(transforms.Concatenate(FeaturesColumn, outputs.ToArray()));
    }

    /// <summary>TF-IDF word uni- and bigrams plus character trigrams, L2-normalized (as scikit-learn's TfidfVectorizer does for words).</summary>
    private static TextFeaturizingEstimator.Options TextOptions() => new()
    {
        WordFeatureExtractor = new WordBagEstimator.Options { NgramLength = 2, UseAllLengths = true, Weighting = NgramExtractingEstimator.WeightingCriteria.TfIdf },
        CharFeatureExtractor = new WordBagEstimator.Options { NgramLength = 3, UseAllLengths = false, Weighting = NgramExtractingEstimator.WeightingCriteria.TfIdf },
        Norm = TextFeaturizingEstimator.NormFunction.L2,
    };
}
