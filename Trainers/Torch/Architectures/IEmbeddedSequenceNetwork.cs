using static TorchSharp.torch;

namespace MlToolkit.Trainers.Torch.Architectures;

/// <summary>
/// A sequence network whose forward pass splits at its token embeddings, so attributions can be taken with respect to
/// the embeddings (integrated gradients on text).
/// </summary>
public interface IEmbeddedSequenceNetwork
{
    /// <summary>Embeds the token ids: states [batch, time, width] and the mask of real (non-padding) tokens.</summary>
    (Tensor States, Tensor Mask) Embed(Tensor features);

    /// <summary>The rest of the forward pass from embedded states.</summary>
    Tensor ForwardEmbedded(Tensor states, Tensor mask);
}
