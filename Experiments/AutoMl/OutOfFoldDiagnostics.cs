using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlToolkit.Data;
using MlToolkit.Pipelines.Labels;

namespace MlToolkit.Experiments.AutoMl;

/// <summary>
/// Collects what a report shows about a trial's predictions on its validation folds: the confusion matrix over all
/// folds (classification) or actual-versus-predicted pairs (regression, at most <see cref="MaxPoints"/>). Gathered
/// while the folds are scored anyway, so it costs no extra training.
/// </summary>
internal sealed class OutOfFoldDiagnostics
{
    public const int MaxPoints = 2000;
    private readonly PredictionTask _task;
    private readonly IReadOnlyList<string> _binaryClasses;
    private long[,]? _confusion;
    private string[]? _classes;
    private readonly List<double> _actual = new();
    private readonly List<double> _predicted = new();
    private readonly OutOfFoldPredictions _predictions;

    /// <param name="task">The task.</param>
    /// <param name="binaryClasses">For binary classification: the negative class, then the positive one.</param>
    public OutOfFoldDiagnostics(PredictionTask task, IReadOnlyList<string> binaryClasses)
    {
        _task = task;
        _binaryClasses = binaryClasses;
        _predictions = new OutOfFoldPredictions(task);
    }

    public void Add(IDataView scored)
    {
        _predictions.Add(scored);
        switch (_task)
        {
            case PredictionTask.MulticlassClassification:
            {
                var predicted = scored.Schema["PredictedLabel"];
                _classes ??= LabelEncoding.KeyNames(predicted);
                _confusion ??= new long[_classes.Length, _classes.Length];
                var labels = scored.GetColumn<uint>("Label").ToArray();
                var predictions = scored.GetColumn<uint>(predicted).ToArray();
                for (var i = 0; i < labels.Length; i++)
                    if (labels[i] > 0 && predictions[i] > 0 && labels[i] <= _classes.Length && predictions[i] <= _classes.Length)
                        _confusion[labels[i] - 1, predictions[i] - 1]++;
                break;
            }
            case PredictionTask.BinaryClassification:
            {
                _classes ??= _binaryClasses.ToArray();
                _confusion ??= new long[2, 2];
                var labels = scored.GetColumn<bool>("Label").ToArray();
                var predictions = scored.GetColumn<bool>("PredictedLabel").ToArray();
                for (var i = 0; i < labels.Length; i++)
                    _confusion[labels[i] ? 1 : 0, predictions[i] ? 1 : 0]++;
                break;
            }
            default:
            {
                var labels = scored.GetColumn<float>("Label").ToArray();
                var scores = scored.GetColumn<float>("Score").ToArray();
                for (var i = 0; i < labels.Length && _actual.Count < MaxPoints; i++)
                {
                    _actual.Add(labels[i]);
                    _predicted.Add(scores[i]);
                }
                break;
            }
        }
    }

    public string ToJson()
    {
        if (_task == PredictionTask.Regression)
            return JsonSerializer.Serialize(new { kind = "residuals", actual = _actual, predicted = _predicted, outOfFold = _predictions.ToJson() });
        var classes = _classes ?? Array.Empty<string>();
        var counts = Enumerable.Range(0, classes.Length).Select(r => Enumerable.Range(0, classes.Length).Select(c => _confusion![r, c]).ToArray()).ToArray();
        return JsonSerializer.Serialize(new { kind = "confusion", classes, counts, outOfFold = _predictions.ToJson() });
    }
}
