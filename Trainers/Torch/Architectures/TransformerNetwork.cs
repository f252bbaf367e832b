using MlToolkit.Trainers.Torch.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MlToolkit.Trainers.Torch.Architectures;

/// <summary>The module built from a <see cref="TransformerArchitecture"/>.</summary>
internal sealed class TransformerNetwork : nn.Module<Tensor, Tensor>, IEmbeddedSequenceNetwork
{
    private readonly SequenceInput input;
    private readonly Embedding? positions;
    private readonly ModuleList<EncoderBlock> blocks;
    private readonly LayerNorm finalNorm;
    private readonly Dropout dropout;
    private readonly Linear output;
    private readonly Tensor? sinusoids;
    private readonly TransformerArchitecture _spec;

    public TransformerNetwork(TransformerArchitecture spec, long inputLength, int outputSize) : base("transformer")
    {
        if (spec.ModelDim % spec.Heads != 0)
            throw new ArgumentException($"ModelDim {spec.ModelDim} is not divisible by Heads {spec.Heads}.");
        _spec = spec;
        input = new SequenceInput(spec.VocabularySize, spec.ModelDim, null, inputLength);
        if (spec.Positional == PositionalEncoding.Learned)
            positions = nn.Embedding(inputLength, spec.ModelDim);
        else
            sinusoids = Sinusoids(inputLength, spec.ModelDim);
        blocks = new ModuleList<EncoderBlock>(Enumerable.Range(0, spec.Layers).Select(_ => new EncoderBlock(spec.ModelDim, spec.Heads, spec.FeedForwardDim, spec.Dropout, spec.PreNorm)).ToArray());
        finalNorm = nn.LayerNorm(spec.ModelDim);
        dropout = nn.Dropout(spec.Dropout);
        output = nn.Linear(spec.ModelDim, outputSize);
        RegisterComponents();
    }

    public Embedding? Embedding => input.Embedding;

    public override Tensor forward(Tensor features)
    {
        var (tokens, mask) = input.forward(features);
        return ForwardEmbedded(tokens, mask);
    }

    public (Tensor States, Tensor Mask) Embed(Tensor features) => input.forward(features);

    public Tensor ForwardEmbedded(Tensor tokens, Tensor mask)
    {
        var steps = tokens.shape[1];
        var scaled = tokens.Times(Math.Sqrt(_spec.ModelDim));
        var position = positions is not null
            ? positions.forward(HeldScalars.Range(steps, ScalarType.Int64, tokens.device)).unsqueeze(0)
            : sinusoids!.narrow(0, 0, steps).unsqueeze(0);
        var x = dropout.forward(scaled.Plus(position));
        // Position 0 always stays attendable, so an all-padding (empty) text gives zeros, not NaN.
        var attend = mask.clone();
        attend[.., 0] = true;
        attend = attend.view(mask.shape[0], 1, 1, steps);
        foreach (var block in blocks)
            x = block.forward(x, attend);
        var states = x;
        if (_spec.PreNorm)
            states = finalNorm.forward(states);
        return output.forward(dropout.forward(Pooling.Apply(states, mask, _spec.Pooling)));
    }

    private static Tensor Sinusoids(long length, int width) => tensor(PositionalEncodings.Sinusoids(length, width), new[] { length, (long)width });
}
