using static TorchSharp.torch;

namespace MlToolkit.Trainers.Torch.Architectures;

/// <summary>A multilayer perceptron: per hidden layer Linear → [BatchNorm] → activation → [Dropout], then a Linear output layer.</summary>
/// <param name="HiddenLayers">Widths of the hidden layers, input side first.</param>
/// <param name="Activation">The non-linearity.</param>
/// <param name="BatchNorm">Batch normalization after each hidden Linear layer.</param>
/// <param name="Dropout">Dropout probability after each hidden layer (0 disables).</param>
public sealed record MlpArchitecture(IReadOnlyList<int> HiddenLayers, Activation Activation, bool BatchNorm, double Dropout) : NetworkArchitecture
{
    /// <inheritdoc/>
    public override nn.Module<Tensor, Tensor> Build(long[] inputShape, int outputSize)
    {
        var layers = new List<(string, nn.Module<Tensor, Tensor>)>();
        var width = inputShape.Aggregate(1L, (a, b) => a * b);
        if (inputShape.Length > 1)
            layers.Add(("flatten", nn.Flatten()));
        for (var i = 0; i < HiddenLayers.Count; i++)
        {
            layers.Add(($"linear{i}", nn.Linear(width, HiddenLayers[i])));
            if (BatchNorm)
                layers.Add(($"norm{i}", nn.BatchNorm1d(HiddenLayers[i])));
            layers.Add(($"act{i}", Activations.Create(Activation)));
            if (Dropout > 0)
                layers.Add(($"dropout{i}", nn.Dropout(Dropout)));
            width = HiddenLayers[i];
        }
        layers.Add(("output", nn.Linear(width, outputSize)));
        return nn.Sequential(layers);
    }
}
