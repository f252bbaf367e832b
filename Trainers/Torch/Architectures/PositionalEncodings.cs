namespace MlToolkit.Trainers.Torch.Architectures;

/// <summary>The fixed sinusoidal position table of the transformer encoder (shared with exporters, which must write the same numbers).</summary>
public static class PositionalEncodings
{
    /// <summary>[<paramref name="length"/>, <paramref name="width"/>] row-major: sin on even, cos on odd dimensions, wavelengths up to 10,000·2π.</summary>
    public static float[] Sinusoids(long length, int width)
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
        return table;
    }
}
