using MlToolkit.Data;
using static TorchSharp.torch;

namespace MlToolkit.Trainers.Torch.Architectures;

/// <summary>One convolution block: Conv2d (same padding) → [BatchNorm] → ReLU → [MaxPool].</summary>
/// <param name="Channels">Output channels.</param>
/// <param name="KernelSize">Square kernel size (odd).</param>
/// <param name="Pool">Max-pooling window and stride after the block; 1 means no pooling.</param>
/// <param name="BatchNorm">Batch normalization after the convolution.</param>
public sealed record ConvBlock(int Channels, int KernelSize = 3, int Pool = 2, bool BatchNorm = false);

/// <summary>A convolutional image classifier: conv blocks over a C×H×W input, then dense layers with dropout.</summary>
/// <param name="Blocks">Convolution blocks, input side first.</param>
/// <param name="DenseLayers">Widths of the hidden dense layers after flattening.</param>
/// <param name="Dropout">Dropout before each dense layer (0 disables).</param>
public sealed record CnnArchitecture(IReadOnlyList<ConvBlock> Blocks, IReadOnlyList<int> DenseLayers, double Dropout) : NetworkArchitecture
{
    /// <inheritdoc/>
    public override nn.Module<Tensor, Tensor> Build(long[] inputShape, int outputSize)
    {
        if (inputShape.Length != 3)
            throw new SchemaException($"A CNN needs a C×H×W input, got [{string.Join("×", inputShape)}].");
        var layers = new List<(string, nn.Module<Tensor, Tensor>)>();
        long channels = inputShape[0], height = inputShape[1], width = inputShape[2];
        for (var i = 0; i < Blocks.Count; i++)
        {
            var block = Blocks[i];
            layers.Add(($"conv{i}", nn.Conv2d(channels, block.Channels, block.KernelSize, padding: block.KernelSize / 2)));
            if (block.BatchNorm)
                layers.Add(($"norm{i}", nn.BatchNorm2d(block.Channels)));
            layers.Add(($"relu{i}", nn.ReLU()));
            if (block.Pool > 1)
            {
                if (height < block.Pool || width < block.Pool)
                    throw new SchemaException($"Conv block {i} pools {block.Pool}×{block.Pool} but its input is only {height}×{width}; the data is too small an image for this network (use fewer pooling blocks or larger images).");
                layers.Add(($"pool{i}", nn.MaxPool2d(block.Pool)));
                height /= block.Pool;
                width /= block.Pool;
            }
            channels = block.Channels;
        }
        layers.Add(("flatten", nn.Flatten()));
        var size = channels * height * width;
        for (var i = 0; i < DenseLayers.Count; i++)
        {
            if (Dropout > 0)
                layers.Add(($"dropout{i}", nn.Dropout(Dropout)));
            layers.Add(($"dense{i}", nn.Linear(size, DenseLayers[i])));
            layers.Add(($"dense_relu{i}", nn.ReLU()));
            size = DenseLayers[i];
        }
        if (Dropout > 0)
            layers.Add(("dropout_out", nn.Dropout(Dropout)));
        layers.Add(("output", nn.Linear(size, outputSize)));
        return nn.Sequential(layers);
    }
}
