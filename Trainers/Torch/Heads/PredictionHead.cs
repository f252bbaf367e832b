using Microsoft.ML;
using Microsoft.ML.Data;
using MlToolkit.Data;
using MlToolkit.Trainers.Torch.Training;
using static TorchSharp.torch;

namespace MlToolkit.Trainers.Torch.Heads;

/// <summary>
/// Everything task-specific about a torch trainer, so the trainer base assumes nothing about classification:
/// which label types it accepts, how wide the network's output is, the loss, how raw outputs become scores, and
/// the ML.NET output columns (<c>Score</c>, <c>PredictedLabel</c>, <c>Probability</c>) evaluators expect.
/// </summary>
public abstract class PredictionHead
{
    /// <summary>The task.</summary>
    public abstract PredictionTask Task { get; }

    /// <summary>Width of the network's last layer.</summary>
    public abstract int OutputSize { get; }

    /// <summary>The output columns in order.</summary>
    public abstract IReadOnlyList<OutputColumn> OutputColumns { get; }

    /// <summary>Class names for classification heads (empty for regression); stored with the model.</summary>
    public virtual IReadOnlyList<string> ClassNames => Array.Empty<string>();

    /// <summary>Creates the head for a task from the training label column.</summary>
    /// <exception cref="SchemaException">The label column's type does not suit the task.</exception>
    public static PredictionHead ForLabel(PredictionTask task, DataViewSchema.Column label) => task switch
    {
        PredictionTask.MulticlassClassification => MulticlassHead.FromLabel(label),
        PredictionTask.BinaryClassification => BinaryHead.FromLabel(label),
        PredictionTask.Regression => RegressionHead.FromLabel(label),
        _ => throw new ArgumentOutOfRangeException(nameof(task), task, "Unknown task."),
    };

    /// <summary>Numbers the head learned from the training labels (the regression head's target scaling); stored with the model.</summary>
    public virtual IReadOnlyList<double> State => Array.Empty<double>();

    /// <summary>Called once before training with the mean and standard deviation of the training labels.</summary>
    public virtual void ObserveLabels(double mean, double standardDeviation)
    {
    }

    /// <summary>Reads the label of the current row as a float target (class index, 0/1, or value); NaN means missing.</summary>
    public abstract Func<float> LabelReader(DataViewRow row, DataViewSchema.Column label);

    /// <summary>The target tensor for a batch of float labels.</summary>
    public abstract Tensor Targets(Tensor labels);

    /// <summary>The mean loss of a batch.</summary>
    public abstract Tensor Loss(Tensor output, Tensor targets, TorchTrainerOptions options);

    /// <summary>How many predictions of a batch are right; null for regression.</summary>
    public virtual long? CountCorrect(Tensor output, Tensor targets) => null;

    /// <summary>Turns raw network outputs [batch, <see cref="OutputSize"/>] into the values the output columns read.</summary>
    public abstract Tensor Postprocess(Tensor output);

    /// <summary>Width of one row of <see cref="Postprocess"/>'s result.</summary>
    public virtual int PostprocessedSize => OutputSize;

    /// <summary>Checks that the label column <paramref name="labelColumn"/> has <paramref name="distinct"/> usable classes; regression accepts any.</summary>
    public virtual void CheckDistinctLabels(string labelColumn, int distinct)
    {
    }

    /// <summary>The check every classification head makes: at least two classes in the training data.</summary>
    protected static void RequireTwoClasses(string labelColumn, int distinct)
    {
        if (distinct < 2)
            throw new SchemaException($"Label column '{labelColumn}' has {distinct} distinct class{(distinct == 1 ? "" : "es")} in the training data; classification needs at least 2.");
    }
}

/// <summary>An output column of a torch transformer: name, type, annotations and a getter over the postprocessed row.</summary>
/// <param name="Name">Column name.</param>
/// <param name="Type">Column type.</param>
/// <param name="Annotations">Slot names / key values, or null.</param>
/// <param name="CreateGetter">Builds a typed <c>ValueGetter</c> over a function returning the current row's postprocessed values.</param>
public sealed record OutputColumn(string Name, DataViewType Type, DataViewSchema.Annotations? Annotations, Func<Func<ReadOnlyMemory<float>>, Delegate> CreateGetter);
