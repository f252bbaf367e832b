using Microsoft.ML;
using Microsoft.ML.Data;
using MlToolkit.Data.Samples;
using MlToolkit.Data.Splits;
using MlToolkit.Pipelines.Featurization;
using MlToolkit.Tests.Support;

namespace MlToolkit.Tests.Pipelines;

/// <summary>Capping a wide feature vector at the slots most informative of the label, before the trainer that reads it.</summary>
public sealed class MutualInformationFeatureCapTests
{
    [Fact]
    public void A_vector_no_wider_than_the_cap_reaches_the_trainer_unchanged()
    {
        var ml = new MLContext(1);
        var raw = SampleDatasets.BreastCancer(ml);
        var labelled = ml.Data.Cache(ml.Transforms.Concatenate("Features", "mean_radius", "mean_texture", "mean_perimeter", "mean_area")
            .Append(ml.Transforms.CustomMapping<DiagnosisRow, BinaryLabelRow>((row, label) => label.Label = row.Diagnosis == "malignant", contractName: null))
            .Fit(raw).Transform(raw));

        var capped = new MutualInformationFeatureCap(ml, ml.BinaryClassification.Trainers.LbfgsLogisticRegression(), maximumSlots: 4).Fit(labelled);
        var direct = ml.BinaryClassification.Trainers.LbfgsLogisticRegression().Fit(labelled);

        Assert.IsNotType<TransformerChain<ITransformer>>(capped);
        Assert.Equal(direct.Transform(labelled).GetColumn<float>("Score"), capped.Transform(labelled).GetColumn<float>("Score"));
    }

    [Fact]
    public void A_wider_vector_is_cut_to_the_most_informative_slots_learned_on_the_training_rows()
    {
        var ml = new MLContext(1);
        var reviews = ml.Data.Cache(ml.Transforms.Text.FeaturizeText("Features", "Text")
            .Append(ml.Transforms.CustomMapping<ReviewRow, BinaryLabelRow>((row, label) => label.Label = row.Label == "positive", contractName: null))
            .Fit(SampleDatasets.Imdb(ml)).Transform(SampleDatasets.Imdb(ml)));
        var split = DataSplits.TrainTest(reviews, 0.2, seed: 1, "Label");
        var width = ((VectorDataViewType)split.Train.Schema["Features"].Type).Size;
        Assert.True(width > 100_000, $"{width} TF-IDF slots");

        var model = Assert.IsType<TransformerChain<ITransformer>>(
            new MutualInformationFeatureCap(ml, LightlyPenalized(ml), maximumSlots: 20_000).Fit(split.Train));
        var selected = model.First().Transform(split.Test).Schema["Features"];
        Assert.Equal(20_000, ((VectorDataViewType)selected.Type).Size);
        VBuffer<ReadOnlyMemory<char>> names = default;
        selected.GetSlotNames(ref names);
        var kept = names.DenseValues().Select(n => n.ToString()).ToHashSet();
        foreach (var word in new[] { "bad", "worst", "waste", "great", "excellent" })
            Assert.Contains("Word." + word, kept);
        Assert.DoesNotContain("Word.the", kept);

        // The same logistic regression on every slot, for comparison: on 1,600 reviews the rare n-grams the cut drops are noise.
        var capped = ml.BinaryClassification.Evaluate(model.Transform(split.Test)).Accuracy;
        var all = ml.BinaryClassification.Evaluate(LightlyPenalized(ml).Fit(split.Train).Transform(split.Test)).Accuracy;
        Measured.AtLeast(capped, 0.84, 0.8475, "L-BFGS on 20,000 of the TF-IDF slots, held-out accuracy");
        Measured.AtLeast(capped - all, 0.02, 0.0325, "held-out accuracy on 20,000 slots minus on all slots");
    }

    // AutoML's first L-BFGS trial on text: ML.NET's default L1 = 1 zeroes most weights of L2-normalized TF-IDF rows.
    private static IEstimator<ITransformer> LightlyPenalized(MLContext ml) =>
        ml.BinaryClassification.Trainers.LbfgsLogisticRegression(l1Regularization: 1e-5f, l2Regularization: 0.1f);

    [Fact]
    public void A_missing_feature_column_is_named()
    {
        var ml = new MLContext(1);
        var cap = new MutualInformationFeatureCap(ml, ml.BinaryClassification.Trainers.LbfgsLogisticRegression(), maximumSlots: 10, featureColumn: "Pixels");
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => cap.Fit(SampleDatasets.Imdb(ml)));
        Assert.StartsWith("Feature column 'Pixels' is not in the input.", error.Message);
        var schemaError = Assert.Throws<ArgumentOutOfRangeException>(() => cap.GetOutputSchema(MlToolkit.Pipelines.Transforms.SchemaShapes.FromSchema(SampleDatasets.Imdb(ml).Schema)));
        Assert.StartsWith("Feature column 'Pixels' is not in the input.", schemaError.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new MutualInformationFeatureCap(ml, cap, maximumSlots: 0));
    }

    private sealed class DiagnosisRow
    {
        [ColumnName("diagnosis")]
        public string Diagnosis { get; set; } = "";
    }

    private sealed class ReviewRow
    {
        public string Label { get; set; } = "";
    }

    private sealed class BinaryLabelRow
    {
        [ColumnName("Label")]
        public bool Label { get; set; }
    }
}
