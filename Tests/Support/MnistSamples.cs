using System.Buffers.Binary;
using System.IO.Compression;
using SkiaSharp;

namespace MlToolkit.Tests.Support;

/// <summary>Small MNIST-derived files written by tests: IDX subsets and PNG image folders.</summary>
public static class MnistSamples
{
    /// <summary>The MNIST subset shipped with the tests (<c>Tests/TestData/mnist</c>: 2,000 training and 500 test images).</summary>
    public static string Folder { get; } = Path.Combine(RepoPaths.Root, "Tests", "TestData", "mnist");

    /// <summary>How many training images the shipped subset holds.</summary>
    public const int TrainCount = 2000;

    /// <summary>How many test images the shipped subset holds.</summary>
    public const int TestCount = 500;

    public static string TrainImages => Path.Combine(Folder, "train-images-idx3-ubyte.gz");
    public static string TrainLabels => Path.Combine(Folder, "train-labels-idx1-ubyte.gz");
    public static string TestImages => Path.Combine(Folder, "t10k-images-idx3-ubyte.gz");
    public static string TestLabels => Path.Combine(Folder, "t10k-labels-idx1-ubyte.gz");

    /// <summary>The first <paramref name="count"/> MNIST training images (28×28 bytes each) and labels.</summary>
    public static (byte[][] Images, byte[] Labels) Read(int count, bool test = false)
    {
        using var images = new GZipStream(File.OpenRead(test ? TestImages : TrainImages), CompressionMode.Decompress);
        using var labels = new GZipStream(File.OpenRead(test ? TestLabels : TrainLabels), CompressionMode.Decompress);
        images.ReadExactly(new byte[16]);
        labels.ReadExactly(new byte[8]);
        var pixels = new byte[count][];
        var classes = new byte[count];
        for (var i = 0; i < count; i++)
        {
            pixels[i] = new byte[28 * 28];
            images.ReadExactly(pixels[i]);
            classes[i] = (byte)labels.ReadByte();
        }
        return (pixels, classes);
    }

    /// <summary>Writes an IDX images/labels pair (gzip when the name ends in .gz).</summary>
    public static void WriteIdx(string imagesPath, string labelsPath, byte[][] images, byte[] labels)
    {
        using (var stream = Open(imagesPath))
        {
            stream.Write(new byte[] { 0, 0, 8, 3 });
            WriteInt(stream, images.Length);
            WriteInt(stream, 28);
            WriteInt(stream, 28);
            foreach (var image in images)
                stream.Write(image);
        }
        using (var stream = Open(labelsPath))
        {
            stream.Write(new byte[] { 0, 0, 8, 1 });
            WriteInt(stream, labels.Length);
            stream.Write(labels);
        }
    }

    /// <summary>Writes <c>root/&lt;digit&gt;/&lt;i&gt;.png</c> for the first images of the given digits.</summary>
    public static void WriteImageFolder(string root, int perClass, params int[] digits)
    {
        var (images, labels) = Read(perClass * 30);
        var written = new Dictionary<int, int>();
        for (var i = 0; i < images.Length; i++)
        {
            if (!digits.Contains(labels[i]) || written.GetValueOrDefault(labels[i]) >= perClass)
                continue;
            var folder = Directory.CreateDirectory(Path.Combine(root, $"digit{labels[i]}")).FullName;
            using var bitmap = new SKBitmap(28, 28, SKColorType.Rgba8888, SKAlphaType.Opaque);
            for (var y = 0; y < 28; y++)
            {
                for (var x = 0; x < 28; x++)
                {
                    var v = images[i][y * 28 + x];
                    bitmap.SetPixel(x, y, new SKColor(v, v, v));
                }
            }
            using var data = SKImage.FromBitmap(bitmap).Encode(SKEncodedImageFormat.Png, 100);
            File.WriteAllBytes(Path.Combine(folder, $"{i:D5}.png"), data.ToArray());
            written[labels[i]] = written.GetValueOrDefault(labels[i]) + 1;
        }
    }

    private static Stream Open(string path)
    {
        var file = File.Create(path);
        return path.EndsWith(".gz") ? new GZipStream(file, CompressionLevel.Fastest) : file;
    }

    private static void WriteInt(Stream stream, int value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(bytes, value);
        stream.Write(bytes);
    }
}
