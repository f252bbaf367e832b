using MlToolkit.Data;
using static TorchSharp.torch;

namespace MlToolkit.Trainers.Torch.Training;

/// <summary>What a closed-form module's output means to the task head that reads it.</summary>
public enum ClosedFormOutput
{
    /// <summary>Multiclass: class scores the head's softmax turns into probabilities.</summary>
    ClassLogits,

    /// <summary>Binary: one logit the head's sigmoid turns into P(true).</summary>
    BinaryLogit,

    /// <summary>Regression: the standardized value the head rescales.</summary>
    Value,
}

/// <summary>Turns averaged targets into what each output kind's head expects.</summary>
public static class ClosedFormOutputs
{
    private const double Floor = 1e-6;

    /// <summary>The output kind for <paramref name="task"/>.</summary>
    public static ClosedFormOutput For(PredictionTask task) => task switch
    {
        PredictionTask.MulticlassClassification => ClosedFormOutput.ClassLogits,
        PredictionTask.BinaryClassification => ClosedFormOutput.BinaryLogit,
        _ => ClosedFormOutput.Value,
    };

    /// <summary>
    /// Logits whose softmax (or sigmoid) gives back <paramref name="probabilities"/>, floored so that a class no
    /// neighbour voted for keeps a small probability instead of an infinite log-loss.
    /// </summary>
    public static Tensor FromProbabilities(Tensor probabilities, ClosedFormOutput output) => output switch
    {
        ClosedFormOutput.ClassLogits => probabilities.AtLeast(Floor).log(),
        ClosedFormOutput.BinaryLogit => probabilities.Clamped(Floor, 1 - Floor).log().sub(probabilities.neg().Plus(1).Clamped(Floor, 1 - Floor).log()),
        _ => probabilities,
    };
}
