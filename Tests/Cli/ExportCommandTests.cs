using System.Text.Json.Nodes;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using MlToolkit.Models;

namespace MlToolkit.Tests.Cli;

/// <summary><c>mltoolkit export</c>: a trained MLP becomes an ONNX file ONNX Runtime scores like the model.</summary>
[Collection(MlToolkit.Tests.Trainers.Torch.TorchCollection.Name)]
public sealed class ExportCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void A_trained_mlp_exports_to_onnx_that_scores_as_the_model_file_does()
    {
        var model = _folder.File("mlp.zip");
        Assert.Equal(0, CliRunner.InProcess("train", "--sample", "wine", "--trainer", "mlp", "--epochs", "5", "-o", model).ExitCode);
        var onnx = _folder.File("mlp.onnx");
        var export = CliRunner.InProcess("export", "-m", model, "-o", onnx, "--json");
        Assert.True(export.ExitCode == 0, export.Error);
        var written = JsonNode.Parse(export.Out)!;
        // The featurizer (column concatenation and scaling) converts too: the file reads the 13 raw wine columns.
        Assert.True((bool)written["wholePipeline"]!, (string?)written["notExportedBecause"]);
        Assert.Empty(written["precedingTransforms"]!.AsArray());

        var ml = new MLContext(1);
        var trained = TrainedModel.Load(ml, model);
        var wine = MlToolkit.Data.Samples.SampleDatasets.Wine(ml);
        var inputs = written["inputs"]!.AsArray().Select(i => (string)i!).ToList();
        Assert.Equal(wine.Schema.Select(c => c.Name).Where(n => n != trained.Description.LabelColumn), inputs);
        var rows = wine.GetColumn<float>(inputs[0]).Count();
        using var session = new InferenceSession(onnx);
        using var results = session.Run(inputs.Select(name => NamedOnnxValue.CreateFromTensor(name,
            new DenseTensor<float>(wine.GetColumn<float>(name).ToArray(), new[] { rows, 1 }))).ToList());
        var fromOnnx = results.Single(r => r.Name == "Score").AsTensor<float>().ToArray();
        var fromModel = trained.Score(wine).GetColumn<float[]>("Score").SelectMany(s => s).ToArray();
        Measured.AtMost(fromModel.Zip(fromOnnx).Max(p => Math.Abs(p.First - p.Second)), 1e-5, 3e-7, "max |model − ONNX| of the wine MLP's class probabilities");

        var again = CliRunner.InProcess("export", "-m", model, "-o", onnx);
        Assert.Equal(2, again.ExitCode);
        Assert.Contains($"error: --output {onnx} exists; pass --force to replace it.", again.Error);
        var kernel = _folder.File("kernel.zip");
        Assert.Equal(0, CliRunner.InProcess("train", "--sample", "wine", "--trainer", "kernel", "-o", kernel).ExitCode);
        var closedForm = CliRunner.InProcess("export", "-m", kernel, "-o", _folder.File("k.onnx"));
        Assert.Equal(0, closedForm.ExitCode);
        Assert.Contains("Outputs  Score", closedForm.Out);
    }
}
