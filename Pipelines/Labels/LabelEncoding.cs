using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;
using MlToolkit.Data;
using MlToolkit.Data.Delimited;

namespace MlToolkit.Pipelines.Labels;

/// <summary>
/// Turns a raw label column into the <c>Label</c> column ML.NET trainers and evaluators expect: a key for
/// multiclass (classes sorted by value), a Boolean for binary (the class that sorts last is <c>true</c> unless
/// a positive class is named), a float for regression.
/// </summary>
public static class LabelEncoding
{
    /// <summary>The name of the encoded label column.</summary>
    public const string LabelColumn = "Label";

    /// <summary>The distinct non-empty values of a label column, sorted (numbers numerically, text ordinally).</summary>
    public static IReadOnlyList<string> Classes(IDataView data, string labelColumn)
    {
        ArgumentNullException.ThrowIfNull(data);
        var column = data.Schema.GetColumnOrNull(labelColumn)
            ?? throw new SchemaException($"Label column '{labelColumn}' not found. Columns: {string.Join(", ", data.Schema.Select(c => c.Name))}.");
        if (column.Type == NumberDataViewType.Single)
        {
            return data.GetColumn<float>(labelColumn).Where(v => !float.IsNaN(v)).Distinct().Order()
                .Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)).ToList();
        }
        if (column.Type == BooleanDataViewType.Instance)
            return data.GetColumn<bool>(labelColumn).Distinct().Order().Select(v => v ? "True" : "False").ToList();
        if (column.Type is TextDataViewType)
        {
            return data.GetColumn<ReadOnlyMemory<char>>(labelColumn).Select(v => v.ToString()).Where(v => v.Length > 0)
                .Distinct().Order(StringComparer.Ordinal).ToList();
        }
        throw new SchemaException($"Label column '{labelColumn}' has type {column.Type}; expected text, a number or a Boolean.");
    }

    /// <summary>
    /// Groups of <paramref name="classes"/> that differ only in letter case or surrounding white space ("Yes", "Yes ",
    /// "yes"): usually one class written several ways, which a model would learn as several.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<string>> ConfusableClasses(IReadOnlyList<string> classes)
    {
        ArgumentNullException.ThrowIfNull(classes);
        return classes.GroupBy(c => c.Trim().ToUpperInvariant(), StringComparer.Ordinal)
            .Where(g => g.Count() > 1)
            .Select(g => (IReadOnlyList<string>)g.ToList())
            .ToList();
    }

    /// <summary>The task a label calls for when none is given: text and Booleans classify, whole numbers with few values classify, other numbers regress.</summary>
    public static PredictionTask InferTask(DelimitedColumn label, ColumnStatistics? statistics, int classCount)
    {
        ArgumentNullException.ThrowIfNull(label);
        var classifies = label.Kind != ColumnKind.Numeric || (statistics is { AllIntegers: true } && classCount <= 20);
        if (!classifies)
            return PredictionTask.Regression;
        return classCount == 2 ? PredictionTask.BinaryClassification : PredictionTask.MulticlassClassification;
    }

    /// <summary>The estimator that writes <see cref="LabelColumn"/> from <paramref name="labelColumn"/> for <paramref name="task"/>.</summary>
    /// <param name="mlContext">The ML.NET context.</param>
    /// <param name="task">The task to train for.</param>
    /// <param name="labelColumn">The raw label column.</param>
    /// <param name="labelType">Its type in the input data.</param>
    /// <param name="classes">The label's distinct values (see <see cref="Classes"/>); ignored for regression.</param>
    /// <param name="positiveClass">For binary classification, the value that maps to <c>true</c>; null picks the last of <paramref name="classes"/>.</param>
    public static IEstimator<ITransformer> Build(MLContext mlContext, PredictionTask task, string labelColumn, DataViewType labelType,
        IReadOnlyList<string> classes, string? positiveClass = null)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(classes);
        var conversion = mlContext.Transforms.Conversion;
        switch (task)
        {
            case PredictionTask.Regression:
                if (labelType != NumberDataViewType.Single)
                    throw new SchemaException($"Regression needs a numeric label, but '{labelColumn}' holds {labelType}.");
                return mlContext.Transforms.CopyColumns(LabelColumn, labelColumn);
            case PredictionTask.MulticlassClassification:
                RequireClasses(labelColumn, classes, 2);
                return conversion.MapValueToKey(LabelColumn, labelColumn, keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue);
            case PredictionTask.BinaryClassification:
                RequireClasses(labelColumn, classes, 2);
                if (classes.Count != 2)
                    throw new SchemaException($"Binary classification needs exactly 2 classes in '{labelColumn}', found {classes.Count}: {Preview(classes)}.");
                var positive = positiveClass ?? classes[1];
                if (!classes.Contains(positive))
                    throw new SchemaException($"Positive class '{positive}' is not a value of '{labelColumn}' ({Preview(classes)}).");
                return BinaryMapping(mlContext, labelColumn, labelType, classes, positive);
            default:
                throw new ArgumentOutOfRangeException(nameof(task), task, "Unknown task.");
        }
    }

    private static IEstimator<ITransformer> BinaryMapping(MLContext mlContext, string labelColumn, DataViewType labelType, IReadOnlyList<string> classes, string positive)
    {
        if (labelType == BooleanDataViewType.Instance)
            return mlContext.Transforms.CopyColumns(LabelColumn, labelColumn);
        if (labelType == NumberDataViewType.Single)
        {
            var numbers = classes.Select(c => new KeyValuePair<float, bool>(float.Parse(c, System.Globalization.CultureInfo.InvariantCulture), c == positive));
            return mlContext.Transforms.Conversion.MapValue(LabelColumn, numbers, labelColumn);
        }
        var texts = classes.Select(c => new KeyValuePair<string, bool>(c, c == positive));
        return mlContext.Transforms.Conversion.MapValue(LabelColumn, texts, labelColumn);
    }

    private static void RequireClasses(string labelColumn, IReadOnlyList<string> classes, int minimum)
    {
        if (classes.Count < minimum)
            throw new SchemaException($"Label column '{labelColumn}' has {classes.Count} class{(classes.Count == 1 ? "" : "es")} ({Preview(classes)}); classification needs at least {minimum}.");
    }

    private static string Preview(IReadOnlyList<string> classes) =>
        classes.Count == 0 ? "none" : string.Join(", ", classes.Take(10)) + (classes.Count > 10 ? ", ..." : "");

    /// <summary>
    /// The names behind a key column's values (its <c>KeyValues</c> annotation, text or numbers), in key order; for a
    /// key without names, <c>class 1</c>, <c>class 2</c>, ….
    /// </summary>
    public static string[] KeyNames(DataViewSchema.Column column)
    {
        if (column.Type is not KeyDataViewType key)
            throw new ArgumentException($"Column '{column.Name}' is not a key column but {column.Type}.", nameof(column));
        var annotation = column.Annotations.Schema.GetColumnOrNull("KeyValues");
        if (annotation is { Type: VectorDataViewType vector })
        {
            if (vector.ItemType is TextDataViewType)
            {
                VBuffer<ReadOnlyMemory<char>> names = default;
                column.GetKeyValues(ref names);
                return names.DenseValues().Select(n => n.ToString()).ToArray();
            }
            if (vector.ItemType == NumberDataViewType.Single)
            {
                VBuffer<float> values = default;
                column.Annotations.GetValue("KeyValues", ref values);
                return values.DenseValues().Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            }
            if (vector.ItemType == NumberDataViewType.Double)
            {
                VBuffer<double> values = default;
                column.Annotations.GetValue("KeyValues", ref values);
                return values.DenseValues().Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            }
        }
        return Enumerable.Range(1, (int)key.Count).Select(i => $"class {i}").ToArray();
    }
}
