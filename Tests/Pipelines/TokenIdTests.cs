using Microsoft.ML;
using Microsoft.ML.Data;
using MlToolkit.Data.IO;
using MlToolkit.Data.Samples;
using MlToolkit.Pipelines.Text;
using MlToolkit.Tests.Support;
using MlToolkit.Models.Persistence;

namespace MlToolkit.Tests.Pipelines;

public sealed class TokenIdTests
{
    private static IDataView Texts(params string[] texts) =>
        new InMemoryTextDataView(new[] { "Text" }, texts.Select(t => new[] { t }).ToList());

    [Fact]
    public void Learns_a_frequency_ordered_vocabulary_and_writes_padded_ids_with_a_mask()
    {
        var ml = new MLContext(1);
        var train = Texts("the movie was great", "The movie was bad!", "great great fun");
        var transformer = ml.Transforms.Text.TokenizeToIds(new TokenIdEstimator.Options { InputColumnName = "Text", MaxLength = 6, MinFrequency = 1 }).Fit(train);
        // great ×3; movie, the, was ×2; then !, bad, fun ×1 in ordinal order.
        Assert.Equal(new[] { "great", "movie", "the", "was", "!", "bad", "fun" }, transformer.Vocabulary);
        Assert.Equal(10, transformer.IdCount);

        var output = transformer.Transform(Texts("The great movie, unseen", ""));
        var ids = output.GetColumn<float[]>("Tokens").ToList();
        Assert.Equal(2, transformer.Counters.UnknownTokens);
        Assert.Equal(1, transformer.Counters.EmptyRows);
        var masks = output.GetColumn<float[]>("TokensMask").ToList();
        // the=5, great=3, movie=4, ","=unknown 1, unseen=unknown 1, then padding.
        Assert.Equal(new float[] { 5, 3, 4, 1, 1, 0 }, ids[0]);
        Assert.Equal(new float[] { 1, 1, 1, 1, 1, 0 }, masks[0]);
        Assert.Equal(new float[6], ids[1]);
        Assert.Equal(new float[6], masks[1]);
    }

    [Fact]
    public void Truncates_long_texts_keeping_the_head_and_counts_them()
    {
        var ml = new MLContext(1);
        var transformer = ml.Transforms.Text.TokenizeToIds(new TokenIdEstimator.Options { InputColumnName = "Text", MaxLength = 3, MinFrequency = 1, PrependClassToken = true }).Fit(Texts("a b c d e"));
        var ids = transformer.Transform(Texts("a b c d e")).GetColumn<float[]>("Tokens").Single();
        Assert.Equal(new float[] { TokenIdEstimator.ClassTokenId, 3, 4 }, ids);
        Assert.Equal(1, transformer.Counters.TruncatedRows);
    }

    [Fact]
    public void Cl100k_ids_are_remapped_to_the_ones_seen_in_training()
    {
        var ml = new MLContext(1);
        var imdb = SampleDatasets.Imdb(ml);
        var transformer = ml.Transforms.Text.TokenizeToIds(new TokenIdEstimator.Options { InputColumnName = "Text", Tokenizer = TokenizerKind.Cl100k, MaxLength = 64 }).Fit(imdb);
        Assert.InRange(transformer.IdCount, 5_000, 30_000);
        var ids = transformer.Transform(imdb).GetColumn<float[]>("Tokens").First();
        Assert.All(ids, id => Assert.InRange(id, 0, transformer.IdCount - 1));
        Assert.Equal(64, ids.Count(id => id > 0));
    }

    [Fact]
    public void Missing_or_non_text_input_columns_are_rejected_by_name()
    {
        var ml = new MLContext(1);
        var error = Assert.Throws<SchemaException>(() => ml.Transforms.Text.TokenizeToIds("Tokens", "Review").Fit(Texts("x")));
        Assert.Equal("Text column 'Review' not found. Columns: Text.", error.Message);
        var digits = SampleDatasets.Digits(ml);
        Assert.Equal("Column 'label' holds Single; tokenizing needs a text column.",
            Assert.Throws<SchemaException>(() => ml.Transforms.Text.TokenizeToIds("Tokens", "label").Fit(digits)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.Text.TokenizeToIds("Tokens", "Text", maxLength: 0));
    }

    [Fact]
    public void A_pipeline_with_the_tokenizer_saves_and_loads_with_identical_ids()
    {
        using var folder = new TempFolder();
        var ml = new MLContext(1);
        var imdb = SampleDatasets.Imdb(ml);
        var model = ml.Transforms.Text.TokenizeToIds("Tokens", "Text", maxLength: 32).Append(ml.Transforms.Conversion.MapValueToKey("Label")).Fit(imdb);
        ml.Model.SavePipeline(model, imdb.Schema, folder.File("tok.zip"));
        var loaded = ml.Model.LoadPipeline(folder.File("tok.zip"), out _);
        Assert.Equal(model.Transform(imdb).GetColumn<float[]>("Tokens").Take(50).SelectMany(v => v), loaded.Transform(imdb).GetColumn<float[]>("Tokens").Take(50).SelectMany(v => v));
    }
}
