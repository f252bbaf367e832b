using Microsoft.ML;
using Microsoft.ML.Data;
using MlToolkit.Models.Evaluation;

namespace MlToolkit.Tests.Trainers;

/// <summary>A model whose scores are NaN or infinite is caught before anything reports or saves it.</summary>
public sealed class ScoreCheckTests
{
    private sealed class VectorRow
    {
        [VectorType(3)]
        public float[] Score { get; set; } = Array.Empty<float>();
    }

    private sealed class ScalarRow
    {
        public float Score { get; set; }
    }

    [Fact]
    public void Rows_with_a_nan_or_infinite_score_are_counted_and_refused()
    {
        var ml = new MLContext(1);
        var vectors = ml.Data.LoadFromEnumerable(new[]
        {
            new VectorRow { Score = new[] { 0.2f, 0.3f, 0.5f } },
            new VectorRow { Score = new[] { float.NaN, 0.5f, 0.5f } },
            new VectorRow { Score = new[] { 0.1f, 0.1f, 0.8f } },
            new VectorRow { Score = new[] { 0f, float.PositiveInfinity, 0f } },
        });
        Assert.Equal((2L, 2L), ScoreCheck.NonFinite(vectors));
        var error = Assert.Throws<UnusableModelException>(() => ScoreCheck.RequireFinite(vectors, "The lightgbm model"));
        Assert.Equal("The lightgbm model gives NaN or infinite scores on 2 rows (the first is row 2); it is not used or saved. Try a lower learning rate, fewer leaves or more regularization.", error.Message);

        var scalars = ml.Data.LoadFromEnumerable(new[] { new ScalarRow { Score = 1 }, new ScalarRow { Score = -2.5f } });
        Assert.Equal((0L, 0L), ScoreCheck.NonFinite(scalars));
        ScoreCheck.RequireFinite(scalars, "fine");
    }
}
