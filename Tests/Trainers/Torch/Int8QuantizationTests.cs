using Microsoft.ML;
using Microsoft.ML.Data;
using MlToolkit.Models.Persistence;
using MlToolkit.Trainers.Torch;
using MlToolkit.Trainers.Torch.Compression;
using MlToolkit.Trainers.Torch.Sequence;

namespace MlToolkit.Tests.Trainers.Torch;

/// <summary>Int8 model files: what the module rebuilds (a sinusoid table) is not stored, and the loaded model scores as saved.</summary>
[Collection(TorchCollection.Name)]
public sealed class Int8QuantizationTests
{
    [Fact]
    public void A_quantized_transformer_saves_without_its_sinusoid_table_and_loads_with_identical_scores()
    {
        using var folder = new TempFolder();
        var data = TokenTestData.Imdb;
        var model = data.Ml.BinaryClassification.Trainers.TransformerEncoder(new TransformerTrainer.Options { Epochs = 1, ModelDim = 16, Heads = 2, FeedForwardDim = 32 }).Fit(data.Train);
        Assert.Contains("sinusoids", model.Network.Module.state_dict().Keys);
        var quantized = Int8Quantization.Quantize(model);
        using (var stream = new MemoryStream())
        {
            Int8Quantization.Write(quantized.Network, stream);
            stream.Position = 0;
            var stored = Int8Quantization.Read(stream, "memory");
            Assert.DoesNotContain("sinusoids", stored.Keys);
            Assert.Contains("input.embedding.weight", stored.Keys);
        }
        var path = folder.File("int8.zip");
        data.Ml.Model.SavePipeline(quantized, data.Train.Schema, path);
        var loaded = data.Ml.Model.LoadPipeline(path, out _);
        Assert.Equal(Scores(quantized), Scores(loaded));
    }

    private static float[] Scores(ITransformer model) => model.Transform(TokenTestData.Imdb.Test).GetColumn<float>("Score").ToArray();
}
