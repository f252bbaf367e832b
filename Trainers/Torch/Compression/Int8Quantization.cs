using System.Text;
using MlToolkit.Pipelines.Persistence;
using MlToolkit.Trainers.Torch.Scoring;
using static TorchSharp.torch;

namespace MlToolkit.Trainers.Torch.Compression;

/// <summary>
/// Post-training int8 quantization: every learned weight with two or more dimensions (Linear, Conv, Embedding,
/// recurrent matrices) becomes int8 with a symmetric scale per output channel (scale = max |w| of the row / 127);
/// biases, norms, other vectors and buffers (a fixed position table) stay float. The quantized network scores with the dequantized weights (TorchSharp 0.107
/// has no int8 Linear/Conv), and its model file stores the int8 values and scales, about 4× smaller.
/// </summary>
public static class Int8Quantization
{
    private const string Magic = "MLTQ8v1";

    /// <summary>A copy of <paramref name="transformer"/> whose weights are int8-quantized.</summary>
    public static TorchPredictionTransformer Quantize(TorchPredictionTransformer transformer)
    {
        ArgumentNullException.ThrowIfNull(transformer);
        var network = transformer.Network;
        var quantized = new Dictionary<string, Tensor>();
        var weights = Quantizable(network);
        using (no_grad())
        {
            foreach (var (name, value) in network.Module.state_dict())
            {
                var values = value.detach().cpu();
                if (weights.Contains(name))
                {
                    var (codes, scales) = Encode(values.data<float>().ToArray(), (int)value.shape[0]);
                    quantized[name] = tensor(Decode(codes, scales), value.shape);
                }
                else
                {
                    quantized[name] = values.clone();
                }
            }
        }
        var module = network.Architecture.Build(network.InputShape, network.Head.OutputSize);
        module.load_state_dict(quantized);
        var copy = new TorchNetwork(module, network.Architecture, network.Head, network.InputShape, WeightFormat.Int8PerChannel);
        return new TorchPredictionTransformer(copy, transformer.FeatureColumnName, transformer.InferenceBatchSize, transformer.Threads);
    }

    /// <summary>Writes <paramref name="network"/>'s weights as int8 codes and scales (matrices) and floats (the rest).</summary>
    public static void Write(TorchNetwork network, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(network);
        using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        using var noGrad = no_grad();
        var rebuilt = RebuiltBuffers(network);
        var entries = network.Module.state_dict().Where(e => !rebuilt.Contains(e.Key)).ToList();
        var weights = Quantizable(network);
        writer.Write(entries.Count);
        foreach (var (name, value) in entries)
        {
            writer.Write(name);
            writer.Write((int)value.dtype);
            writer.Write(value.dim());
            foreach (var dim in value.shape)
                writer.Write(dim);
            if (weights.Contains(name))
            {
                var (codes, scales) = Encode(value.detach().cpu().data<float>().ToArray(), (int)value.shape[0]);
                writer.Write((byte)1);
                foreach (var scale in scales)
                    writer.Write(scale);
                writer.Write((byte[])(Array)codes);
            }
            else
            {
                writer.Write((byte)0);
                var bytes = value.detach().cpu().contiguous().bytes;
                writer.Write(bytes.Length);
                writer.Write(bytes);
            }
        }
    }

    /// <summary>Reads what <see cref="Write"/> wrote, as dequantized tensors by state-dict name.</summary>
    /// <exception cref="ModelFormatException">The stream is not int8 weights.</exception>
    public static Dictionary<string, Tensor> Read(Stream stream, string source)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        try
        {
            if (reader.ReadString() != Magic)
                throw new ModelFormatException($"{source}: not int8 weights");
            var count = reader.ReadInt32();
            var tensors = new Dictionary<string, Tensor>(count);
            for (var i = 0; i < count; i++)
            {
                var name = reader.ReadString();
                var dtype = (ScalarType)reader.ReadInt32();
                var shape = Enumerable.Range(0, (int)reader.ReadInt64()).Select(_ => reader.ReadInt64()).ToArray();
                if (reader.ReadByte() == 1)
                {
                    var rows = (int)shape[0];
                    var scales = Enumerable.Range(0, rows).Select(_ => reader.ReadSingle()).ToArray();
                    var codes = (sbyte[])(Array)reader.ReadBytes(checked((int)shape.Aggregate(1L, (a, b) => a * b)));
                    tensors[name] = tensor(Decode(codes, scales), shape);
                }
                else
                {
                    var bytes = reader.ReadBytes(reader.ReadInt32());
                    var restored = empty(shape, dtype);
                    restored.bytes = bytes;
                    tensors[name] = restored;
                }
            }
            return tensors;
        }
        catch (EndOfStreamException e)
        {
            throw new ModelFormatException($"{source}: the int8 weights end early", e);
        }
    }

    /// <summary>
    /// Buffers a fresh build of the architecture makes with the same values (a transformer's sinusoid table): not
    /// stored, since loading builds them again (<see cref="LoadInto"/>).
    /// </summary>
    private static HashSet<string> RebuiltBuffers(TorchNetwork network)
    {
        using var fresh = network.Architecture.Build(network.InputShape, network.Head.OutputSize);
        var built = fresh.named_buffers().ToDictionary(b => b.name, b => b.buffer);
        return network.Module.named_buffers()
            .Where(b => b.buffer.dtype == ScalarType.Float32 && built.TryGetValue(b.name, out var same) && same.shape.SequenceEqual(b.buffer.shape) && same.allclose(b.buffer, rtol: 0, atol: 0))
            .Select(b => b.name).ToHashSet();
    }

    /// <summary>
    /// Loads what <see cref="Write"/> wrote into a freshly built <paramref name="module"/>: every parameter must be
    /// there; a buffer may be absent only because the build already made it.
    /// </summary>
    /// <exception cref="ModelFormatException">The file is not int8 weights or lacks a parameter of the module.</exception>
    public static void LoadInto(nn.Module<Tensor, Tensor> module, Stream stream, string source)
    {
        ArgumentNullException.ThrowIfNull(module);
        var tensors = Read(stream, source);
        var missing = module.named_parameters().Select(p => p.name).Where(n => !tensors.ContainsKey(n)).ToList();
        if (missing.Count > 0)
            throw new ModelFormatException($"{source}: the int8 weights lack {string.Join(", ", missing)}");
        module.load_state_dict(tensors, strict: false);
    }

    /// <summary>The learned matrices and kernels; buffers (a transformer's fixed sinusoid table) stay float.</summary>
    private static HashSet<string> Quantizable(TorchNetwork network) =>
        network.Module.named_parameters().Where(p => p.parameter.dtype == ScalarType.Float32 && p.parameter.dim() >= 2).Select(p => p.name).ToHashSet();

    private static (sbyte[] Codes, float[] Scales) Encode(float[] values, int rows) => Encode(values, new long[] { rows, values.Length / rows }, axis: 0);

    /// <summary>
    /// The scheme itself: int8 codes of <paramref name="values"/> (shaped <paramref name="dims"/>) with one symmetric
    /// scale per slice along <paramref name="axis"/> (max |w| of the slice / 127; 1 for an all-zero slice).
    /// </summary>
    public static (sbyte[] Codes, float[] Scales) Encode(float[] values, long[] dims, int axis)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(dims);
        var channels = dims[axis];
        var inner = dims.Skip(axis + 1).Aggregate(1L, (a, b) => a * b);
        long Channel(long i) => i / inner % channels;
        var scales = new float[channels];
        for (long i = 0; i < values.Length; i++)
            scales[Channel(i)] = Math.Max(scales[Channel(i)], Math.Abs(values[i]));
        for (var c = 0; c < channels; c++)
            scales[c] = scales[c] > 0 ? scales[c] / 127f : 1f;
        var codes = new sbyte[values.Length];
        for (long i = 0; i < values.Length; i++)
            codes[i] = (sbyte)Math.Clamp(MathF.Round(values[i] / scales[Channel(i)]), -127, 127);
        return (codes, scales);
    }

    private static float[] Decode(sbyte[] codes, float[] scales)
    {
        var width = codes.Length / scales.Length;
        var values = new float[codes.Length];
        for (var i = 0; i < codes.Length; i++)
            values[i] = codes[i] * scales[i / width];
        return values;
    }
}
