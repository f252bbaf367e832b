using Microsoft.ML;
using Microsoft.ML.Data;
using MlToolkit.Data;
using MlToolkit.Models.Persistence;
using MlToolkit.Trainers.Torch;
using MlToolkit.Trainers.Torch.Architectures;
using MlToolkit.Trainers.Torch.Cnn;
using MlToolkit.Trainers.Torch.Compression;
using MlToolkit.Trainers.Torch.Mlp;
using MlToolkit.Trainers.Torch.Scoring;
using MlToolkit.Trainers.Torch.Sequence;
using static TorchSharp.torch;

namespace MlToolkit.Tests.Trainers.Torch;

/// <summary>Structured pruning: narrower MLP layers and CNN blocks that score as before when the removed units were silent.</summary>
[Collection(TorchCollection.Name)]
public sealed class StructuredPruningTests
{
    private static TorchTestData.Prepared Data => TorchTestData.Digits;

    private static FineTuningOptions NoFineTuning => new() { Epochs = 0 };

    [Fact]
    public void Removing_silent_cnn_channels_and_dense_units_leaves_every_score_unchanged()
    {
        var model = new CnnTrainer(PredictionTask.MulticlassClassification, new CnnTrainer.Options
        {
            ImageChannels = 1, ImageHeight = 8, ImageWidth = 8, Blocks = new[] { new ConvBlock(8, BatchNorm: true), new ConvBlock(16, Pool: 2) },
            DenseLayers = new[] { 10 }, Epochs = 2,
        }).Fit(Data.Train);
        // Silence channels 1, 3, 5, 7 of block 0 (γ = β = 0), the even channels of block 1 (zero filters and biases) and
        // dense units 1, 3, 5, 7, 9: each then outputs ReLU(0) = 0 and is the weakest of its layer.
        Silence(model, "norm0.weight", 1, 3, 5, 7);
        Silence(model, "norm0.bias", 1, 3, 5, 7);
        Silence(model, "conv1.weight", 0, 2, 4, 6, 8, 10, 12, 14);
        Silence(model, "conv1.bias", 0, 2, 4, 6, 8, 10, 12, 14);
        Silence(model, "dense0.weight", 1, 3, 5, 7, 9);
        Silence(model, "dense0.bias", 1, 3, 5, 7, 9);

        var result = StructuredPruning.Prune(model, 0.5, Data.Train, NoFineTuning);

        var architecture = Assert.IsType<CnnArchitecture>(result.Model.Network.Architecture);
        Assert.Equal(new[] { 4, 8 }, architecture.Blocks.Select(b => b.Channels));
        Assert.Equal(new[] { 5 }, architecture.DenseLayers);
        // conv 1·8·9+8 → 4·9+4, norm 16 → 8, conv 8·16·9+16 → 4·8·9+8, dense 16·2·2·10+10 → 8·4·5+5, output 10·10+10 → 5·10+10.
        Assert.Equal((80 + 16 + 1168 + 650 + 110, 40 + 8 + 296 + 165 + 60), (result.ParametersBefore, result.ParametersAfter));
        Assert.Equal(Scores(model), Scores(result.Model), new Close(1e-5f));
    }

    [Fact]
    public void Removing_silent_mlp_units_leaves_every_score_unchanged_with_and_without_batch_norm()
    {
        foreach (var batchNorm in new[] { false, true })
        {
            var model = new MlpTrainer(PredictionTask.MulticlassClassification, new MlpTrainer.Options { HiddenLayers = new[] { 12, 6 }, BatchNorm = batchNorm, Epochs = 2 }).Fit(Data.Train);
            var (scale, shift) = batchNorm ? ("norm", "norm") : ("linear", "linear");
            Silence(model, $"{scale}0.weight", 0, 1, 2, 3, 4, 5);
            Silence(model, $"{shift}0.bias", 0, 1, 2, 3, 4, 5);
            Silence(model, $"{scale}1.weight", 5, 4, 3);
            Silence(model, $"{shift}1.bias", 5, 4, 3);

            var result = StructuredPruning.Prune(model, 0.5, Data.Train, NoFineTuning);

            Assert.Equal(new[] { 6, 3 }, Assert.IsType<MlpArchitecture>(result.Model.Network.Architecture).HiddenLayers);
            Assert.Equal(Scores(model), Scores(result.Model), new Close(1e-5f));
        }
    }

    [Fact]
    public void A_pruned_mlp_keeps_its_accuracy_after_fine_tuning_and_saves_smaller()
    {
        using var folder = new TempFolder();
        var model = new MlpTrainer(PredictionTask.MulticlassClassification, new MlpTrainer.Options { HiddenLayers = new[] { 256, 128 }, Epochs = 20, Seed = 1 }).Fit(Data.Train);
        var result = StructuredPruning.Prune(model, 0.5, Data.Train, new FineTuningOptions { Epochs = 5 });

        Assert.Equal(new[] { 128, 64 }, ((MlpArchitecture)result.Model.Network.Architecture).HiddenLayers);
        Assert.Equal((64L * 256 + 256 + 256 * 128 + 128 + 128 * 10 + 10, 64L * 128 + 128 + 128 * 64 + 64 + 64 * 10 + 10), (result.ParametersBefore, result.ParametersAfter));
        var before = Accuracy(model);
        var after = Accuracy(result.Model);
        Measured.AtMost(before - after, -0.01, -0.0111, $"digits held-out accuracy lost to removing half the MLP's units + 5 fine-tuning epochs (the 20-epoch MLP gains from them) ({before:0.0000} → {after:0.0000})");

        string Saved(ITransformer transformer, string name)
        {
            var path = folder.File(name);
            Data.Ml.Model.SavePipeline(transformer, Data.Train.Schema, path);
            return path;
        }
        var wide = new FileInfo(Saved(model, "wide.zip")).Length;
        var narrow = Saved(result.Model, "narrow.zip");
        Measured.AtLeast((double)wide / new FileInfo(narrow).Length, 2.85, 2.883, "model file size ratio, 256-128 MLP / its 128-64 pruned copy (2.95× fewer parameters)");
        var loaded = Data.Ml.Model.LoadPipeline(narrow, out _);
        Assert.Equal(Scores(result.Model), Scores(loaded));
    }

    [Fact]
    public void A_sequence_network_is_named_in_the_error()
    {
        var model = TokenTestData.Imdb.Ml.BinaryClassification.Trainers.Rnn(new RnnTrainer.Options { Epochs = 1, EmbeddingDim = 8, HiddenSize = 4 }).Fit(TokenTestData.Imdb.Train);
        var error = Assert.Throws<NotSupportedException>(() => StructuredPruning.Prune(model, 0.5, TokenTestData.Imdb.Train, NoFineTuning));
        Assert.Equal("Structured pruning of RnnArchitecture networks is not implemented (MLP units and CNN channels are pruned; magnitude pruning works on every network).", error.Message);
    }

    private static void Silence(TorchPredictionTransformer model, string parameter, params long[] rows)
    {
        using var noGrad = no_grad();
        var weight = model.Network.Module.named_parameters().Single(p => p.name == parameter).parameter;
        foreach (var row in rows)
            weight[row].zero_();
    }

    private static float[] Scores(ITransformer model) =>
        model.Transform(Data.Test).GetColumn<VBuffer<float>>("Score").SelectMany(v => v.DenseValues()).ToArray();

    private static double Accuracy(ITransformer model) => Data.Ml.MulticlassClassification.Evaluate(model.Transform(Data.Test)).MicroAccuracy;

    private sealed class Close(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(float value) => 0;
    }
}
