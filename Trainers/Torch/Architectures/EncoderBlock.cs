using MlToolkit.Trainers.Torch.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MlToolkit.Trainers.Torch.Architectures;

/// <summary>
/// One transformer encoder block with pre- or post-norm residual connections. Attention runs through libtorch's
/// fused <c>scaled_dot_product_attention</c> on batch-first tensors.
/// </summary>
internal sealed class EncoderBlock : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly Linear qkv;
    private readonly Linear projection;
    private readonly LayerNorm norm1;
    private readonly LayerNorm norm2;
    private readonly Linear expand;
    private readonly Linear contract;
    private readonly Dropout dropout;
    private readonly int _heads;
    private readonly bool _preNorm;

    public EncoderBlock(int width, int heads, int feedForward, double dropoutRate, bool preNorm) : base("block")
    {
        qkv = nn.Linear(width, 3 * width);
        projection = nn.Linear(width, width);
        norm1 = nn.LayerNorm(width);
        norm2 = nn.LayerNorm(width);
        expand = nn.Linear(width, feedForward);
        contract = nn.Linear(feedForward, width);
        dropout = nn.Dropout(dropoutRate);
        _heads = heads;
        _preNorm = preNorm;
        RegisterComponents();
    }

    /// <summary><paramref name="x"/> is [batch, time, width]; <paramref name="attend"/> is [batch, 1, 1, time], true where a key may be attended.</summary>
    public override Tensor forward(Tensor x, Tensor attend)
    {
        if (_preNorm)
        {
            x = x.Plus(Attend(norm1.forward(x), attend));
            return x.Plus(FeedForward(norm2.forward(x)));
        }
        x = norm1.forward(x.Plus(Attend(x, attend)));
        return norm2.forward(x.Plus(FeedForward(x)));
    }

    private Tensor Attend(Tensor h, Tensor attend)
    {
        long batch = h.shape[0], steps = h.shape[1], width = h.shape[2];
        var parts = qkv.forward(h).view(batch, steps, 3, _heads, width / _heads).permute(2, 0, 3, 1, 4);
        // No dropout on the attention weights: with it libtorch leaves its fused kernel for a path 4× slower on CPU.
        var attended = nn.functional.scaled_dot_product_attention(parts[0], parts[1], parts[2], attend);
        return dropout.forward(projection.forward(attended.transpose(1, 2).reshape(batch, steps, width)));
    }

    private Tensor FeedForward(Tensor h) => dropout.forward(contract.forward(dropout.forward(nn.functional.gelu(expand.forward(h)))));
}
