using MlToolkit.Trainers.Torch.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MlToolkit.Trainers.Torch.Architectures;

/// <summary>Embeds token ids, or projects numeric steps, so that every sequence model starts from [batch, time, width].</summary>
internal sealed class SequenceInput : nn.Module<Tensor, (Tensor States, Tensor Mask)>
{
    private readonly Embedding? embedding;
    private readonly Linear? projection;
    private readonly long _steps;
    private readonly long _perStep;
    private readonly long _vocabulary;

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
            _vocabulary = vocabularySize;
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
        // The vocabulary is what the training rows held: an id only the validation or scored rows hold has no trained
        // embedding and is read as padding (ignored) instead of failing the lookup.
        var ids = input.to_type(ScalarType.Int64);
        ids = ids.FilledWhere(ids.GreaterOrEqualTo(_vocabulary), 0);
        return (embedding!.forward(ids), ids.NotEqualTo(0));
    }
}
