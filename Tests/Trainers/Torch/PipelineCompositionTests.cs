using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Text;
using MlToolkit.Data;
using MlToolkit.Data.Samples;
using MlToolkit.Data.Splits;
using MlToolkit.Trainers.Torch;
using MlToolkit.Trainers.Torch.Architectures;
using MlToolkit.Trainers.Torch.Cnn;
using MlToolkit.Trainers.Torch.Mlp;

namespace MlToolkit.Tests.Trainers.Torch;

/// <summary>Torch trainers inside ML.NET estimator chains, as users compose them: schema propagation and wide inputs.</summary>
[Collection(TorchCollection.Name)]
public sealed class PipelineCompositionTests
{
    [Fact]
    public void A_cnn_with_an_explicit_image_shape_trains_inside_an_estimator_chain()
    {
        // EstimatorChain.Fit propagates SchemaShapes first; a shape carries no vector sizes, so the CNN must not check
        // 1×8×8 against a size it cannot know there (it used to see 1 value and refuse).
        var ml = new MLContext(seed: 1);
        var split = DataSplits.TrainTest(ml.Data.Cache(SampleDatasets.Digits(ml)), 0.2, seed: 1, "label");
        var pixels = Enumerable.Range(0, 64).Select(i => $"pixel_{i / 8}_{i % 8}").ToArray();
        var chain = ml.Transforms.Concatenate("Features", pixels)
            .Append(ml.Transforms.NormalizeMinMax("Features"))
            .Append(ml.Transforms.Conversion.MapValueToKey("Label", "label"))
            .Append(ml.MulticlassClassification.Trainers.Cnn(new CnnTrainer.Options
            {
                ImageChannels = 1, ImageHeight = 8, ImageWidth = 8, Epochs = 5, Blocks = new[] { new ConvBlock(16) }, DenseLayers = new[] { 32 },
            }));
        var model = chain.Fit(split.Train);
        Assert.Equal(new long[] { 1, 8, 8 }, model.LastTransformer.Network.InputShape);
        var accuracy = ml.MulticlassClassification.Evaluate(model.Transform(split.Test)).MicroAccuracy;
        Measured.AtLeast(accuracy, 0.88, 0.8969, "held-out accuracy after 5 epochs");

        var wrong = ml.Transforms.Concatenate("Features", pixels).Append(ml.Transforms.Conversion.MapValueToKey("Label", "label"))
            .Append(ml.MulticlassClassification.Trainers.Cnn(new CnnTrainer.Options { ImageChannels = 3, ImageHeight = 8, ImageWidth = 8, Epochs = 1 }));
        Assert.Equal("Feature column 'Features' holds 64 values, but the image shape 3×8×8 needs 192.",
            Assert.Throws<SchemaException>(() => wrong.Fit(split.Train)).Message);
    }

    [Fact]
    public void An_mlp_trains_on_a_wide_tf_idf_column_streamed_from_a_file()
    {
        // The IMDB sample streams from its file (it cannot shuffle in place), so the trainer shuffles through a buffer.
        // Word 1–2-grams and char 3-grams make a vector so wide that 10,000 buffered rows would not fit in one array.
        var ml = new MLContext(seed: 1);
        var reviews = SampleDatasets.Imdb(ml);
        Assert.False(reviews.CanShuffle);
        var split = DataSplits.TrainTest(reviews, 0.2, seed: 1, "Label");
        var featurize = ml.Transforms.Text.FeaturizeText("Features", new TextFeaturizingEstimator.Options
        {
            WordFeatureExtractor = new WordBagEstimator.Options { NgramLength = 2 },
            CharFeatureExtractor = new WordBagEstimator.Options { NgramLength = 3 },
        }, "Text").Append(ml.Transforms.Conversion.MapValue("Target", new[] { new KeyValuePair<string, bool>("negative", false), new KeyValuePair<string, bool>("positive", true) }, "Label"));
        var features = featurize.Fit(split.Train);
        var train = features.Transform(split.Train);
        var width = ((VectorDataViewType)train.Schema["Features"].Type).Size;
        Assert.True(width * 10_000L > int.MaxValue, $"only {width} slots: the test needs a vector wider than int.MaxValue / 10,000");

        var mlp = ml.BinaryClassification.Trainers.Mlp(new MlpTrainer.Options { LabelColumnName = "Target", Epochs = 2, HiddenLayers = new[] { 16 }, BatchSize = 64 });
        var model = mlp.Fit(train);
        var accuracy = ml.BinaryClassification.Evaluate(model.Transform(features.Transform(split.Test)), "Target").Accuracy;
        Measured.AtLeast(accuracy, 0.78, 0.805, $"held-out accuracy on {width} TF-IDF slots");

        var huge = ml.BinaryClassification.Trainers.Mlp(new MlpTrainer.Options { LabelColumnName = "Target", Epochs = 1, BatchSize = 10_000 });
        var error = Assert.Throws<SchemaException>(() => huge.Fit(train));
        Assert.StartsWith($"Feature column 'Features' has {width:N0} values per row: a batch of 10,000 rows needs ", error.Message);
        Assert.EndsWith(" GiB, more than one buffer can hold. Lower BatchSize or use fewer features (e.g. fewer n-grams, or hashing).", error.Message);
    }
}
