using MlToolkit.Models.Explanations;

namespace MlToolkit.Tests.Models;

/// <summary>
/// How the report's explanations are cut to a time budget, priced at a fixed scoring cost (the one measured for an
/// eight-member ensemble on soybean: 25 ms per pass and 0.18 ms per row) so that no clock is read.
/// </summary>
public sealed class ExplanationPlanTests
{
    private static readonly ScoringCost Ensemble = new(0.025, 0.00018);

    [Fact]
    public void Importance_keeps_three_shuffles_of_up_to_1000_rows_when_they_fit_and_otherwise_shuffles_once_as_many_rows_as_fit()
    {
        // Two passes (the rows, then all 3 shuffles of 35 columns in one batch) of 547 + 57,435 rows:
        // 2 × 0.025 + 57,982 × 0.00018 = 10.49 s.
        Assert.Equal((547, 3), ExplanationPlan.Importance(547, 35, Ensemble, 10.5));
        Assert.Equal((547, 3), ExplanationPlan.Importance(547, 35, Ensemble, null));
        Assert.Equal((1000, 3), ExplanationPlan.Importance(5000, 35, ScoringCost.None, 0));
        // One shuffle: 1.7 s leave (1.7 − 2 × 0.025) / (36 × 0.00018) = 254 rows.
        Assert.Equal(1, ExplanationPlan.Importance(547, 35, Ensemble, 10.4).Repeats);
        Assert.Equal((254, 1), ExplanationPlan.Importance(547, 35, Ensemble, 1.7));
        Assert.Equal((100, 1), ExplanationPlan.Importance(547, 35, Ensemble, 0.1));
        Assert.Equal((60, 1), ExplanationPlan.Importance(60, 35, Ensemble, 0));
        // 200 columns and the label over 1,000 rows: a pass holds 19 shuffles (4,000,000 indices), so 3 shuffles of each
        // column take 32 passes and the rows one more, 33 × 0.5 s; one shuffle of each takes 12 passes.
        Assert.Equal((1000, 3), ExplanationPlan.Importance(1000, 200, new ScoringCost(0.5, 0), 16.5));
        Assert.Equal((1000, 1), ExplanationPlan.Importance(1000, 200, new ScoringCost(0.5, 0), 16.4));
        // In 5.9 s one shuffle of each fits over 995 rows, where a pass holds 20 shuffles: 11 passes.
        Assert.Equal((995, 1), ExplanationPlan.Importance(1000, 200, new ScoringCost(0.5, 0), 5.9));
        Assert.Equal((100, 1), ExplanationPlan.Importance(547, 35, new ScoringCost(0.5, 0), 0.9));
    }

    [Fact]
    public void Shap_shrinks_its_background_then_its_rows_then_its_coalitions_and_explains_no_row_when_even_that_does_not_fit()
    {
        // A row in full: 50 × 512 coalition rows, the row itself and 50 background rows, in three passes: 4.69 s.
        Assert.Equal((3, 50, 512), ExplanationPlan.Shap(3, 35, Ensemble, 14.1));
        Assert.Equal((3, 50, 512), ExplanationPlan.Shap(3, 35, Ensemble, null));
        // With 20 background rows a row costs 1.92 s.
        Assert.Equal((3, 20, 512), ExplanationPlan.Shap(3, 35, Ensemble, 14));
        Assert.Equal((2, 20, 512), ExplanationPlan.Shap(3, 35, Ensemble, 4));
        // (1 − 3 × 0.025) / 0.00018 / 20 = 256 coalitions.
        Assert.Equal((1, 20, 256), ExplanationPlan.Shap(3, 35, Ensemble, 1));
        Assert.Null(ExplanationPlan.Shap(3, 35, Ensemble, 0.4));
        Assert.Null(ExplanationPlan.Shap(3, 35, new ScoringCost(0.5, 0), 1));
        Assert.Null(ExplanationPlan.Shap(0, 35, Ensemble, null));

        // Three columns have 2³ − 2 = 6 coalitions, all enumerated: a row in full costs (0.025 + 300 × 0.00018) + 0.034 + 0.025 = 0.138 s.
        Assert.Equal(6, Coalitions.Count(3, 512));
        Assert.Equal(512, Coalitions.Count(35, 512));
        Assert.Equal((3, 50, 512), ExplanationPlan.Shap(3, 3, Ensemble, 0.42));
        Assert.Equal((3, 20, 512), ExplanationPlan.Shap(3, 3, Ensemble, 0.41));
    }

    [Fact]
    public void A_scoring_cost_is_read_from_two_timed_passes_and_is_never_negative()
    {
        var cost = ScoringCost.From(1000, 0.205, 100, 0.043);
        Assert.Equal(0.00018, cost.PerRow, 12);
        Assert.Equal(0.025, cost.PerPass, 12);
        // The larger pass timed faster than the smaller one: the noise gives no per-row cost, all of it is per pass.
        Assert.Equal(new ScoringCost(0.05, 0), ScoringCost.From(1000, 0.04, 100, 0.05));
        Assert.Equal(3.5, new ScoringCost(0.5, 0.01).Seconds(5, 20), 12);
    }
}
