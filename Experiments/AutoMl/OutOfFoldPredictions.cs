using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlToolkit.Data;

namespace MlToolkit.Experiments.AutoMl;

/// <summary>
/// A trial's predictions on its validation folds, in fold order (the same rows in the same order for every trial of a
/// study): class probabilities (multiclass), P(positive) (binary) or the value (regression), <see cref="Width"/> per
/// row. Stored with the trial (its diagnostics) as base64 float32, so that ensemble selection can combine trials
/// without refitting them; skipped above <see cref="MaxValues"/> values.
/// </summary>
public sealed class OutOfFoldPredictions
{
    /// <summary>The most values kept per trial (4 MB as float32).</summary>
    public const int MaxValues = 1_000_000;

    private readonly PredictionTask _task;
    private readonly List<float> _values = new();
    private bool _tooMany;

    /// <summary>Collects predictions for <paramref name="task"/>.</summary>
    public OutOfFoldPredictions(PredictionTask task) => _task = task;

    /// <summary>Values per row.</summary>
    public int Width { get; private set; }

    /// <summary>The values, row after row.</summary>
    public IReadOnlyList<float> Values => _values;

    /// <summary>Appends the predictions of one scored validation fold.</summary>
    public void Add(IDataView scored)
    {
        ArgumentNullException.ThrowIfNull(scored);
        if (_tooMany)
            return;
        foreach (var row in Rows(scored))
        {
            Width = row.Length;
            _values.AddRange(row);
        }
        if (_values.Count > MaxValues)
        {
            _tooMany = true;
            _values.Clear();
        }
    }

    private IEnumerable<float[]> Rows(IDataView scored) => _task switch
    {
        PredictionTask.MulticlassClassification => scored.GetColumn<VBuffer<float>>(scored.Schema["Score"]).Select(v => v.DenseValues().ToArray()),
        PredictionTask.BinaryClassification => scored.GetColumn<float>(scored.Schema["Probability"]).Select(p => new[] { p }),
        _ => scored.GetColumn<float>(scored.Schema["Score"]).Select(s => new[] { s }),
    };

    /// <summary>The JSON stored with the trial, or null when there were too many values to keep.</summary>
    public JsonObject? ToJson()
    {
        if (_tooMany || _values.Count == 0)
            return null;
        var bytes = new byte[_values.Count * sizeof(float)];
        Buffer.BlockCopy(_values.ToArray(), 0, bytes, 0, bytes.Length);
        return new JsonObject { ["width"] = Width, ["float32"] = Convert.ToBase64String(bytes) };
    }

    /// <summary>The values stored in a trial's diagnostics JSON, or null when it holds none.</summary>
    public static (int Width, float[] Values)? FromDiagnostics(string? diagnostics)
    {
        if (string.IsNullOrEmpty(diagnostics))
            return null;
        try
        {
            if (JsonNode.Parse(diagnostics)?["outOfFold"] is not JsonObject stored
                || stored["float32"]?.GetValue<string>() is not { } text || stored["width"]?.GetValue<int>() is not { } width)
                return null;
            var bytes = Convert.FromBase64String(text);
            var values = new float[bytes.Length / sizeof(float)];
            Buffer.BlockCopy(bytes, 0, values, 0, values.Length * sizeof(float));
            return (width, values);
        }
        catch (Exception error) when (error is JsonException or FormatException or InvalidOperationException)
        {
            // Diagnostics written by an older version, or damaged: the trial just takes no part in ensembles.
            return null;
        }
    }
}
