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

    /// <summary>
    /// The LSTM, always run with gradient tracking on. libtorch 2.10's CPU LSTM takes another path under no_grad whose
    /// outputs are not the LSTM's: 0.11–0.95 apart from the same module with tracking on, even for one step of a fresh
    /// module (measured on this machine; the GRU has no such path). Scoring and validation run under no_grad, so without
    /// this they computed a different function from the one trained, exported or written down.
    /// </summary>
    private Tensor Lstm(Tensor states)
    {
        var tracking = is_grad_enabled();
        Tensor sequence;
        using (enable_grad())
            sequence = lstm!.forward(states).Item1;
        return tracking ? sequence : sequence.detach();
    }

    public Tensor ForwardEmbedded(Tensor states, Tensor mask)
    {
        states = dropout.forward(states);
        var sequence = lstm is not null ? Lstm(states) : gru!.forward(states, null).Item1;
        return output.forward(dropout.forward(Pooling.Apply(sequence, mask, _pooling)));
    }
}
