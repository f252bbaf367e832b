using Microsoft.ML;
using Microsoft.ML.Data;
using MlToolkit.Data;
using MlToolkit.Trainers.Torch.Training;
using static TorchSharp.torch;

namespace MlToolkit.Trainers.Torch.Heads;

/// <summary>
/// Regression: <c>Single</c> label, one output; <c>Score</c>. The network learns the standardized label (mean 0,
/// standard deviation 1 over the training rows) so that learning rates and initial weights suit any label scale;
/// scores are mapped back to label units. Loss MSE, or Huber with its delta given in label units. Reported losses
/// are in standardized units.
/// </summary>
public sealed class RegressionHead : PredictionHead
{
    /// <summary>Creates the head with no scaling (it learns its scaling from the training labels).</summary>
    public RegressionHead() : this(0, 1)
    {
    }

    /// <summary>Creates the head with a known label scaling (a restored model).</summary>
    public RegressionHead(double mean, double scale)
    {
        Mean = mean;
        Scale = scale > 0 && double.IsFinite(scale) ? scale : 1;
        OutputColumns = new[]
        {
            new OutputColumn("Score", NumberDataViewType.Single, null, row => (ValueGetter<float>)((ref float value) => value = row().Span[0])),
        };
    }

    /// <summary>Mean of the training labels, subtracted from targets.</summary>
    public double Mean { get; private set; }

    /// <summary>Standard deviation of the training labels (1 when they do not vary), dividing targets.</summary>
    public double Scale { get; private set; }

    /// <inheritdoc/>
    public override IReadOnlyList<double> State => new[] { Mean, Scale };

    /// <inheritdoc/>
    public override void ObserveLabels(double mean, double standardDeviation)
    {
        Mean = mean;
        Scale = standardDeviation > 1e-12 ? standardDeviation : 1;
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
    public override Tensor Targets(Tensor labels) => labels.Plus(-Mean).Times(1 / Scale).unsqueeze(1);

    /// <inheritdoc/>
    public override Tensor Loss(Tensor output, Tensor targets, TorchTrainerOptions options) =>
        options.HuberDelta is { } delta ? nn.functional.huber_loss(output, targets, delta / Scale) : nn.functional.mse_loss(output, targets);

    /// <inheritdoc/>
    public override Tensor Postprocess(Tensor output) => output.Times(Scale).Plus(Mean);
}
