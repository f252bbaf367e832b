using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MlToolkit.Trainers.Torch.Architectures;

/// <summary>The module built from an <see cref="RnnArchitecture"/>.</summary>
internal sealed class RnnNetwork : nn.Module<Tensor, Tensor>, IEmbeddedSequenceNetwork
{
    private readonly SequenceInput input;
    private readonly LSTM? lstm;
    private readonly GRU? gru;
    private readonly Dropout dropout;
    private readonly Linear output;
    private readonly SequencePooling _pooling;

    public RnnNetwork(RnnArchitecture spec, long inputLength, int outputSize) : base("rnn")
    {
        input = new SequenceInput(spec.VocabularySize, spec.EmbeddingDim, spec.FeaturesPerStep, inputLength);
        var between = spec.Layers > 1 ? spec.Dropout : 0;
        if (spec.Cell == RnnCell.Lstm)
            lstm = nn.LSTM(spec.EmbeddingDim, spec.HiddenSize, spec.Layers, batchFirst: true, dropout: between, bidirectional: spec.Bidirectional);
        else
            gru = nn.GRU(spec.EmbeddingDim, spec.HiddenSize, spec.Layers, batchFirst: true, dropout: between, bidirectional: spec.Bidirectional);
        dropout = nn.Dropout(spec.Dropout);
        output = nn.Linear(spec.HiddenSize * (spec.Bidirectional ? 2 : 1), outputSize);
        _pooling = spec.Pooling;
        RegisterComponents();
    }

    public Embedding? Embedding => input.Embedding;

    public override Tensor forward(Tensor features)
    {
        var (states, mask) = input.forward(features);
        return ForwardEmbedded(states, mask);
    }

    public (Tensor States, Tensor Mask) Embed(Tensor features) => input.forward(features);

    public Tensor ForwardEmbedded(Tensor states, Tensor mask)
    {
        states = dropout.forward(states);
        var sequence = lstm is not null ? lstm.forward(states).Item1 : gru!.forward(states, null).Item1;
        return output.forward(dropout.forward(Pooling.Apply(sequence, mask, _pooling)));
    }
}
