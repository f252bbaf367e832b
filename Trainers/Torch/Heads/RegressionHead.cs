using Microsoft.ML;
using Microsoft.ML.Data;
using MlToolkit.Data;
using MlToolkit.Trainers.Torch.Training;
using static TorchSharp.torch;

namespace MlToolkit.Trainers.Torch.Heads;

/// <summary>Regression: <c>Single</c> label, one output; <c>Score</c>. Loss MSE, or Huber when a delta is set.</summary>
public sealed class RegressionHead : PredictionHead
{
    /// <summary>Creates the head.</summary>
    public RegressionHead()
    {
        OutputColumns = new[]
        {
            new OutputColumn("Score", NumberDataViewType.Single, null, row => (ValueGetter<float>)((ref float value) => value = row().Span[0])),
        };
    }

    /// <inheritdoc/>
    public override PredictionTask Task => PredictionTask.Regression;

    /// <inheritdoc/>
    public override int OutputSize => 1;

    /// <inheritdoc/>
    public override IReadOnlyList<OutputColumn> OutputColumns { get; }

    /// <summary>Builds the head from a <c>Single</c> label column.</summary>
    public static RegressionHead FromLabel(DataViewSchema.Column label) =>
        label.Type == NumberDataViewType.Single
            ? new RegressionHead()
            : throw new SchemaException($"Label column '{label.Name}' has type {label.Type}; regression needs a Single label.");

    /// <inheritdoc/>
    public override Func<float> LabelReader(DataViewRow row, DataViewSchema.Column label)
    {
        var getter = row.GetGetter<float>(label);
        var value = 0f;
        return () =>
        {
            getter(ref value);
            return value;
        };
    }

    /// <inheritdoc/>
    public override Tensor Targets(Tensor labels) => labels.unsqueeze(1);

    /// <inheritdoc/>
    public override Tensor Loss(Tensor output, Tensor targets, TorchTrainerOptions options) =>
        options.HuberDelta is { } delta ? nn.functional.huber_loss(output, targets, delta) : nn.functional.mse_loss(output, targets);

    /// <inheritdoc/>
    public override Tensor Postprocess(Tensor output) => output;
}
