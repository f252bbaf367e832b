using System.Collections;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlToolkit.Data;
using MlToolkit.Data.Splits;
using MlToolkit.Models.Persistence;
using MlToolkit.Pipelines.Transforms;
using MlToolkit.Tests.Support;
using MlToolkit.Tests.Trainers.Torch;
using MlToolkit.Trainers.Torch.Scoring;
using MlToolkit.Trainers.Torch.Training;

namespace MlToolkit.Tests.Trainers.ClosedForm;

/// <summary>
/// The contract every closed-form torch trainer (nearest neighbours, kernel machine, forest) honours, run per trainer and
/// task: a golden held-out metric on real data, schema propagation, clear input errors, option validation, a fresh
/// model per Fit with the options untouched, save/load round trip, batched and single-row scoring agreeing, cancellation.
/// </summary>
[Collection(TorchCollection.Name)]
public abstract class ClosedFormTrainerConformance
{
    protected abstract PredictionTask Task { get; }

    protected abstract TorchTestData.Prepared Data { get; }

    /// <summary>Held-out accuracy (R² for regression) of the default trainer: the floor, and what it measured.</summary>
    protected abstract (double Floor, double Reached) Quality { get; }

    /// <summary>The trainer with its defaults; <paramref name="configure"/> adjusts the shared options.</summary>
    protected abstract IEstimator<TorchPredictionTransformer> CreateTrainer(Action<ClosedFormTrainerOptions>? configure = null);

    /// <summary>Settings the trainer must refuse, each with the option name its error carries.</summary>
    protected abstract IEnumerable<(string Option, Action Create)> InvalidSettings { get; }

    private MLContext Ml => Data.Ml;

    protected static float[] Scores(IDataView scored) => ScoreValues.Of(scored);

    protected double HeldOutQuality(ITransformer model)
    {
        var scored = model.Transform(Data.Test);
        return Task switch
        {
            PredictionTask.BinaryClassification => Ml.BinaryClassification.Evaluate(scored).Accuracy,
            PredictionTask.MulticlassClassification => Ml.MulticlassClassification.Evaluate(scored).MicroAccuracy,
            _ => Ml.Regression.Evaluate(scored).RSquared,
        };
    }

    [Fact]
    public void It_reaches_its_golden_metric_and_its_output_schema_matches_the_scored_data()
    {
        var trainer = CreateTrainer();
        var shape = trainer.GetOutputSchema(SchemaShapes.FromSchema(Data.Train.Schema));
        var model = trainer.Fit(Data.Train);
        var scored = model.Transform(Data.Test);
        var expected = Task switch
        {
            PredictionTask.BinaryClassification => new[] { "Score", "Probability", "PredictedLabel" },
            PredictionTask.MulticlassClassification => new[] { "Score", "PredictedLabel" },
            _ => new[] { "Score" },
        };
        Assert.Equal(expected, scored.Schema.Skip(Data.Test.Schema.Count).Select(c => c.Name));
        Assert.All(expected, name => Assert.Contains(shape, c => c.Name == name));
        Assert.All(Scores(scored), s => Assert.True(float.IsFinite(s)));
        Measured.AtLeast(HeldOutQuality(model), Quality.Floor, Quality.Reached, $"{GetType().Name} held-out quality");
    }

    [Fact]
    public void Missing_and_mistyped_columns_are_rejected_by_name()
    {
        var missingFeatures = Assert.Throws<SchemaException>(() => CreateTrainer(o => o.FeatureColumnName = "Pixels").Fit(Data.Train));
        Assert.StartsWith("Feature column 'Pixels' not found. Columns: ", missingFeatures.Message);
        Assert.Throws<SchemaException>(() => CreateTrainer(o => o.FeatureColumnName = "Pixels").GetOutputSchema(SchemaShapes.FromSchema(Data.Train.Schema)));
        var doubles = Ml.Transforms.Conversion.ConvertType("Features", "Features", DataKind.Double).Fit(Data.Train).Transform(Data.Train);
        var mistyped = Assert.Throws<SchemaException>(() => CreateTrainer().Fit(doubles));
        Assert.EndsWith("; torch trainers need a known-size vector of Single (or a Single).", mistyped.Message);
        var missingLabel = Assert.Throws<SchemaException>(() => CreateTrainer(o => o.LabelColumnName = "Target").Fit(Data.Train));
        Assert.StartsWith("Label column 'Target' not found. Columns: ", missingLabel.Message);
    }

    [Fact]
    public void Empty_data_is_rejected_and_one_class_is_rejected_for_classification()
    {
        var rows = (int)Data.Train.GetRowCount()!.Value;
        var empty = Assert.Throws<SchemaException>(() => CreateTrainer().Fit(new RowSelectionView(Data.Train, new BitArray(rows))));
        Assert.Equal("The training data has no rows with a label in 'Label'; there is nothing to train on.", empty.Message);
        if (Task == PredictionTask.Regression)
            return;
        var labels = Data.Train.Schema["Label"].Type is BooleanDataViewType
            ? Data.Train.GetColumn<bool>("Label").Select(l => l.ToString()).ToList()
            : Data.Train.GetColumn<uint>("Label").Select(l => l.ToString()).ToList();
        var keep = new BitArray(rows);
        for (var i = 0; i < rows; i++)
            keep[i] = labels[i] == labels[0];
        var oneClass = Assert.Throws<SchemaException>(() => CreateTrainer().Fit(new RowSelectionView(Data.Train, keep)));
        Assert.Equal("Label column 'Label' has 1 distinct class in the training data; classification needs at least 2.", oneClass.Message);
    }

    [Fact]
    public void Invalid_options_are_rejected_with_the_option_name()
    {
        Assert.Equal("InferenceBatchSize", Assert.ThrowsAny<ArgumentOutOfRangeException>(() => CreateTrainer(o => o.InferenceBatchSize = 0)).ParamName);
        foreach (var (option, create) in InvalidSettings)
            Assert.Equal(option, Assert.ThrowsAny<ArgumentOutOfRangeException>(create).ParamName);
    }

    [Fact]
    public void Each_fit_builds_a_fresh_model_with_the_same_predictions()
    {
        var trainer = CreateTrainer();
        var first = trainer.Fit(Data.Train);
        var second = trainer.Fit(Data.Train);
        Assert.NotSame(first.Network.Module, second.Network.Module);
        Assert.Equal(Scores(first.Transform(Data.Test)), Scores(second.Transform(Data.Test)));
    }

    [Fact]
    public void A_pipeline_holding_it_saves_to_one_file_and_loads_with_identical_predictions()
    {
        using var folder = new TempFolder();
        var model = Data.Preparation.Append(CreateTrainer().Fit(Data.Train));
        var path = folder.File("pipeline.zip");
        Ml.Model.SavePipeline(model, Data.Raw.Schema, path);
        var loaded = new MLContext(seed: 9).Model.LoadPipeline(path, out _);
        Assert.Equal(Scores(model.Transform(Data.Raw)), Scores(loaded.Transform(Data.Raw)));
    }

    [Fact]
    public void Batched_and_single_row_scoring_agree()
    {
        var model = CreateTrainer(o => o.InferenceBatchSize = 7).Fit(Data.Train);
        var batched = Scores(model.Transform(Data.Test));
        var rows = (int)Data.Test.GetRowCount()!.Value;
        var single = new List<float>();
        for (var i = 0; i < rows; i++)
        {
            var keep = new BitArray(rows) { [i] = true };
            single.AddRange(Scores(model.Transform(new RowSelectionView(Data.Test, keep))));
        }
        Assert.Equal(batched.Length, single.Count);
        for (var i = 0; i < batched.Length; i++)
            Assert.True(Math.Abs(batched[i] - single[i]) <= 1e-4 * Math.Max(1, Math.Abs(batched[i])), $"value {i}: {batched[i]} vs {single[i]}");
    }

    [Fact]
    public void A_cancelled_token_stops_the_fit()
    {
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => CreateTrainer(o => o.CancellationToken = cancel.Token).Fit(Data.Train));
    }
}
