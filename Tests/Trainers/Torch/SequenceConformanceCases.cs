using Microsoft.ML;
using Microsoft.ML.Data;
using MlToolkit.Data;
using MlToolkit.Data.Samples;
using MlToolkit.Data.Splits;
using MlToolkit.Pipelines.Text;
using MlToolkit.Tests.Support;
using MlToolkit.Trainers.Torch;
using MlToolkit.Trainers.Torch.Architectures;
using MlToolkit.Trainers.Torch.Scoring;
using MlToolkit.Trainers.Torch.Sequence;
using MlToolkit.Trainers.Torch.Training;

namespace MlToolkit.Tests.Trainers.Torch;

/// <summary>The 2,000-review IMDB sample as token ids (64 per review) with a Boolean label, fixed stratified 80/20 split.</summary>
public static class TokenTestData
{
    private static readonly Lazy<TorchTestData.Prepared> Data = new(() =>
    {
        var ml = new MLContext(seed: 1);
        var raw = ml.Data.Cache(SampleDatasets.Imdb(ml));
        var split = DataSplits.TrainTest(raw, 0.2, seed: 1, "Label");
        var preparation = ml.Transforms.Text.TokenizeToIds(new TokenIdEstimator.Options { InputColumnName = "Text", OutputColumnName = "Features", MaxLength = 64, MaxVocabularySize = 5000 })
            .Append(ml.Transforms.Conversion.MapValue("Label", new[] { new KeyValuePair<string, bool>("negative", false), new KeyValuePair<string, bool>("positive", true) }, "Label"))
            .Fit(split.Train);
        return new TorchTestData.Prepared(ml, raw, preparation, ml.Data.Cache(preparation.Transform(split.Train)), ml.Data.Cache(preparation.Transform(split.Test)));
    });

    public static TorchTestData.Prepared Imdb => Data.Value;
}

public sealed class LstmBinaryConformance : TorchTrainerConformance
{
    protected override PredictionTask Task => PredictionTask.BinaryClassification;
    protected override TorchTestData.Prepared Data => TokenTestData.Imdb;
    protected override QualityBar Quality => new(Epochs: 6, Floor: 0.67, Reached: 0.68, LearningRate: 1e-2);

    protected override IEstimator<TorchPredictionTransformer> CreateTrainer(Action<TorchTrainerOptions>? configure = null)
    {
        var options = new RnnTrainer.Options { Epochs = 1, EmbeddingDim = 16, HiddenSize = 16 };
        configure?.Invoke(options);
        return Data.Ml.BinaryClassification.Trainers.Rnn(options);
    }
}

public sealed class TransformerBinaryConformance : TorchTrainerConformance
{
    protected override PredictionTask Task => PredictionTask.BinaryClassification;
    protected override TorchTestData.Prepared Data => TokenTestData.Imdb;
    protected override QualityBar Quality => new(Epochs: 6, Floor: 0.63, Reached: 0.655, LearningRate: 1e-2);

    protected override IEstimator<TorchPredictionTransformer> CreateTrainer(Action<TorchTrainerOptions>? configure = null)
    {
        var options = new TransformerTrainer.Options { Epochs = 1, ModelDim = 16, Heads = 2, Layers = 1, FeedForwardDim = 32, Positional = PositionalEncoding.Learned };
        configure?.Invoke(options);
        return Data.Ml.BinaryClassification.Trainers.TransformerEncoder(options);
    }
}

[Collection(TorchCollection.Name)]
public sealed class SequenceModelTests
{
    [Fact]
    public void Lstm_reaches_75_percent_on_the_imdb_sample()
    {
        var ml = new MLContext(seed: 1);
        var raw = ml.Data.Cache(SampleDatasets.Imdb(ml));
        var split = DataSplits.TrainTest(raw, 0.2, seed: 1, "Label");
        var pipeline = ml.Transforms.Text.TokenizeToIds(new TokenIdEstimator.Options { InputColumnName = "Text", OutputColumnName = "Features", MaxLength = 200, MaxVocabularySize = 10_000 })
            .Append(ml.Transforms.Conversion.MapValue("Label", new[] { new KeyValuePair<string, bool>("negative", false), new KeyValuePair<string, bool>("positive", true) }, "Label"))
            .Append(ml.BinaryClassification.Trainers.Rnn(new RnnTrainer.Options { Epochs = 8, HiddenSize = 32, EmbeddingDim = 64, LearningRate = 0.004 }));
        var model = pipeline.Fit(split.Train);
        var metrics = ml.BinaryClassification.Evaluate(model.Transform(split.Test));
        // A narrow LSTM (32 units each way) at a doubled learning rate: 0.7725 in three runs and ~25 s; the default
        // width of 128 reached 0.79 in 212 s of the suite's time.
        Measured.AtLeast(metrics.Accuracy, 0.765, 0.7725, "IMDB sample held-out accuracy");
    }

    [Fact]
    public void Transformer_reaches_75_percent_on_the_imdb_sample()
    {
        var ml = new MLContext(seed: 1);
        var raw = ml.Data.Cache(SampleDatasets.Imdb(ml));
        var split = DataSplits.TrainTest(raw, 0.2, seed: 1, "Label");
        var pipeline = ml.Transforms.Text.TokenizeToIds(new TokenIdEstimator.Options { InputColumnName = "Text", OutputColumnName = "Features", MaxLength = 256, MaxVocabularySize = 5000 })
            .Append(ml.Transforms.Conversion.MapValue("Label", new[] { new KeyValuePair<string, bool>("negative", false), new KeyValuePair<string, bool>("positive", true) }, "Label"))
            .Append(ml.BinaryClassification.Trainers.TransformerEncoder(new TransformerTrainer.Options { Epochs = 8 }));
        var model = pipeline.Fit(split.Train);
        var metrics = ml.BinaryClassification.Evaluate(model.Transform(split.Test));
        // 8 epochs: 0.7825 in 41 s alone (10 epochs, as notebook 03 trains: 0.7875 in 60 s; 6 epochs: 0.7475).
        Measured.AtLeast(metrics.Accuracy, 0.78, 0.7825, "IMDB sample held-out accuracy after 8 epochs");
    }

    [Fact]
    public void Embedding_weights_from_a_file_are_loaded_and_a_shape_mismatch_is_explained()
    {
        using var folder = new TempFolder();
        var data = TokenTestData.Imdb;
        var vocabulary = (int)new TrainingData(data.Train, data.Train.Schema["Features"]).MaxFeatureValue() + 1;
        TorchSharp.torch.manual_seed(11);
        using (var embedding = TorchSharp.torch.nn.Embedding(vocabulary, 16))
            embedding.save(folder.File("embedding.bin"));
        var model = data.Ml.BinaryClassification.Trainers.Rnn(new RnnTrainer.Options { Epochs = 1, EmbeddingDim = 16, HiddenSize = 8, EmbeddingWeightsPath = folder.File("embedding.bin"), LearningRate = 1e-9 }).Fit(data.Train);
        using var saved = TorchSharp.torch.nn.Embedding(vocabulary, 16);
        saved.load(folder.File("embedding.bin"));
        var loaded = model.Network.Module.named_parameters().Single(p => p.name.EndsWith("embedding.weight")).parameter;
        Assert.True(loaded.allclose(saved.weight!, rtol: 1e-4, atol: 1e-6));

        var error = Assert.Throws<SchemaException>(() => data.Ml.BinaryClassification.Trainers.Rnn(new RnnTrainer.Options { Epochs = 1, EmbeddingDim = 32, EmbeddingWeightsPath = folder.File("embedding.bin") }).Fit(data.Train));
        Assert.StartsWith($"The weights in '{folder.File("embedding.bin")}' do not fit the token embedding (", error.Message);
        Assert.EndsWith($"Expected: weight [{vocabulary}×32].", error.Message);
    }

    [Fact]
    public void Features_that_are_not_token_ids_are_rejected_with_a_hint()
    {
        var data = TorchTestData.Diabetes;
        var error = Assert.Throws<SchemaException>(() => data.Ml.Regression.Trainers.Rnn(new RnnTrainer.Options { Epochs = 1 }).Fit(data.Train));
        Assert.StartsWith("Feature column 'Features' should hold token ids (whole numbers ≥ 0, 0 = padding), but holds ", error.Message);
    }
}

/// <summary>The RNN's numeric mode: each 8×8 digit read as a sequence of 8 rows of 8 pixels.</summary>
public sealed class GruNumericSequenceConformance : TorchTrainerConformance
{
    protected override PredictionTask Task => PredictionTask.MulticlassClassification;
    protected override TorchTestData.Prepared Data => TorchTestData.Digits;
    protected override QualityBar Quality => new(Epochs: 8, Floor: 0.90, Reached: 0.922, LearningRate: 1e-2);

    protected override IEstimator<TorchPredictionTransformer> CreateTrainer(Action<TorchTrainerOptions>? configure = null)
    {
        var options = new RnnTrainer.Options { Cell = RnnCell.Gru, FeaturesPerStep = 8, Epochs = 1, EmbeddingDim = 16, HiddenSize = 16 };
        configure?.Invoke(options);
        return Data.Ml.MulticlassClassification.Trainers.Rnn(options);
    }
}

[Collection(TorchCollection.Name)]
public sealed class NumericSequenceTests
{
    [Fact]
    public void An_lstm_reading_digits_row_by_row_learns_them()
    {
        var data = TorchTestData.Digits;
        var model = data.Ml.MulticlassClassification.Trainers.Rnn(new RnnTrainer.Options { FeaturesPerStep = 8, Epochs = 15, EmbeddingDim = 32, HiddenSize = 64, Dropout = 0.1, LearningRate = 3e-3 }).Fit(data.Train);
        var metrics = data.Ml.MulticlassClassification.Evaluate(model.Transform(data.Test));
        Measured.AtLeast(metrics.MicroAccuracy, 0.96, 0.9749, "LSTM row-by-row digits accuracy");
    }

    [Fact]
    public void A_vector_that_is_not_whole_steps_is_refused()
    {
        var data = TorchTestData.Digits;
        var error = Assert.Throws<ArgumentException>(() => data.Ml.MulticlassClassification.Trainers.Rnn(new RnnTrainer.Options { FeaturesPerStep = 7, Epochs = 1 }).Fit(data.Train));
        Assert.Equal("The feature vector holds 64 values, not a whole number of steps of 7.", error.Message);
    }
}

/// <summary>The RNN's numeric mode on a regression head: the ten diabetes measurements read as ten steps of one value.</summary>
public sealed class LstmNumericRegressionConformance : TorchTrainerConformance
{
    protected override PredictionTask Task => PredictionTask.Regression;
    protected override TorchTestData.Prepared Data => TorchTestData.Diabetes;
    // R² 0.452 on the machine the floor was first set on, 0.428 alone and 0.433 in the whole suite on an AMD EPYC: libtorch's
    // CPU kernels (and the threads earlier tests leave) round this 30-epoch LSTM differently.
    protected override QualityBar Quality => new(Epochs: 30, Floor: 0.42, Reached: 0.428);

    protected override IEstimator<TorchPredictionTransformer> CreateTrainer(Action<TorchTrainerOptions>? configure = null)
    {
        var options = new RnnTrainer.Options { FeaturesPerStep = 1, Epochs = 30, EmbeddingDim = 16, HiddenSize = 32, LearningRate = 1e-2, Dropout = 0, Pooling = SequencePooling.Last };
        configure?.Invoke(options);
        return Data.Ml.Regression.Trainers.Rnn(options);
    }
}

/// <summary>The LSTM computes the same function whether or not gradients are tracked (libtorch's no_grad path does not; see RnnNetwork).</summary>
[Collection(TorchCollection.Name)]
public sealed class LstmInferenceTests
{
    [Fact]
    public void A_trained_lstm_scores_as_its_saved_weights_say_with_and_without_gradient_tracking()
    {
        var data = TokenTestData.Imdb;
        var model = data.Ml.BinaryClassification.Trainers.Rnn(new RnnTrainer.Options { Epochs = 1, EmbeddingDim = 16, HiddenSize = 8 }).Fit(data.Train);
        var rows = data.Test.GetColumn<Microsoft.ML.Data.VBuffer<float>>("Features").Take(100).Select(v => v.DenseValues().ToArray()).ToList();
        var scored = new float[2 * rows.Count];
        model.Network.Score(rows.SelectMany(r => r).ToArray(), rows.Count, scored);

        var weights = new MemoryStream();
        model.Network.SaveWeights(weights);
        using var reloaded = model.Network.Architecture.Build(model.Network.InputShape, 1);
        reloaded.load(new MemoryStream(weights.ToArray()));
        reloaded.eval();
        var tracked = reloaded.forward(TorchSharp.torch.tensor(rows.SelectMany(r => r).ToArray(), new long[] { rows.Count, 64 })).data<float>().ToArray();
        // Before the fix the scores were up to 0.04–0.2 away from what the saved weights compute.
        Assert.True(Enumerable.Range(0, rows.Count).Max(i => Math.Abs(scored[2 * i] - tracked[i])) < 1e-6);
    }
}
