using Microsoft.ML;
using Microsoft.ML.Data;
using MlToolkit.Data.Images;
using MlToolkit.Tests.Support;

namespace MlToolkit.Tests.Data;

public sealed class Cifar10Tests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>Writes CIFAR-10-format records: MNIST digits padded to 32×32, red = the digit, green = its inverse, blue = 7.</summary>
    private string WriteBatch(string name, int first, int count, out byte[] labels, out byte[][] records)
    {
        var (images, digits) = MnistSamples.Read(first + count);
        labels = digits[first..];
        records = new byte[count][];
        using var file = File.Create(_folder.File(name));
        for (var i = 0; i < count; i++)
        {
            var record = new byte[Cifar10DataView.RecordSize];
            record[0] = labels[i];
            for (var y = 0; y < 28; y++)
            {
                for (var x = 0; x < 28; x++)
                {
                    var v = images[first + i][y * 28 + x];
                    var at = (y + 2) * 32 + x + 2;
                    record[1 + at] = v;
                    record[1 + 1024 + at] = (byte)(255 - v);
                    record[1 + 2048 + at] = 7;
                }
            }
            records[i] = record;
            file.Write(record);
        }
        return _folder.File(name);
    }

    [Fact]
    public void Reads_records_across_batch_files_with_planar_rgb_and_class_names()
    {
        var a = WriteBatch("data_batch_1.bin", 0, 30, out var labelsA, out var recordsA);
        var b = WriteBatch("data_batch_2.bin", 30, 20, out var labelsB, out _);
        var view = Cifar10DataView.Load(new[] { a, b }, scale: 1);
        Assert.Equal(50, view.GetRowCount());
        Assert.Equal(new[] { 3, 32, 32 }, Assert.IsType<VectorDataViewType>(view.Schema["Image"].Type).Dimensions);
        var names = view.GetColumn<string>("Label").ToList();
        Assert.Equal(labelsA.Concat(labelsB).Select(l => Cifar10DataView.DefaultClassNames[l]), names);
        var first = view.GetColumn<float[]>("Image").First();
        Assert.Equal(recordsA[0][1..].Select(v => (float)v), first);
    }

    [Fact]
    public void Uses_class_names_from_batches_meta_when_present()
    {
        var a = WriteBatch("data_batch_1.bin", 0, 5, out var labels, out _);
        File.WriteAllLines(_folder.File("batches.meta.txt"), Enumerable.Range(0, 10).Select(i => $"digit{i}").Append(""));
        var view = Cifar10DataView.Load(new[] { a });
        Assert.Equal(labels.Select(l => $"digit{l}"), view.GetColumn<string>("Label"));
    }

    [Fact]
    public void A_truncated_batch_is_rejected_with_its_size()
    {
        var a = WriteBatch("data_batch_1.bin", 0, 3, out _, out _);
        var bytes = File.ReadAllBytes(a);
        File.WriteAllBytes(a, bytes[..^10]);
        var error = Assert.Throws<DataFormatException>(() => Cifar10DataView.Load(new[] { a }));
        Assert.Equal($"{a}: is 9209 bytes, not a whole number of 3073-byte CIFAR-10 records (1 label byte + 3,072 pixel bytes); the file is truncated or not a CIFAR-10 binary batch", error.Message);
    }
}
