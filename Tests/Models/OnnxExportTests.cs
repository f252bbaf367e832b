using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using MlToolkit.Data;
using MlToolkit.Data.Samples;
using MlToolkit.Models.Onnx;
using MlToolkit.Trainers.Torch.Architectures;
using MlToolkit.Trainers.Torch.Cnn;
using MlToolkit.Trainers.Torch;
using MlToolkit.Trainers.Torch.Mlp;
using MlToolkit.Trainers.Torch.Scoring;
using MlToolkit.Trainers.Torch.Sequence;
using MlToolkit.Tests.Trainers.Torch;

namespace MlToolkit.Tests.Models;

/// <summary>Exported ONNX models score as the torch networks do, in ONNX Runtime and through ML.NET's ApplyOnnxModel.</summary>
[Collection(TorchCollection.Name)]
public sealed class OnnxExportTests
{
    public static TheoryData<string> Networks() => new() { "mlp-multiclass", "mlp-binary", "mlp-regression", "cnn" };

    public static TheoryData<string> SequenceNetworks() => new() { "lstm", "lstm-forward", "gru-2-layers-last", "transformer", "transformer-post-norm-learned-first" };

    [Theory]
    [MemberData(nameof(SequenceNetworks))]
    public void An_exported_sequence_network_matches_torchsharp_on_imdb_token_ids(string network)
    {
        using var folder = new TempFolder();
        var data = TokenTestData.Imdb;
        IEstimator<TorchPredictionTransformer> trainer = network switch
        {
            "lstm" => data.Ml.BinaryClassification.Trainers.Rnn(new RnnTrainer.Options { Epochs = 1, EmbeddingDim = 16, HiddenSize = 16 }),
            "lstm-forward" => data.Ml.BinaryClassification.Trainers.Rnn(new RnnTrainer.Options { Epochs = 1, EmbeddingDim = 16, HiddenSize = 8, Bidirectional = false }),
                        "gru-2-layers-last" => data.Ml.BinaryClassification.Trainers.Rnn(new RnnTrainer.Options { Cell = RnnCell.Gru, Epochs = 1, EmbeddingDim = 16, HiddenSize = 8, Layers = 2, Pooling = SequencePooling.Last }),
            "transformer" => data.Ml.BinaryClassification.Trainers.TransformerEncoder(new TransformerTrainer.Options { Epochs = 1, ModelDim = 16, Heads = 2, FeedForwardDim = 32, Layers = 2 }),
            _ => data.Ml.BinaryClassification.Trainers.TransformerEncoder(new TransformerTrainer.Options
            {
                Epochs = 1, ModelDim = 16, Heads = 4, FeedForwardDim = 32, PreNorm = false, Positional = PositionalEncoding.Learned, Pooling = SequencePooling.First,
            }),
        };
        var model = trainer.Fit(data.Train);
        var path = folder.File("sequence.onnx");
        var export = TorchOnnxExporter.Export(model, path);
        var features = data.Test.GetColumn<VBuffer<float>>("Features").Take(300).Select(v => v.DenseValues().ToArray()).ToList();
        using var session = new InferenceSession(path);
        var input = new DenseTensor<float>(features.SelectMany(f => f).ToArray(), new[] { features.Count, (int)export.InputSize });
        using var results = session.Run(new[] { NamedOnnxValue.CreateFromTensor("Features", input) });
        var scored = model.Transform(data.Test);
        foreach (var output in export.Outputs)
        {
            var onnx = results.Single(r => r.Name == output).AsTensor<float>().ToArray();
            var torch = Column(scored, output).Take(onnx.Length).ToArray();
            Measured.AtMost(torch.Zip(onnx).Max(p => Math.Abs(p.First - p.Second)), 1e-5, 3e-7, $"max |torch − ONNX| of the {network}'s {output} on {features.Count} IMDB reviews");
        }
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void The_exported_network_matches_torchsharp_in_onnx_runtime_on_every_row(string network)
    {
        using var folder = new TempFolder();
        var ml = new MLContext(1);
        var (data, featurizer, trainer, task) = Case(ml, network);
        var featurized = featurizer.Fit(data).Transform(data);
        var model = trainer.Fit(featurized);
        var path = folder.File("model.onnx");
        var export = TorchOnnxExporter.Export(model, path);
        Assert.Equal("Features", export.InputName);
        Assert.Equal(task == PredictionTask.BinaryClassification ? new[] { "Score", "Probability" } : new[] { "Score" }, export.Outputs);

        var scored = model.Transform(featurized);
        var features = featurized.GetColumn<VBuffer<float>>("Features").Take(1000).Select(v => v.DenseValues().ToArray()).ToList();
        using var session = new InferenceSession(path);
        var input = new DenseTensor<float>(features.SelectMany(f => f).ToArray(), new[] { features.Count, (int)export.InputSize });
        using var results = session.Run(new[] { NamedOnnxValue.CreateFromTensor("Features", input) });
        foreach (var output in export.Outputs)
        {
            var onnx = results.Single(r => r.Name == output).AsTensor<float>().ToArray();
            var torch = Column(scored, output).Take(onnx.Length).ToArray();
            Assert.Equal(torch.Length, onnx.Length);
            // Float32 rounding: ~5e-7 on probabilities and scores near 1, 3.1e-5 on diabetes' regression values (~150).
            var (ceiling, reached) = task == PredictionTask.Regression ? (1e-4, 3.1e-5) : (1e-5, 4.8e-7);
            Measured.AtMost(torch.Zip(onnx).Max(p => Math.Abs(p.First - p.Second)), ceiling, reached, $"max |torch − ONNX| of {network}'s {output} over {features.Count} rows");
        }
    }

    [Fact]
    public void Mlnet_applies_the_exported_model_and_scores_as_the_torch_network()
    {
        using var folder = new TempFolder();
        var ml = new MLContext(1);
        var (data, featurizer, trainer, _) = Case(ml, "mlp-multiclass");
        var featurized = featurizer.Fit(data).Transform(data);
        var model = trainer.Fit(featurized);
        var path = folder.File("model.onnx");
        TorchOnnxExporter.Export(model, path);
        var applied = ml.Transforms.ApplyOnnxModel(outputColumnNames: new[] { "Score" }, inputColumnNames: new[] { "Features" }, modelFile: path).Fit(featurized).Transform(featurized);
        var fromOnnx = applied.GetColumn<float[]>("Score").SelectMany(s => s).ToArray();
        var fromTorch = Column(model.Transform(featurized), "Score").ToArray();
        Measured.AtMost(fromTorch.Zip(fromOnnx).Max(p => Math.Abs(p.First - p.Second)), 1e-5, 3e-7, "max |torch − ML.NET ApplyOnnxModel| of the digits MLP's scores");
    }

    private sealed record UserArchitecture(int Width) : NetworkArchitecture
    {
        public override TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor> Build(long[] inputShape, int outputSize) =>
            TorchSharp.torch.nn.Linear(inputShape[0], outputSize);
    }

    [Fact]
    public void A_network_of_a_user_architecture_is_named_in_the_error()
    {
        var architecture = new UserArchitecture(4);
        var network = new MlToolkit.Trainers.Torch.Scoring.TorchNetwork(architecture.Build(new long[] { 4 }, 1), architecture, new MlToolkit.Trainers.Torch.Heads.BinaryHead(), new long[] { 4 });
        var model = new TorchPredictionTransformer(network, "Features");
        var error = Assert.Throws<NotSupportedException>(() => TorchOnnxExporter.Export(model, Path.Combine(Path.GetTempPath(), "never.onnx")));
        Assert.Equal("ONNX export of UserArchitecture networks is not implemented (MLP, CNN, LSTM/GRU and transformer networks export).", error.Message);
    }

    private static (IDataView Data, IEstimator<ITransformer> Featurizer, IEstimator<ITransformer> Trainer, PredictionTask Task) Case(MLContext ml, string network)
    {
        MlpTrainer.Options Mlp() => new() { HiddenLayers = new[] { 32, 16 }, BatchNorm = true, Activation = Activation.Gelu, Dropout = 0.1, Epochs = 3 };
        switch (network)
        {
            case "mlp-binary":
            {
                var data = SampleDatasets.BreastCancer(ml);
                var columns = data.Schema.Select(c => c.Name).Where(n => n != "diagnosis").ToArray();
                return (data, ml.Transforms.Concatenate("Features", columns).Append(ml.Transforms.NormalizeMinMax("Features"))
                    .Append(ml.Transforms.CustomMapping<Diagnosis, Positive>((d, p) => p.Label = d.diagnosis == "malignant", null)),
                    new MlpTrainer(PredictionTask.BinaryClassification, Mlp()), PredictionTask.BinaryClassification);
            }
            case "mlp-regression":
            {
                var data = SampleDatasets.Diabetes(ml);
                var columns = data.Schema.Select(c => c.Name).Where(n => n != "progression").ToArray();
                return (data, ml.Transforms.Concatenate("Features", columns).Append(ml.Transforms.NormalizeMinMax("Features")).Append(ml.Transforms.CopyColumns("Label", "progression")),
                    new MlpTrainer(PredictionTask.Regression, Mlp()), PredictionTask.Regression);
            }
            default:
            {
                var data = SampleDatasets.Digits(ml);
                var pixels = data.Schema.Select(c => c.Name).Where(n => n != "label").ToArray();
                var featurizer = ml.Transforms.Concatenate("Features", pixels).Append(ml.Transforms.NormalizeMinMax("Features"))
                    .Append(ml.Transforms.Conversion.MapValueToKey("Label", "label"));
                IEstimator<ITransformer> trainer = network == "cnn"
                    ? new CnnTrainer(PredictionTask.MulticlassClassification, new CnnTrainer.Options
                    {
                        ImageChannels = 1, ImageHeight = 8, ImageWidth = 8, Blocks = new[] { new ConvBlock(8, BatchNorm: true), new ConvBlock(16, Pool: 1) },
                        DenseLayers = new[] { 32 }, Epochs = 2,
                    })
                    : new MlpTrainer(PredictionTask.MulticlassClassification, Mlp());
                return (data, featurizer, trainer, PredictionTask.MulticlassClassification);
            }
        }
    }

    private static IEnumerable<float> Column(IDataView scored, string name) => scored.Schema[name].Type is VectorDataViewType
        ? scored.GetColumn<float[]>(name).SelectMany(v => v)
        : scored.GetColumn<float>(name);

    public sealed class Diagnosis
    {
        public string diagnosis { get; set; } = "";
    }

    public sealed class Positive
    {
        public bool Label { get; set; }
    }
}
