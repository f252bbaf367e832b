using Microsoft.ML;
using Microsoft.ML.Data;
using MlToolkit.Data;
using MlToolkit.Trainers.Torch.Training;
using static TorchSharp.torch;

namespace MlToolkit.Trainers.Torch.Heads;

/// <summary>Binary: Boolean label, one logit; <c>Score</c> (logit), <c>Probability</c> (sigmoid), Boolean <c>PredictedLabel</c>.</summary>
public sealed class BinaryHead : PredictionHead
{
    /// <summary>Creates the head.</summary>
    public BinaryHead()
    {
        OutputColumns = new[]
        {
            new OutputColumn("Score", NumberDataViewType.Single, null, row => (ValueGetter<float>)((ref float value) => value = row().Span[0])),
            new OutputColumn("Probability", NumberDataViewType.Single, null, row => (ValueGetter<float>)((ref float value) => value = row().Span[1])),
            new OutputColumn("PredictedLabel", BooleanDataViewType.Instance, null, row => (ValueGetter<bool>)((ref bool value) => value = row().Span[1] > 0.5f)),
        };
    }

    /// <inheritdoc/>
    public override PredictionTask Task => PredictionTask.BinaryClassification;

    /// <inheritdoc/>
    public override int OutputSize => 1;

    /// <inheritdoc/>
    public override int PostprocessedSize => 2;

    /// <inheritdoc/>
    public override IReadOnlyList<OutputColumn> OutputColumns { get; }

    /// <summary>Builds the head from a Boolean label column.</summary>
    public static BinaryHead FromLabel(DataViewSchema.Column label) =>
        label.Type == BooleanDataViewType.Instance
            ? new BinaryHead()
            : throw new SchemaException($"Label column '{label.Name}' has type {label.Type}; binary classification needs a Boolean label.");

    /// <inheritdoc/>
    public override Func<float> LabelReader(DataViewRow row, DataViewSchema.Column label)
    {
        var getter = row.GetGetter<bool>(label);
        var value = false;
        return () =>
        {
            getter(ref value);
            return value ? 1f : 0f;
        };
    }

    /// <inheritdoc/>
    public override Tensor Targets(Tensor labels) => labels.unsqueeze(1);

    /// <inheritdoc/>
    public override Tensor Loss(Tensor output, Tensor targets, TorchTrainerOptions options) =>
        nn.functional.binary_cross_entropy_with_logits(output, targets);

    /// <inheritdoc/>
    public override long? CountCorrect(Tensor output, Tensor targets) => output.GreaterThan(0).to_type(ScalarType.Float32).eq(targets).sum().item<long>();

    /// <inheritdoc/>
    public override Tensor Postprocess(Tensor output) => cat(new[] { output, sigmoid(output) }, 1);

    /// <inheritdoc/>
    public override void CheckDistinctLabels(string labelColumn, int distinct) => RequireTwoClasses(labelColumn, distinct);
}
