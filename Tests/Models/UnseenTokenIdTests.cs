using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using MlToolkit.Models.Onnx;
using MlToolkit.Tests.Support;
using MlToolkit.Tests.Trainers.Torch;
using MlToolkit.Trainers.Torch;
using MlToolkit.Trainers.Torch.Sequence;

namespace MlToolkit.Tests.Models;

/// <summary>
/// A sequence model's vocabulary is what its training rows held. Rows scored later (or its own validation slice) may
/// hold higher ids, e.g. from a tokenizer fitted on more text: they are read as padding, in TorchSharp and in ONNX alike.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class UnseenTokenIdTests
{
    private const int Length = 6;

    private sealed class Row
    {
        [VectorType(Length)]
        public float[] Features { get; set; } = Array.Empty<float>();

        public bool Label { get; set; }
    }

    private static IEnumerable<Row> Rows(int count, int highestId, int seed)
    {
        var random = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            var ids = Enumerable.Range(0, Length).Select(_ => (float)random.Next(1, highestId + 1)).ToArray();
            yield return new Row { Features = ids, Label = ids.Contains(1f) };
        }
    }

    [Theory]
    [InlineData("lstm")]
    [InlineData("transformer")]
    public void An_id_past_the_vocabulary_reads_as_padding_in_torchsharp_and_in_onnx(string network)
    {
        var ml = new MLContext(1);
        // ValidationFraction 0.2: the vocabulary comes from the other 80%, so the validation slice may hold ids past it.
        var trainer = network == "lstm"
            ? (IEstimator<ITransformer>)ml.BinaryClassification.Trainers.Rnn(new RnnTrainer.Options { Epochs = 2, EmbeddingDim = 8, HiddenSize = 8, ValidationFraction = 0.2 })
            : ml.BinaryClassification.Trainers.TransformerEncoder(new TransformerTrainer.Options { Epochs = 2, ModelDim = 8, Heads = 2, FeedForwardDim = 16, Layers = 1, ValidationFraction = 0.2 });
        var model = (MlToolkit.Trainers.Torch.Scoring.TorchPredictionTransformer)trainer.Fit(ml.Data.LoadFromEnumerable(Rows(200, highestId: 20, seed: 1)));

        var unseen = Rows(50, highestId: 40, seed: 2).ToList();
        var masked = unseen.Select(r => new Row { Features = r.Features.Select(id => id > 20 ? 0f : id).ToArray(), Label = r.Label }).ToList();
        var scores = ScoreValues.Of(model.Transform(ml.Data.LoadFromEnumerable(unseen)));
        Assert.Equal(ScoreValues.Of(model.Transform(ml.Data.LoadFromEnumerable(masked))), scores);

        using var folder = new TempFolder();
        var path = folder.File("unseen.onnx");
        TorchOnnxExporter.Export(model, path);
        var input = new DenseTensor<float>(unseen.SelectMany(r => r.Features).ToArray(), new[] { unseen.Count, Length });
        using var session = new InferenceSession(path);
        using var results = session.Run(new[] { NamedOnnxValue.CreateFromTensor("Features", input) });
        var onnx = results.Single(r => r.Name == "Score").AsTensor<float>().ToArray();
        Assert.All(scores.Zip(onnx), p => Assert.Equal(p.First, p.Second, 1e-4));
    }
}
