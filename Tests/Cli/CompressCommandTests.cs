using System.Text.Json.Nodes;

namespace MlToolkit.Tests.Cli;

/// <summary><c>mltoolkit compress</c>: int8 (a ~4× smaller file), magnitude and structured pruning; each result scores almost as well and loads like any other.</summary>
[Collection(MlToolkit.Tests.Trainers.Torch.TorchCollection.Name)]
public sealed class CompressCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Int8_quantization_of_an_mnist_cnn_shrinks_the_file_and_keeps_its_accuracy()
    {
        var (images, labels) = MnistSamples.Read(2000);
        MnistSamples.WriteIdx(_folder.File("train-images.gz"), _folder.File("train-labels.gz"), images, labels);
        var (testImages, testLabels) = MnistSamples.Read(500, test: true);
        MnistSamples.WriteIdx(_folder.File("test-images.gz"), _folder.File("test-labels.gz"), testImages, testLabels);
        var model = _folder.File("cnn.zip");
        Assert.Equal(0, CliRunner.InProcess("train", "--trainer", "cnn", "--idx-images", _folder.File("train-images.gz"), "--idx-labels", _folder.File("train-labels.gz"),
            "--epochs", "2", "-o", model).ExitCode);

        var small = _folder.File("cnn-int8.zip");
        var compressed = CliRunner.InProcess("compress", "-m", model, "--quantize", "int8", "-o", small,
            "--idx-images", _folder.File("test-images.gz"), "--idx-labels", _folder.File("test-labels.gz"), "--json");
        Assert.True(compressed.ExitCode == 0, compressed.Error);
        var report = JsonNode.Parse(compressed.Out)!;
        var ratio = (double)(long)report["bytesBefore"]! / (long)report["bytesAfter"]!;
        Measured.AtLeast(ratio, 4.2, 4.246, "model file size ratio, float32 CNN / int8 CNN");
        var before = (double)report["before"]!["value"]!;
        var after = (double)report["after"]!["value"]!;
        Measured.AtMost(before - after, 0.002, 0.0, "MNIST test accuracy lost to int8 quantization (500 images)");

        // The compressed file is a model like any other: evaluate reads it and agrees with compress's own figure.
        var evaluate = CliRunner.InProcess("evaluate", "-m", small, "--idx-images", _folder.File("test-images.gz"), "--idx-labels", _folder.File("test-labels.gz"), "--json");
        Assert.True(evaluate.ExitCode == 0, evaluate.Error);
        Assert.Equal(after, (double)JsonNode.Parse(evaluate.Out)!["metrics"]!["accuracy"]!);

        // 50% magnitude pruning, fine-tuned one epoch on 80% of the training images, judged on the 500 test images.
        var pruned = _folder.File("cnn-pruned.zip");
        var pruning = CliRunner.InProcess("compress", "-m", model, "--prune", "0.5", "--fine-tune-epochs", "1", "-o", pruned,
            "--idx-images", _folder.File("train-images.gz"), "--idx-labels", _folder.File("train-labels.gz"), "--json");
        Assert.True(pruning.ExitCode == 0, pruning.Error);
        Assert.Equal(0.5, (double)JsonNode.Parse(pruning.Out)!["sparsity"]!, 3);
        double TestAccuracy(string file) => (double)JsonNode.Parse(CliRunner.InProcess("evaluate", "-m", file, "--idx-images", _folder.File("test-images.gz"),
            "--idx-labels", _folder.File("test-labels.gz"), "--json").Out)!["metrics"]!["accuracy"]!;
        Measured.AtMost(TestAccuracy(model) - TestAccuracy(pruned), -0.03, -0.046, "MNIST test accuracy lost to 50% pruning + 1 fine-tuning epoch (500 images; the 2-epoch CNN gains from the extra epoch)");

        // Structured: half of every block's channels and dense units removed; a narrower network, not zeros.
        var narrow = _folder.File("cnn-narrow.zip");
        var narrowing = CliRunner.InProcess("compress", "-m", model, "--prune", "0.5", "--structured", "--fine-tune-epochs", "1", "-o", narrow,
            "--idx-images", _folder.File("train-images.gz"), "--idx-labels", _folder.File("train-labels.gz"), "--json");
        Assert.True(narrowing.ExitCode == 0, narrowing.Error);
        var counts = JsonNode.Parse(narrowing.Out)!;
        Measured.AtLeast((double)(long)counts["parametersBefore"]! / (long)counts["parametersAfter"]!, 3.9, 3.983, "parameter ratio, MNIST CNN / its copy with half the channels and dense units");
        Measured.AtLeast((double)new FileInfo(model).Length / new FileInfo(narrow).Length, 3.9, 3.96, "model file size ratio, MNIST CNN / its structurally pruned copy");
        // The gain is not the same in every run of the suite (0.008 to 0.028 seen in CI runs), so the bar sits under the
        // worst of them, not under one run's figure.
        Measured.AtMost(TestAccuracy(model) - TestAccuracy(narrow), -0.006, -0.008, "MNIST test accuracy lost to removing half the channels + 1 fine-tuning epoch (500 images; the 2-epoch CNN gains from it)");
        var structuredAlone = CliRunner.InProcess("compress", "-m", model, "--structured", "-o", _folder.File("y.zip"));
        Assert.Equal(2, structuredAlone.ExitCode);
        Assert.Contains("--structured says how to prune: give --prune FRACTION with it.", structuredAlone.Error);

        var classic = _folder.File("lgbm.zip");
        Assert.Equal(0, CliRunner.InProcess("train", "--sample", "iris", "--trainer", "lightgbm", "-o", classic).ExitCode);
        var notTorch = CliRunner.InProcess("compress", "-m", classic, "--quantize", "int8", "-o", _folder.File("x.zip"));
        Assert.Equal(2, notTorch.ExitCode);
        Assert.Contains("is not a torch network; only torch networks are quantized.", notTorch.Error);
    }

    [Fact]
    public void Distillation_from_any_model_retrains_the_student_network_and_writes_a_model_like_any_other()
    {
        var student = _folder.File("student.zip");
        Assert.Equal(0, CliRunner.InProcess("train", "--sample", "digits", "--trainer", "mlp", "--param", "width=16", "--param", "depth=1",
            "--param", "dropout=0", "--param", "epochs=60", "-o", student).ExitCode);
        var teacher = _folder.File("teacher.zip");
        Assert.Equal(0, CliRunner.InProcess("train", "--sample", "digits", "--trainer", "lightgbm", "-o", teacher).ExitCode);

        var distilled = _folder.File("distilled.zip");
        var run = CliRunner.InProcess("compress", "-m", student, "--distill-from", teacher, "--epochs", "60", "--sample", "digits", "-o", distilled, "--json");
        Assert.True(run.ExitCode == 0, run.Error);
        var report = JsonNode.Parse(run.Out)!;
        Assert.Equal("accuracy", (string)report["teacher"]!["metric"]!);
        var after = (double)report["after"]!["value"]!;
        Measured.AtLeast(after, 0.97, 0.9749, "digits accuracy (20% held out) of a 16-unit MLP distilled from LightGbm for 60 epochs on the other 80%");
        var evaluate = CliRunner.InProcess("evaluate", "-m", distilled, "--sample", "digits", "--json");
        Assert.True(evaluate.ExitCode == 0, evaluate.Error);

        var binary = _folder.File("binary.zip");
        Assert.Equal(0, CliRunner.InProcess("train", "--sample", "breast-cancer", "--trainer", "lightgbm", "-o", binary).ExitCode);
        var mismatch = CliRunner.InProcess("compress", "-m", student, "--distill-from", binary, "--sample", "digits", "-o", _folder.File("z.zip"));
        Assert.Equal(2, mismatch.ExitCode);
        Assert.Contains("Distillation is implemented for multiclass classification; the teacher is a BinaryClassification model.", mismatch.Error);
    }
}
