using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using MlToolkit.Data;
using MlToolkit.Data.Samples;
using MlToolkit.Experiments.Training;
using MlToolkit.Models;
using MlToolkit.Models.Explanations;

namespace MlToolkit.Tests.Models;

/// <summary>Explanations checked against what must hold: closed forms, local accuracy, unseen columns, known rankings.</summary>
public sealed class ExplanationTests
{
    public sealed class Point
    {
        public float X1 { get; set; }
        public float X2 { get; set; }
        public float X3 { get; set; }
        public float X4 { get; set; }
        public float X5 { get; set; }
        public float Unused { get; set; }
        public float Y { get; set; }
    }

    private static List<Point> Points(int count, int seed)
    {
        var random = new Random(seed);
        float U() => (float)random.NextDouble();
        return Enumerable.Range(0, count).Select(_ =>
        {
            var p = new Point { X1 = U(), X2 = U(), X3 = U(), X4 = U(), X5 = U(), Unused = U() };
            p.Y = 3 * p.X1 - 2 * p.X2 + 0.5f * p.X3 + 0.1f * (U() - 0.5f);
            return p;
        }).ToList();
    }

    private static (TrainedModel Model, float[] Weights, IDataView Data) LinearModel(MLContext ml)
    {
        var data = ml.Data.LoadFromEnumerable(Points(400, 1));
        var pipeline = ml.Transforms.CopyColumns("Label", "Y")
            .Append(ml.Transforms.Concatenate("Features", "X1", "X2", "X3", "X4", "X5"))
            .Append(ml.Regression.Trainers.Sdca(maximumNumberOfIterations: 200))
            .Fit(data);
        var weights = pipeline.LastTransformer.Model.Weights.ToArray();
        return (TrainedModel.FromPipeline(pipeline, data.Schema, labelColumn: "Y"), weights, data);
    }

    [Fact]
    public void Exact_kernel_shap_on_a_linear_model_equals_the_closed_form_and_gives_an_unseen_column_nothing()
    {
        var ml = new MLContext(1);
        var (model, weights, data) = LinearModel(ml);
        var rows = ml.Data.LoadFromEnumerable(Points(5, 2));
        var explained = ml.Explanations().KernelShap(model, data, rows, new ShapOptions { BackgroundRows = 400 });
        var background = ml.Data.CreateEnumerable<Point>(data, false).ToList();
        var means = new[] { background.Average(p => p.X1), background.Average(p => p.X2), background.Average(p => p.X3), background.Average(p => p.X4), background.Average(p => p.X5) };
        Assert.Equal(5, explained.Count);
        foreach (var (explanation, point) in explained.Zip(ml.Data.CreateEnumerable<Point>(rows, false)))
        {
            var values = new[] { point.X1, point.X2, point.X3, point.X4, point.X5 };
            var phi = explanation.Features.ToDictionary(f => f.Column, f => f.Attribution);
            for (var j = 0; j < 5; j++)
                Assert.Equal(weights[j] * (values[j] - means[j]), phi[$"X{j + 1}"], 6);
            Assert.Equal(0, phi["Unused"], 6);
            Assert.Equal(explanation.Prediction - explanation.BaseValue, phi.Values.Sum(), 5);
            Assert.Equal(explanation.Features.OrderByDescending(f => Math.Abs(f.Attribution)).Select(f => f.Column), explanation.Features.Select(f => f.Column));
        }
    }

    [Fact]
    public void Sampled_kernel_shap_adds_up_to_the_prediction_for_lightgbm_on_breast_cancer_in_probability_and_log_odds()
    {
        var ml = new MLContext(1);
        var data = SampleDatasets.BreastCancer(ml);
        var model = SupervisedTraining.Run(ml, new TrainingRequest { Data = data, LabelColumn = "diagnosis" }).Model;
        var rows = ml.Data.TakeRows(data, 3);
        foreach (var link in new[] { ShapLink.Identity, ShapLink.Logit })
        {
            var explained = ml.Explanations().KernelShap(model, data, rows, new ShapOptions { BackgroundRows = 30, Samples = 512, Link = link });
            foreach (var explanation in explained)
            {
                Assert.Equal(30, explanation.Features.Count);
                Assert.Equal(explanation.Prediction - explanation.BaseValue, explanation.Features.Sum(f => f.Attribution), 5);
            }
        }
    }

    [Fact]
    public void Kernel_shap_and_lime_explain_a_torch_mlp_on_iris_per_class()
    {
        var ml = new MLContext(1);
        var iris = SampleDatasets.Iris(ml);
        var model = SupervisedTraining.Run(ml, new TrainingRequest { Data = iris, LabelColumn = "species", Trainer = "mlp" }).Model;
        var rows = ml.Data.TakeRows(iris, 2);
        var shap = ml.Explanations().KernelShap(model, iris, rows, new ShapOptions { Class = "setosa" });
        foreach (var explanation in shap)
        {
            Assert.Equal("probability of 'setosa'", explanation.Output);
            Assert.Equal(4, explanation.Features.Count);
            Assert.Equal(explanation.Prediction - explanation.BaseValue, explanation.Features.Sum(f => f.Attribution), 5);
            Assert.Contains(explanation.Features[0].Column, new[] { "petal_length_cm", "petal_width_cm" });
        }
        var lime = ml.Explanations().Lime(model, iris, rows);
        Assert.All(lime, e => Assert.Equal("probability of 'setosa'", e.Output));
    }

    [Fact]
    public void Lime_on_a_linear_model_ranks_the_strongest_column_first_and_its_surrogate_fits()
    {
        var ml = new MLContext(1);
        var (model, _, data) = LinearModel(ml);
        var rows = ml.Data.LoadFromEnumerable(Points(3, 2));
        var explained = ml.Explanations().Lime(model, data, rows, new LimeOptions { Samples = 1000 });
        var background = ml.Data.CreateEnumerable<Point>(data, false).ToList();
        var means = new[] { background.Average(p => p.X1), background.Average(p => p.X2), background.Average(p => p.X3) };
        foreach (var (explanation, point) in explained.Zip(ml.Data.CreateEnumerable<Point>(rows, false)))
        {
            // Around a linear model the surrogate's slope is the model's: contribution ≈ w_j (x_j − mean_j).
            var contribution = explanation.Features.ToDictionary(f => f.Column, f => f.Attribution);
            var worst = new[] { Math.Abs(contribution["X1"] - 3 * (point.X1 - means[0])), Math.Abs(contribution["X2"] + 2 * (point.X2 - means[1])), Math.Abs(contribution["X3"] - 0.5 * (point.X3 - means[2])) }.Max();
            Measured.AtMost(worst, 0.01, 0.0080, "largest gap between LIME's contributions and w_j (x_j − mean_j) on a linear model");
            Assert.Equal(explanation.Surrogate!.LocalPrediction, explanation.Surrogate.Intercept + explanation.Features.Sum(f => f.Attribution), 9);
            Measured.AtLeast(explanation.Surrogate.RSquared, 0.9998, 0.99991, "weighted R² of LIME's surrogate of a linear model");
            Assert.True(Math.Abs(explanation.Features.Single(f => f.Column == "Unused").Attribution) < 0.05);
        }
    }

    [Fact]
    public void Permutation_importance_ranks_the_informative_column_first_and_noise_near_zero()
    {
        var ml = new MLContext(1);
        var (model, _, _) = LinearModel(ml);
        var test = ml.Data.LoadFromEnumerable(Points(300, 3));
        var result = ml.Explanations().PermutationImportance(model, test, new PfiOptions { Repeats = 5 });
        Assert.Equal("r_squared", result.Metric);
        Assert.Equal(new[] { "X1", "X2", "X3" }, result.Columns.Take(3).Select(c => c.Column));
        Measured.AtLeast(result.Columns[0].Importance, 1.5, 1.540, "loss of R² when X1 (weight 3) is shuffled");
        foreach (var noise in result.Columns.Where(c => c.Column is "X4" or "X5" or "Unused"))
            Assert.True(Math.Abs(noise.Importance) < 0.01, $"{noise.Column}: {noise.Importance}");
    }

    [Theory]
    [InlineData("wine", "cultivar")]
    [InlineData("breast-cancer", "diagnosis")]
    public void Permutation_importance_scored_in_batches_equals_one_evaluation_per_shuffle(string sample, string label)
    {
        var ml = new MLContext(1);
        var data = SampleDatasets.Get(sample).Load(ml);
        var model = SupervisedTraining.Run(ml, new TrainingRequest { Data = data, LabelColumn = label, Trainer = "lbfgs" }).Model;
        var options = new PfiOptions { Repeats = 2, MaxRows = 150, Seed = 7 };
        var batched = ml.Explanations().PermutationImportance(model, data, options);

        // The same shuffles, drawn in the same order (column by column, repeat by repeat), each scored on its own.
        var table = MlToolkit.Data.IO.ColumnTable.Read(data, options.MaxRows);
        var identity = Enumerable.Range(0, table.Rows).ToArray();
        var baseline = MlToolkit.Models.Evaluation.ModelEvaluator.Evaluate(ml, model, table.ToDataView());
        var random = new Random(options.Seed);
        var expected = new Dictionary<string, double>();
        foreach (var feature in ExplainedColumns.Of(model, table, Array.Empty<string>()))
        {
            var losses = Enumerable.Range(0, options.Repeats).Select(_ =>
            {
                var rows = Enumerable.Range(0, table.Schema.Count).Select(c => c == feature ? identity.ToArray().Shuffled(random) : identity).ToArray();
                return baseline["accuracy"] - MlToolkit.Models.Evaluation.ModelEvaluator.Evaluate(ml, model, table.Compose(rows))["accuracy"];
            }).ToList();
            expected[table.Schema[feature].Name] = losses.Average();
        }
        Assert.Equal(expected.Count, batched.Columns.Count);
        Assert.Contains(batched.Columns, c => c.Importance > 0);
        foreach (var column in batched.Columns)
            Assert.Equal(expected[column.Column], column.Importance, 12);

        // Split into passes of 2–3 variants, the metrics are the same as in one pass.
        var variants = Enumerable.Range(0, table.Schema.Count).Select(c => Enumerable.Range(0, table.Schema.Count).Select(k => k == c ? identity.Reverse().ToArray() : identity).ToArray()).ToList();
        var whole = BatchedEvaluation.Metrics(ml, model, table, variants);
        var split = BatchedEvaluation.Metrics(ml, model, table, variants, rowsPerPass: 2 * table.Rows + 1);
        Assert.Equal(whole.Select(m => m.Select(p => p.Value).ToArray()), split.Select(m => m.Select(p => p.Value).ToArray()));
    }

    [Fact]
    public void A_model_summary_explains_in_full_without_a_budget_and_with_no_time_left_keeps_a_100_row_importance_and_says_what_it_cut()
    {
        var ml = new MLContext(1);
        var (model, _, data) = LinearModel(ml);
        var full = ModelSummary.Compute(ml, model, data);
        Assert.Equal((400, 3), (full.Importance.Rows, full.Importance.Repeats));
        Assert.Equal(3, full.Rows.Count);
        Assert.Null(full.Limits);
        Assert.Equal(full.Rows.Count, ModelSummary.Compute(ml, model, data, TimeSpan.FromHours(1)).Rows.Count);

        var cut = ModelSummary.Compute(ml, model, data, TimeSpan.Zero);
        Assert.Equal((100, 1), (cut.Importance.Rows, cut.Importance.Repeats));
        Assert.Empty(cut.Rows);
        Assert.Equal("Cut to fit the 0.0 s left for explaining: importance shuffles each column once over 100 rows (in full: 3 times over 400); "
            + "SHAP explains no rows (one row with 128 coalitions would not fit).", cut.Limits);
        // A hundred rows of the seeded sample still rank the columns by their weights (3, −2, 0.5).
        Assert.Equal(new[] { "X1", "X2", "X3" }, cut.Importance.Columns.Take(3).Select(c => c.Column));
    }
}
