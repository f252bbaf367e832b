using Microsoft.ML;
using Microsoft.ML.Data;
using MlToolkit.Data;

namespace MlToolkit.Models.Explanations;

/// <summary>
/// The number of a model's output an explanation is about: the score for regression, the probability of the positive
/// class for binary classification (the score when uncalibrated), one class's probability for multiclass.
/// </summary>
internal sealed class ExplainedOutput
{
    private readonly TrainedModel _model;

    public ExplainedOutput(TrainedModel model) => _model = model ?? throw new ArgumentNullException(nameof(model));

    public PredictionTask Task => _model.Description.Task;

    /// <summary>What <see cref="Evaluate"/> returns, in words.</summary>
    public string Describe(int classIndex) => Task switch
    {
        PredictionTask.MulticlassClassification => $"probability of '{ClassName(classIndex)}'",
        PredictionTask.BinaryClassification => $"probability of '{_model.Description.PositiveClass ?? "true"}'",
        _ => "predicted value",
    };

    public string ClassName(int classIndex) => classIndex >= 0 && classIndex < _model.Description.Classes.Count ? _model.Description.Classes[classIndex] : classIndex.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The explained number for every row of <paramref name="rows"/> (for multiclass, of class <paramref name="classIndex"/>).</summary>
    public double[] Evaluate(IDataView rows, int classIndex)
    {
        var scored = _model.Score(rows);
        var values = new List<double>();
        var column = Task == PredictionTask.BinaryClassification && scored.Schema.GetColumnOrNull("Probability") is { } probability ? probability : scored.Schema["Score"];
        using var cursor = scored.GetRowCursor(new[] { column });
        if (column.Type is VectorDataViewType)
        {
            var getter = cursor.GetGetter<VBuffer<float>>(column);
            VBuffer<float> vector = default;
            while (cursor.MoveNext())
            {
                getter(ref vector);
                values.Add(vector.GetItemOrDefault(classIndex));
            }
        }
        else
        {
            var getter = cursor.GetGetter<float>(column);
            float value = 0;
            while (cursor.MoveNext())
            {
                getter(ref value);
                values.Add(value);
            }
        }
        return values.ToArray();
    }

    /// <summary>The class a multiclass model predicts for the single row of <paramref name="row"/> (0 for other tasks).</summary>
    public int PredictedClass(IDataView row)
    {
        if (Task != PredictionTask.MulticlassClassification)
            return 0;
        // One scoring pass: the row's whole probability vector, not one pass per class.
        var scores = _model.Score(row).GetColumn<VBuffer<float>>("Score").First().DenseValues().ToArray();
        return Array.IndexOf(scores, scores.Max());
    }
}
