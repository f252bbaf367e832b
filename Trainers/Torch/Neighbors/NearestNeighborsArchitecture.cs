using MlToolkit.Trainers.Torch.Architectures;
using MlToolkit.Trainers.Torch.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace MlToolkit.Trainers.Torch.Neighbors;

/// <summary>How the k nearest neighbours' votes are weighted.</summary>
public enum NeighborWeighting
{
    /// <summary>Every neighbour counts the same.</summary>
    Uniform,

    /// <summary>Each neighbour counts 1 / distance, so closer ones count more.</summary>
    Distance,
}

/// <summary>
/// A k-nearest-neighbours model as a network: the training rows and their targets are buffers, and the forward pass
/// averages the targets of the <see cref="Neighbors"/> closest rows (Euclidean distance, computed for the whole batch
/// at once).
/// </summary>
/// <param name="Rows">Training rows kept.</param>
/// <param name="Neighbors">k.</param>
/// <param name="Weighting">How votes are weighted.</param>
/// <param name="Output">What the output means to the head.</param>
public sealed record NearestNeighborsArchitecture(int Rows, int Neighbors, NeighborWeighting Weighting, ClosedFormOutput Output) : NetworkArchitecture
{
    /// <inheritdoc/>
    public override nn.Module<Tensor, Tensor> Build(long[] inputShape, int outputSize) =>
        new NearestNeighborsModule(this, inputShape.Aggregate(1L, (a, b) => a * b), outputSize);
}

internal sealed class NearestNeighborsModule : nn.Module<Tensor, Tensor>
{
    private const double ExactMatch = 1e-12;
    private const long DistanceElements = 1 << 20;
    private readonly NearestNeighborsArchitecture _shape;
    private readonly Tensor _examples;
    private readonly Tensor _targets;

    public NearestNeighborsModule(NearestNeighborsArchitecture shape, long featureSize, int outputSize) : base("nearest_neighbors")
    {
        _shape = shape;
        _examples = zeros(shape.Rows, featureSize);
        _targets = zeros(shape.Rows, outputSize);
        register_buffer("examples", _examples);
        register_buffer("targets", _targets);
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = input.reshape(input.shape[0], -1);
        // A distance matrix of a few MiB per step: larger ones are fresh mmaps that the kernel must zero page by page
        // (46,400 examples × 256 rows: scoring 11,600 rows took 22 s, 18 s of it in the kernel; in 4-MiB chunks 6.5 s).
        var rows = (int)Math.Max(1, DistanceElements / Math.Max(1, _shape.Rows));
        var exampleNorms = SquaredDistances.Norms(_examples);
        var votes = x.shape[0] <= rows ? Vote(x, exampleNorms) : cat(x.split(rows).Select(chunk => Vote(chunk, exampleNorms)).ToList(), 0);
        return votes.MoveToOuterDisposeScope();
    }

    private Tensor Vote(Tensor x, Tensor exampleNorms)
    {
        var distances = SquaredDistances.Between(x, _examples, exampleNorms);
        var k = (int)Math.Min(_shape.Neighbors, _shape.Rows);
        var (index, nearest) = Choose(x, distances, k);
        var weights = _shape.Weighting == NeighborWeighting.Distance ? DistanceWeights(nearest) : ones_like(nearest);
        var votes = _targets.index_select(0, index.reshape(-1)).reshape(x.shape[0], k, _targets.shape[1]);
        var average = weights.unsqueeze(2).mul(votes).sum(1).div(weights.sum(1, keepdim: true));
        return ClosedFormOutputs.FromProbabilities(average, _shape.Output);
    }

    /// <summary>
    /// The k nearest rows and their squared distances, measured as differences. The product form leaves a rounding
    /// residue where a row meets its exact twin (‖x‖² + ‖y‖² − 2x·y is not 0), so twice k candidates are taken on it and
    /// measured again; the k nearest of those are chosen with ties going to the lower row number (a stable sort of the
    /// candidates in row order), so that duplicated training rows are chosen the same way everywhere, ONNX included.
    /// </summary>
    private (Tensor Index, Tensor Distances) Choose(Tensor x, Tensor distances, int k)
    {
        var candidates = (int)Math.Min(2L * k, _shape.Rows);
        var inRowOrder = distances.topk(candidates, dim: 1, largest: false).indexes.sort(dim: 1).Values;
        var rows = _examples.index_select(0, inRowOrder.reshape(-1)).reshape(x.shape[0], candidates, -1);
        var measured = rows.sub(x.unsqueeze(1)).Squared().sum(2);
        var (sorted, position) = measured.sort(dim: 1, stable: true);
        var first = position.narrow(1, 0, k);
        return (inRowOrder.gather(1, first), sorted.narrow(1, 0, k));
    }

    /// <summary>1 / distance; a row at distance 0 takes all the weight (with its exact twins), as scikit-learn does.</summary>
    private static Tensor DistanceWeights(Tensor squared)
    {
        var exact = squared.LessOrEqualTo(ExactMatch);
        var inverse = squared.AtLeast(ExactMatch).sqrt().reciprocal();
        var anyExact = exact.any(1, keepdim: true);
        return where(anyExact, exact.to_type(inverse.dtype), inverse);
    }
}

/// <summary>Pairwise squared Euclidean distances, as one matrix product.</summary>
public static class SquaredDistances
{
    /// <summary>[a, b] distances between the rows of <paramref name="x"/> [a, d] and <paramref name="y"/> [b, d], never negative.</summary>
    public static Tensor Between(Tensor x, Tensor y) => Between(x, y, Norms(y));

    /// <summary>
    /// As <see cref="Between(Tensor, Tensor)"/> with <paramref name="y"/>'s <see cref="Norms"/> given, for callers that
    /// compare many chunks of rows against the same <paramref name="y"/>.
    /// </summary>
    public static Tensor Between(Tensor x, Tensor y, Tensor yNorms) =>
        // In place after the product: one [a, b] matrix instead of five.
        x.matmul(y.t()).TimesInPlace(-2).PlusInPlace(yNorms.unsqueeze(0)).PlusInPlace(Norms(x).unsqueeze(1)).AtLeastInPlace(0);

    /// <summary>[n] squared Euclidean norms of the rows of <paramref name="rows"/> [n, d].</summary>
    public static Tensor Norms(Tensor rows) => rows.Squared().sum(1);
}
