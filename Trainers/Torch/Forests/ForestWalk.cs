using TorchSharp;
using static TorchSharp.torch;

namespace MlToolkit.Trainers.Torch.Forests;

/// <summary>
/// Scores rows by walking each tree in managed code, over the forest module's buffers in place: a row stops at its
/// leaf instead of taking <see cref="ForestArchitecture.Depth"/> steps of tensor gathers in every tree, which made one
/// row cost about 180 µs through a prediction engine. The leaves' values are summed in float64 and divided once.
/// </summary>
internal static class ForestWalk
{
    // Below this many rows one thread walks them all: a service's single request pays no scheduling.
    private const int RowsPerTask = 64;

    /// <summary>The average of the trees' leaf values for each row of <paramref name="x"/> (float32 [rows, width], on the CPU).</summary>
    public static float[] Average(Tensor x, ForestBuffers forest, int depth)
    {
        var rows = (int)x.shape[0];
        var width = (int)x.shape[1];
        var averages = new float[rows * forest.Outputs];
        var blocks = (rows + RowsPerTask - 1) / RowsPerTask;
        if (blocks <= 1)
            Walk(forest, x, width, 0, rows, depth, averages);
        else
            Parallel.For(0, blocks, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, torch.get_num_threads()) },
                block => Walk(forest, x, width, block * RowsPerTask, Math.Min(rows, (block + 1) * RowsPerTask), depth, averages));
        return averages;
    }

    private static void Walk(ForestBuffers forest, Tensor input, int width, int start, int end, int depth, float[] averages)
    {
        var table = ForestBuffers.Of<float>(input);
        var feature = forest.Feature;
        var threshold = forest.Threshold;
        var left = forest.Left;
        var right = forest.Right;
        var values = forest.Values;
        var roots = forest.Roots;
        var outputs = forest.Outputs;
        Span<double> sums = outputs <= 256 ? stackalloc double[outputs] : new double[outputs];
        for (var row = start; row < end; row++)
        {
            var x = table.Slice(row * width, width);
            sums.Clear();
            foreach (var root in roots)
            {
                var node = root;
                // As the tensor walk did: at most Depth steps, a leaf pointing to itself; NaN compares false and goes right.
                for (var step = 0; step < depth && left[(int)node] != node; step++)
                    node = x[(int)feature[(int)node]] <= threshold[(int)node] ? left[(int)node] : right[(int)node];
                var leaf = values.Slice((int)node * outputs, outputs);
                for (var o = 0; o < outputs; o++)
                    sums[o] += leaf[o];
            }
            for (var o = 0; o < outputs; o++)
                averages[row * outputs + o] = (float)(sums[o] / roots.Length);
        }
    }
}

/// <summary>
/// The forest module's buffers read in place (CPU, contiguous), as bounds-checked spans: a model file whose links point
/// outside its nodes fails with an index error instead of reading stray memory.
/// </summary>
internal readonly struct ForestBuffers(Tensor feature, Tensor threshold, Tensor left, Tensor right, Tensor values, Tensor roots)
{
    public int Outputs => (int)values.shape[1];

    public ReadOnlySpan<long> Feature => Of<long>(feature);

    public ReadOnlySpan<float> Threshold => Of<float>(threshold);

    public ReadOnlySpan<long> Left => Of<long>(left);

    public ReadOnlySpan<long> Right => Of<long>(right);

    public ReadOnlySpan<float> Values => Of<float>(values);

    public ReadOnlySpan<long> Roots => Of<long>(roots);

    /// <summary>A CPU tensor's elements in place (TorchSharp's <c>bytes</c> does not copy a contiguous CPU tensor).</summary>
    public static ReadOnlySpan<T> Of<T>(Tensor tensor) where T : unmanaged => System.Runtime.InteropServices.MemoryMarshal.Cast<byte, T>(tensor.bytes);
}
