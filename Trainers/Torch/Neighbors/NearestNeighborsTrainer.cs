using MlToolkit.Data;
using MlToolkit.Trainers.Torch.Training;
using static TorchSharp.torch;

namespace MlToolkit.Trainers.Torch.Neighbors;

/// <summary>
/// k-nearest neighbours (exact, Euclidean) for multiclass, binary classification or regression: the prediction
/// averages the labels of the k closest training rows, found with one batched distance computation in TorchSharp.
/// Scale the features first (e.g. <c>NormalizeMinMax</c>): every feature counts by its range. Create it from a task
/// catalog: <c>mlContext.MulticlassClassification.Trainers.NearestNeighbors()</c>.
/// </summary>
public sealed class NearestNeighborsTrainer : ClosedFormTrainerBase<NearestNeighborsTrainer.Options>
{
    /// <summary>Creates the trainer for <paramref name="task"/>; the options are validated and copied.</summary>
    public NearestNeighborsTrainer(PredictionTask task, Options options) : base(task, options)
    {
    }

    /// <summary>Nearest-neighbour settings.</summary>
    public sealed class Options : ClosedFormTrainerOptions
    {
        /// <summary>k, the neighbours that vote. Default 5 (as scikit-learn).</summary>
        public int Neighbors { get; set; } = 5;

        /// <summary>How their votes are weighted. Default <see cref="NeighborWeighting.Uniform"/>.</summary>
        public NeighborWeighting Weighting { get; set; } = NeighborWeighting.Uniform;

        /// <inheritdoc/>
        public override void Validate()
        {
            base.Validate();
            ArgumentOutOfRangeException.ThrowIfLessThan(Neighbors, 1, nameof(Neighbors));
            if (!Enum.IsDefined(Weighting))
                throw new ArgumentOutOfRangeException(nameof(Weighting), Weighting, $"{nameof(Weighting)} must be one of {string.Join(", ", Enum.GetNames<NeighborWeighting>())}.");
        }
    }

    /// <inheritdoc/>
    protected override ClosedFormModel Solve(Options options, TrainingRows rows)
    {
        var architecture = new NearestNeighborsArchitecture(checked((int)rows.Count), options.Neighbors, options.Weighting, rows.Output);
        return new ClosedFormModel(architecture, new Dictionary<string, Tensor>
        {
            ["examples"] = rows.Features,
            ["targets"] = rows.Targets.to_type(ScalarType.Float32),
        });
    }
}
