using MlToolkit.Data;
using MlToolkit.Trainers.Torch.Architectures;

namespace MlToolkit.Trainers.Torch.Persistence;

/// <summary>What a saved torch transformer needs besides its weights; stored as JSON in the model manifest.</summary>
/// <param name="Architecture">The network's shape, to rebuild the module.</param>
/// <param name="Task">The head's task.</param>
/// <param name="ClassNames">Class names (classification).</param>
/// <param name="InputShape">Shape of one example.</param>
/// <param name="FeatureColumnName">Input feature column.</param>
/// <param name="InferenceBatchSize">Rows per forward pass when scoring.</param>
/// <param name="Threads">Torch threads when scoring, if set.</param>
/// <param name="HeadState">What the head learned from the labels (regression: label mean and scale); absent in older files.</param>
/// <param name="WeightFormat">How the weights part is stored (int8 for quantized networks); absent: TorchSharp floats.</param>
/// <param name="HeadKind">The head's registered kind (<see cref="Heads.PredictionHeads"/>); absent in older files, which hold built-in heads.</param>
public sealed record TorchTransformerState(
    NetworkArchitecture Architecture,
    PredictionTask Task,
    IReadOnlyList<string> ClassNames,
    long[] InputShape,
    string FeatureColumnName,
    int InferenceBatchSize,
    int? Threads,
    IReadOnlyList<double>? HeadState = null,
    string? HeadKind = null,
    string? WeightFormat = null);
