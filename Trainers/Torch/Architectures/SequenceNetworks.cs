using MlToolkit.Trainers.Torch.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MlToolkit.Trainers.Torch.Architectures;

/// <summary>Pooling of [batch, time, width] states under a [batch, time] mask of real positions.</summary>
internal static class Pooling
{
    public static Tensor Apply(Tensor states, Tensor mask, SequencePooling pooling)
    {
        switch (pooling)
        {
            case SequencePooling.First:
                return states.select(1, 0);
            case SequencePooling.Last:
                var last = mask.sum(1).Plus(-1).AtLeast(0).to_type(ScalarType.Int64);
                var index = last.view(-1, 1, 1).expand(-1, 1, states.shape[2]);
                return states.gather(1, index).squeeze(1);
            default:
                var weights = mask.unsqueeze(2).to_type(states.dtype);
                return (states * weights).sum(1) / weights.sum(1).AtLeast(1);
        }
    }
}

/// <summary>Embeds token ids, or projects numeric steps, so that every sequence model starts from [batch, time, width].</summary>
internal sealed class SequenceInput : nn.Module<Tensor, (Tensor States, Tensor Mask)>
{
    private readonly Embedding? embedding;
    private readonly Linear? projection;
    private readonly long _steps;
    private readonly long _perStep;

    public SequenceInput(int vocabularySize, int width, int? featuresPerStep, long inputLength) : base("input")
    {
        if (featuresPerStep is { } perStep)
        {
            if (inputLength % perStep != 0)
                throw new ArgumentException($"The feature vector holds {inputLength} values, not a whole number of steps of {perStep}.");
            _perStep = perStep;
            _steps = inputLength / perStep;
            projection = nn.Linear(perStep, width);
        }
        else
        {
            _steps = inputLength;
            embedding = nn.Embedding(vocabularySize, width, padding_idx: 0);
        }
        RegisterComponents();
    }

    public Embedding? Embedding => embedding;

    public override (Tensor States, Tensor Mask) forward(Tensor input)
    {
        if (projection is not null)
        {
            var steps = input.view(input.shape[0], _steps, _perStep);
            return (projection.forward(steps), ones(input.shape[0], _steps, dtype: ScalarType.Bool, device: input.device));
        }
        var ids = input.to_type(ScalarType.Int64);
        return (embedding!.forward(ids), ids.NotEqualTo(0));
    }
}

/// <summary>The module built from an <see cref="RnnArchitecture"/>.</summary>
internal sealed class RnnNetwork : nn.Module<Tensor, Tensor>
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
        states = dropout.forward(states);
        var sequence = lstm is not null ? lstm.forward(states).Item1 : gru!.forward(states, null).Item1;
        return output.forward(dropout.forward(Pooling.Apply(sequence, mask, _pooling)));
    }
}

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
            x = x + Attend(norm1.forward(x), attend);
            return x + FeedForward(norm2.forward(x));
        }
        x = norm1.forward(x + Attend(x, attend));
        return norm2.forward(x + FeedForward(x));
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

/// <summary>The module built from a <see cref="TransformerArchitecture"/>.</summary>
internal sealed class TransformerNetwork : nn.Module<Tensor, Tensor>
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
        var steps = tokens.shape[1];
        var scaled = tokens.Times(Math.Sqrt(_spec.ModelDim));
        var position = positions is not null
            ? positions.forward(arange(steps, dtype: ScalarType.Int64, device: features.device)).unsqueeze(0)
            : sinusoids!.narrow(0, 0, steps).unsqueeze(0);
        var x = dropout.forward(scaled + position);
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

    private static Tensor Sinusoids(long length, int width)
    {
        var table = new float[length * width];
        for (long position = 0; position < length; position++)
        {
            for (var i = 0; i < width; i += 2)
            {
                var angle = position / Math.Pow(10000, (double)i / width);
                table[position * width + i] = (float)Math.Sin(angle);
                if (i + 1 < width)
                    table[position * width + i + 1] = (float)Math.Cos(angle);
            }
        }
        return tensor(table, new[] { length, (long)width });
    }
}
