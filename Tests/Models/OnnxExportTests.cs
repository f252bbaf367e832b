using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using MlToolkit.Data;
using MlToolkit.Data.Samples;
using MlToolkit.Models;
using MlToolkit.Experiments.Training;
using MlToolkit.Models.Ensembles;
using MlToolkit.Models.Onnx;
using MlToolkit.Trainers.Torch.Architectures;
using MlToolkit.Trainers.Torch.Cnn;
using MlToolkit.Trainers.Torch.Compression;
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
    public static TheoryData<string> Networks() => new() { "mlp-multiclass", "mlp-binary", "mlp-regression", "cnn", "cnn-int8", "mlp-regression-int8" };

    public static TheoryData<string> SequenceNetworks() => new() { "lstm", "lstm-forward", "gru-2-layers-last", "transformer", "transformer-post-norm-learned-first", "lstm-int8", "transformer-int8" };

    [Theory]
    [MemberData(nameof(SequenceNetworks))]
    public void An_exported_sequence_network_matches_torchsharp_on_imdb_token_ids(string network)
    {
        using var folder = new TempFolder();
        var data = TokenTestData.Imdb;
        IEstimator<TorchPredictionTransformer> trainer = network.Replace("-int8", "") switch
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
        var model = Int8IfNamed(network, trainer.Fit(data.Train));
        var path = folder.File("sequence.onnx");
        var export = TorchOnnxExporter.Export(model, path);
        var features = data.Test.GetColumn<VBuffer<float>>("Features").Take(300).Select(v => v.DenseValues().ToArray()).ToList();
        var input = new DenseTensor<float>(features.SelectMany(f => f).ToArray(), new[] { features.Count, (int)export.InputSize });
        var scored = model.Transform(data.Test);
        // ONNX Runtime fuses an int8 weight's DequantizeLinear + MatMul into MatMulNBits, which by default also rounds
        // the activations to int8 (accuracy level 4): faster, not the same numbers. Level 0 computes in float.
        using var options = new SessionOptions();
        options.AddSessionConfigEntry("session.qdq_matmulnbits_accuracy_level", "0");
        using (var session = new InferenceSession(path, options))
            Compare(session, 1e-5, 3e-7, "");
        if (network.EndsWith("-int8", StringComparison.Ordinal))
        {
            using var defaults = new InferenceSession(path);
            Compare(defaults, 5e-4, 2.9e-4, " (ONNX Runtime's default int8 activations)");
        }

        void Compare(InferenceSession session, double ceiling, double reached, string how)
        {
            using var results = session.Run(new[] { NamedOnnxValue.CreateFromTensor("Features", input) });
            foreach (var output in export.Outputs)
            {
                var onnx = results.Single(r => r.Name == output).AsTensor<float>().ToArray();
                var torch = Column(scored, output).Take(onnx.Length).ToArray();
                Measured.AtMost(torch.Zip(onnx).Max(p => Math.Abs(p.First - p.Second)), ceiling, reached, $"max |torch − ONNX| of the {network}'s {output} on {features.Count} IMDB reviews{how}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void The_exported_network_matches_torchsharp_in_onnx_runtime_on_every_row(string network)
    {
        using var folder = new TempFolder();
        var ml = new MLContext(1);
        var (data, featurizer, trainer, task) = Case(ml, network.Replace("-int8", ""));
        var featurized = featurizer.Fit(data).Transform(data);
        var model = Int8IfNamed(network, (TorchPredictionTransformer)trainer.Fit(featurized));
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

    private static TorchPredictionTransformer Int8IfNamed(string network, TorchPredictionTransformer model) =>
        network.EndsWith("-int8", StringComparison.Ordinal) ? Int8Quantization.Quantize(model) : model;

    [Fact]
    public void An_int8_network_exports_its_weights_as_int8_and_the_file_shrinks_as_the_model_file_does()
    {
        using var folder = new TempFolder();
        var ml = new MLContext(1);
        var (data, featurizer, trainer, _) = Case(ml, "cnn");
        var model = (TorchPredictionTransformer)trainer.Fit(featurizer.Fit(data).Transform(data));
        TorchOnnxExporter.Export(model, folder.File("float.onnx"));
        TorchOnnxExporter.Export(Int8Quantization.Quantize(model), folder.File("int8.onnx"));
        var graph = global::Onnx.ModelProto.Parser.ParseFrom(File.ReadAllBytes(folder.File("int8.onnx"))).Graph;
        Assert.Equal(new[] { "conv0.weight", "conv1.weight", "dense0.weight", "output.weight" },
            graph.Node.Where(n => n.OpType == "DequantizeLinear").Select(n => n.Output[0]).ToArray());
        Assert.All(graph.Initializer.Where(i => i.Name.EndsWith("_int8", StringComparison.Ordinal)), i => Assert.Equal((int)global::Onnx.TensorProto.Types.DataType.Int8, i.DataType));
        var ratio = (double)new FileInfo(folder.File("float.onnx")).Length / new FileInfo(folder.File("int8.onnx")).Length;
        Measured.AtLeast(ratio, 3.2, 3.225, "ONNX file size ratio, float32 / int8 export of the digits CNN (9.7k weights; biases, norms, scales and node names stay as they were)");
    }

    [Fact]
    public void With_the_input_schema_the_mlnet_transforms_before_the_network_are_exported_too()
    {
        using var folder = new TempFolder();
        var ml = new MLContext(1);
        var (data, featurizer, trainer, _) = Case(ml, "mlp-multiclass");
        var fitted = featurizer.Fit(data);
        var model = fitted.Append(trainer.Fit(fitted.Transform(data)));
        var path = folder.File("pipeline.onnx");
        var export = TorchOnnxExporter.Export(model, path, data.Schema);

        Assert.True(export.WholePipeline, export.NotExportedBecause);
        Assert.Empty(export.PrecedingTransforms);
        Assert.Null(export.NotExportedBecause);
        // The 64 pixels the features are made of, not the label the same chain maps to a key.
        Assert.Equal(Enumerable.Range(0, 64).Select(i => $"pixel_{i / 8}_{i % 8}"), export.Inputs);
        using var session = new InferenceSession(path);
        var rows = (int)data.GetRowCount()!;
        var inputs = export.Inputs.Select(name => NamedOnnxValue.CreateFromTensor(name,
            new DenseTensor<float>(data.GetColumn<float>(name).ToArray(), new[] { rows, 1 }))).ToList();
        using var results = session.Run(inputs);
        var onnx = results.Single(r => r.Name == "Score").AsTensor<float>().ToArray();
        var pipeline = Column(model.Transform(data), "Score").ToArray();
        Measured.AtMost(pipeline.Zip(onnx).Max(p => Math.Abs(p.First - p.Second)), 1e-5, 3e-7, "max |pipeline − ONNX| of the digits MLP read from raw pixels (min-max scaling in ONNX)");
    }

    [Fact]
    public void A_transform_without_an_onnx_converter_leaves_the_network_alone_in_the_file_and_says_why()
    {
        using var folder = new TempFolder();
        var data = TokenTestData.Imdb;
        var model = data.Preparation.Append(data.Ml.BinaryClassification.Trainers.Rnn(new RnnTrainer.Options { Epochs = 1, EmbeddingDim = 8, HiddenSize = 4 }).Fit(data.Train));
        var export = TorchOnnxExporter.Export(model, folder.File("rnn.onnx"), data.Raw.Schema);
        Assert.False(export.WholePipeline);
        Assert.Equal(new[] { "Features" }, export.Inputs);
        Assert.Contains("TokenIdTransformer", export.PrecedingTransforms);
        Assert.Equal("TokenIdTransformer has no ONNX converter", export.NotExportedBecause);
    }

    [Fact]
    public void A_transform_whose_converter_fails_inside_is_named_in_the_reason()
    {
        using var folder = new TempFolder();
        var data = TokenTestData.Imdb;
        var featurizer = data.Ml.Transforms.Text.FeaturizeText("Features", "Text")
            .Append(data.Ml.Transforms.Conversion.MapValue("Label", new[] { new KeyValuePair<string, bool>("negative", false), new KeyValuePair<string, bool>("positive", true) }, "Label"))
            .Fit(data.Raw);
        var network = data.Ml.BinaryClassification.Trainers.Mlp(new MlpTrainer.Options { HiddenLayers = new[] { 8 }, Epochs = 1 }).Fit(featurizer.Transform(data.Raw));
        var export = TorchOnnxExporter.Export(featurizer.Append(network), folder.File("text.onnx"), data.Raw.Schema);
        Assert.False(export.WholePipeline);
        Assert.Equal(new[] { "Features" }, export.Inputs);
        Assert.Equal(new[] { "TextFeaturizingEstimator.Transformer", "ValueMappingTransformer" }, export.PrecedingTransforms);
        // ML.NET's own message names an intermediate column only; the reason names the transform the user added.
        Assert.Equal("ML.NET's ONNX converter fails on TextFeaturizingEstimator.Transformer: The given key 'Text_TextNormalizer' was not present in the dictionary.",
            export.NotExportedBecause);
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
        var error = Assert.Throws<ArgumentException>(() => TorchOnnxExporter.Export(model, Path.Combine(Path.GetTempPath(), "never.onnx")));
        Assert.Equal("ONNX export of UserArchitecture networks is not implemented; MLP, CNN, LSTM/GRU, transformer, kernel machine, nearest-neighbour and forest networks export.", error.Message);
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
