using Microsoft.ML;
using Microsoft.ML.Data;
using MlToolkit.Data.Images;
using MlToolkit.Tests.Support;

namespace MlToolkit.Tests.Data;

public sealed class ImageSourceTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Reads_the_real_mnist_test_files_streaming_with_scaled_pixels()
    {
        var view = IdxDataView.Load(MnistSamples.TestImages, MnistSamples.TestLabels, limit: 200);
        Assert.Equal(28, view.Height);
        Assert.Equal(200, view.GetRowCount());
        var imageType = Assert.IsType<VectorDataViewType>(view.Schema["Image"].Type);
        Assert.Equal(new[] { 1, 28, 28 }, imageType.Dimensions);
        var labels = view.GetColumn<float>("Label").ToList();
        var (images, expected) = MnistSamples.Read(200, test: true);
        Assert.Equal(expected.Select(b => (float)b), labels);
        var first = view.GetColumn<float[]>("Image").First();
        Assert.Equal(images[0].Select(b => b * (1f / 255)), first);
        Assert.Equal(MnistSamples.TestCount, IdxDataView.Load(MnistSamples.TestImages, MnistSamples.TestLabels).GetRowCount());
    }

    [Fact]
    public void Raw_idx_files_written_here_read_back_exactly()
    {
        var (images, labels) = MnistSamples.Read(20);
        MnistSamples.WriteIdx(_folder.File("i.idx3"), _folder.File("l.idx1"), images, labels);
        var view = IdxDataView.Load(_folder.File("i.idx3"), _folder.File("l.idx1"), scale: 1);
        Assert.Equal(labels.Select(b => (float)b), view.GetColumn<float>("Label"));
        Assert.Equal(images[19].Select(b => (float)b), view.GetColumn<float[]>("Image").Last());
    }

    [Fact]
    public void Mismatched_truncated_and_foreign_idx_files_are_reported_by_name()
    {
        var (images, labels) = MnistSamples.Read(10);
        MnistSamples.WriteIdx(_folder.File("i.gz"), _folder.File("l.gz"), images, labels[..9]);
        var mismatch = Assert.Throws<DataFormatException>(() => IdxDataView.Load(_folder.File("i.gz"), _folder.File("l.gz")));
        Assert.Equal($"{_folder.File("l.gz")}: holds 9 labels but '{_folder.File("i.gz")}' holds 10 images; expected the same count", mismatch.Message);

        MnistSamples.WriteIdx(_folder.File("t.idx3"), _folder.File("t.idx1"), images, labels);
        var bytes = File.ReadAllBytes(_folder.File("t.idx3"));
        File.WriteAllBytes(_folder.File("t.idx3"), bytes[..(bytes.Length - 100)]);
        var truncated = IdxDataView.Load(_folder.File("t.idx3"), _folder.File("t.idx1"));
        var error = Assert.Throws<DataFormatException>(() => truncated.GetColumn<float[]>("Image").ToList());
        Assert.Equal($"{_folder.File("t.idx3")}: the file ends at record 10 but its header declares 10 records; it is truncated", error.Message);

        var csv = _folder.Write("x.csv", "a,b\n1,2\n");
        Assert.Equal($"{csv}: not an IDX file: the magic number starts 61 2C; expected 00 00",
            Assert.Throws<DataFormatException>(() => IdxDataView.Load(csv, _folder.File("t.idx1"))).Message);
        Assert.Equal($"{_folder.File("t.idx1")}: IDX rank 1; expected 3 (images: count, rows, columns)",
            Assert.Throws<DataFormatException>(() => IdxDataView.Load(_folder.File("t.idx1"), _folder.File("t.idx1"))).Message);
    }

    [Fact]
    public void An_image_folder_lists_one_row_per_image_labelled_by_its_sub_folder()
    {
        MnistSamples.WriteImageFolder(_folder.Path, 4, 3, 7);
        File.WriteAllText(Path.Combine(_folder.Path, "digit3", "notes.txt"), "not an image");
        var view = ImageFolder.Load(new MLContext(1), _folder.Path);
        var labels = view.GetColumn<string>("Label").ToList();
        Assert.Equal(new[] { "digit3", "digit3", "digit3", "digit3", "digit7", "digit7", "digit7", "digit7" }, labels);
        Assert.All(view.GetColumn<string>("ImagePath"), p => Assert.EndsWith(".png", p));
    }

    [Fact]
    public void An_image_folder_without_class_folders_or_images_is_rejected()
    {
        Assert.Equal($"{_folder.Path}: has no sub-folders; expected one sub-folder of images per class (root/<class>/<image>)",
            Assert.Throws<DataFormatException>(() => ImageFolder.List(_folder.Path)).Message);
        Directory.CreateDirectory(Path.Combine(_folder.Path, "cats"));
        Assert.StartsWith($"{Path.Combine(_folder.Path, "cats")}: class folder has no images",
            Assert.Throws<DataFormatException>(() => ImageFolder.List(_folder.Path)).Message);
        Assert.Equal($"{_folder.File("nope")}: image folder not found", Assert.Throws<DataFormatException>(() => ImageFolder.List(_folder.File("nope"))).Message);
    }
}
