using System.Text.Json.Serialization;
using static TorchSharp.torch;

namespace MlToolkit.Trainers.Torch.Architectures;

/// <summary>
/// A network's shape as data: enough to rebuild the same module in another process before loading its weights.
/// Saved with a kind name from <see cref="NetworkArchitectures"/>: derive your own record from this one, register
/// it there, and pipelines holding it save and load like the built-in ones (a model never instantiates a type the
/// file names).
/// </summary>
[JsonConverter(typeof(NetworkArchitectureConverter))]
public abstract record NetworkArchitecture
{
    /// <summary>Builds a freshly initialised module mapping [batch, ..inputShape] to [batch, outputSize].</summary>
    public abstract nn.Module<Tensor, Tensor> Build(long[] inputShape, int outputSize);
}

/// <summary>Non-linearities the architectures offer.</summary>
public enum Activation
{
    /// <summary>max(0, x).</summary>
    Relu,

    /// <summary>Leaky ReLU with slope 0.01.</summary>
    LeakyRelu,

    /// <summary>Hyperbolic tangent.</summary>
    Tanh,

    /// <summary>Gaussian error linear unit.</summary>
    Gelu,
}

internal static class Activations
{
    public static nn.Module<Tensor, Tensor> Create(Activation activation) => activation switch
    {
        Activation.Relu => nn.ReLU(),
        Activation.LeakyRelu => nn.LeakyReLU(0.01),
        Activation.Tanh => nn.Tanh(),
        Activation.Gelu => nn.GELU(),
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation."),
    };
}
