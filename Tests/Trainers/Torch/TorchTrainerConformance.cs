using Microsoft.ML;
using Microsoft.ML.Data;
using MlToolkit.Data;
using MlToolkit.Data.Splits;
using MlToolkit.Tests.Support;
using MlToolkit.Models.Persistence;
using MlToolkit.Trainers.Torch.Scoring;
using MlToolkit.Trainers.Torch.Training;

namespace MlToolkit.Tests.Trainers.Torch;

/// <summary>
/// The contract every torch trainer honours, run once per trainer and task (like ML.NET's TestEstimatorCore):
/// schema propagation, input validation with clear errors, option validation, save/load round trip, seeded
/// determinism, a fresh model per Fit, cancellation within one step, batched and single-row scoring agreeing.
/// </summary>
[Collection(TorchCollection.Name)]
public abstract class TorchTrainerConformance
{
    protected abstract PredictionTask Task { get; }

    protected abstract TorchTestData.Prepared Data { get; }

    /// <summary>
    /// The held-out quality (accuracy, or R² for regression) the small trainer of <see cref="CreateTrainer"/> must reach
    /// after <c>Epochs</c>: a floor just under what it measurably reaches (<c>Reached</c>), above what a trainer that
    /// learned nothing gets (the majority class), so that a regression in training shows.
    /// </summary>
    protected abstract QualityBar Quality { get; }

    /// <summary>A small, fast trainer; <paramref name="configure"/> adjusts the shared options.</summary>
    protected abstract IEstimator<TorchPredictionTransformer> CreateTrainer(Action<TorchTrainerOptions>? configure = null);

    private MLContext Ml => Data.Ml;

    private float[] Scores(ITransformer model, IDataView data) => Scores(model.Transform(data));

    private static float[] Scores(IDataView scored) => ScoreValues.Of(scored);

    [Fact]
    public void GetOutputSchema_matches_the_transformed_data_and_the_evaluator_accepts_it()
    {
        var trainer = CreateTrainer(o =>
        {
            o.Epochs = Quality.Epochs;
            o.LearningRate = Quality.LearningRate ?? o.LearningRate;
        });
        var shape = trainer.GetOutputSchema(MlToolkit.Pipelines.Transforms.SchemaShapes.FromSchema(Data.Train.Schema));
        var scored = trainer.Fit(Data.Train).Transform(Data.Test);
        var expected = Task switch
        {
            PredictionTask.BinaryClassification => new[] { "Score", "Probability", "PredictedLabel" },
            PredictionTask.MulticlassClassification => new[] { "Score", "PredictedLabel" },
            _ => new[] { "Score" },
        };
        Assert.Equal(expected, scored.Schema.Skip(Data.Test.Schema.Count).Select(c => c.Name));
        foreach (var name in expected)
        {
            Assert.True(shape.Any(c => c.Name == name), $"shape lacks {name}");
            var column = scored.Schema[name];
            var shaped = shape.Last(c => c.Name == name);
            Assert.Equal(column.Type is VectorDataViewType, shaped.Kind == SchemaShape.Column.VectorKind.Vector);
            Assert.Equal(column.Type is KeyDataViewType, shaped.IsKey);
        }
        var quality = Task switch
        {
            PredictionTask.BinaryClassification => Ml.BinaryClassification.Evaluate(scored).Accuracy,
            PredictionTask.MulticlassClassification => Ml.MulticlassClassification.Evaluate(scored).MicroAccuracy,
            _ => Ml.Regression.Evaluate(scored).RSquared,
        };
        Measured.AtLeast(quality, Quality.Floor, Quality.Reached, $"{GetType().Name} held-out quality");
    }

    [Fact]
    public void A_missing_feature_column_is_rejected_by_name()
    {
        var trainer = CreateTrainer(o => o.FeatureColumnName = "Pixels");
        var error = Assert.Throws<SchemaException>(() => trainer.Fit(Data.Train));
        Assert.StartsWith("Feature column 'Pixels' not found. Columns: ", error.Message);
        Assert.Throws<SchemaException>(() => trainer.GetOutputSchema(MlToolkit.Pipelines.Transforms.SchemaShapes.FromSchema(Data.Train.Schema)));
    }

    [Fact]
    public void A_feature_column_of_the_wrong_type_is_rejected()
    {
        var doubles = Ml.Transforms.Conversion.ConvertType("Features", "Features", DataKind.Double).Fit(Data.Train).Transform(Data.Train);
        var error = Assert.Throws<SchemaException>(() => CreateTrainer().Fit(doubles));
        Assert.StartsWith("Feature column 'Features' has type Vector<Double, ", error.Message);
        Assert.EndsWith("; torch trainers need a known-size vector of Single (or a Single).", error.Message);
    }

    [Fact]
    public void A_missing_label_column_is_rejected_by_name()
    {
        var error = Assert.Throws<SchemaException>(() => CreateTrainer(o => o.LabelColumnName = "Target").Fit(Data.Train));
        Assert.StartsWith("Label column 'Target' not found. Columns: ", error.Message);
    }

    [Fact]
    public void Empty_training_data_is_rejected()
    {
        var rows = (int)Data.Train.GetRowCount()!.Value;
        var empty = new RowSelectionView(Data.Train, new System.Collections.BitArray(rows));
        var error = Assert.Throws<SchemaException>(() => CreateTrainer().Fit(empty));
        Assert.Equal("The training data has no rows with a label in 'Label'; there is nothing to train on.", error.Message);
    }

    [Fact]
    public void A_label_with_one_class_is_rejected_for_classification_and_trains_for_regression()
    {
        var keep = new System.Collections.BitArray((int)Data.Train.GetRowCount()!.Value);
        var firstLabel = LabelsAsText(Data.Train);
        for (var i = 0; i < firstLabel.Count; i++)
            keep[i] = Equals(firstLabel[i], firstLabel[0]);
        var oneClass = new RowSelectionView(Data.Train, keep);
        if (Task == PredictionTask.Regression)
        {
            var constant = CreateTrainer().Fit(oneClass);
            Assert.Equal(firstLabel.Count(l => l == firstLabel[0]), constant.Summary!.TrainRows);
            return;
        }
        var error = Assert.Throws<SchemaException>(() => CreateTrainer().Fit(oneClass));
        Assert.Equal("Label column 'Label' has 1 distinct class in the training data; classification needs at least 2.", error.Message);
    }

    private static List<string> LabelsAsText(IDataView data)
    {
        var label = data.Schema["Label"];
        return label.Type switch
        {
            KeyDataViewType => data.GetColumn<uint>(label).Select(v => v.ToString()).ToList(),
            BooleanDataViewType => data.GetColumn<bool>(label).Select(v => v.ToString()).ToList(),
            _ => data.GetColumn<float>(label).Select(v => v.ToString("R")).ToList(),
        };
    }

    [Fact]
    public void Invalid_options_are_rejected_with_the_option_name()
    {
        Assert.Equal("Epochs", Assert.ThrowsAny<ArgumentOutOfRangeException>(() => CreateTrainer(o => o.Epochs = 0)).ParamName);
        Assert.Equal("BatchSize", Assert.ThrowsAny<ArgumentOutOfRangeException>(() => CreateTrainer(o => o.BatchSize = 0)).ParamName);
        Assert.Equal("LearningRate", Assert.ThrowsAny<ArgumentOutOfRangeException>(() => CreateTrainer(o => o.LearningRate = -0.1)).ParamName);
        Assert.Equal("LearningRate", Assert.ThrowsAny<ArgumentOutOfRangeException>(() => CreateTrainer(o => o.LearningRate = double.NaN)).ParamName);
        Assert.Equal("ValidationFraction", Assert.ThrowsAny<ArgumentOutOfRangeException>(() => CreateTrainer(o => o.ValidationFraction = 1.5)).ParamName);
        Assert.Equal("EarlyStoppingPatience", Assert.ThrowsAny<ArgumentOutOfRangeException>(() => CreateTrainer(o => o.EarlyStoppingPatience = 0)).ParamName);
        Assert.Equal("GradientClipNorm", Assert.ThrowsAny<ArgumentOutOfRangeException>(() => CreateTrainer(o => o.GradientClipNorm = 0)).ParamName);
    }

    [Fact]
    public void Same_seed_gives_identical_predictions_another_seed_does_not()
    {
        var a = Scores(CreateTrainer(o => o.Seed = 5).Fit(Data.Train), Data.Test);
        var b = Scores(CreateTrainer(o => o.Seed = 5).Fit(Data.Train), Data.Test);
        var c = Scores(CreateTrainer(o => o.Seed = 6).Fit(Data.Train), Data.Test);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void Each_fit_builds_a_fresh_model_and_leaves_the_options_alone()
    {
        var trainer = CreateTrainer();
        var first = trainer.Fit(Data.Train);
        var second = trainer.Fit(Data.Train);
        Assert.NotSame(first.Network.Module, second.Network.Module);
        Assert.Equal(Scores(first, Data.Test), Scores(second, Data.Test));
    }

    [Fact]
    public void A_pipeline_with_mlnet_and_torch_parts_saves_to_one_file_and_loads_with_identical_predictions()
    {
        using var folder = new TempFolder();
        var model = Data.Preparation.Append(CreateTrainer().Fit(Data.Train));
        var path = folder.File("pipeline.zip");
        Ml.Model.SavePipeline(model, Data.Raw.Schema, path);
        var loaded = new MLContext(seed: 9).Model.LoadPipeline(path, out var inputSchema);
        Assert.Equal(Data.Raw.Schema.Select(c => (c.Name, c.Type.ToString())), inputSchema.Select(c => (c.Name, c.Type.ToString())));
        Assert.Equal(Scores(model, Data.Raw), Scores(loaded, Data.Raw));
    }

    [Fact]
    public void Saving_a_torch_transformer_with_mlnet_save_explains_what_to_use()
    {
        var model = CreateTrainer().Fit(Data.Train);
        var error = Assert.Throws<NotSupportedException>(() => Ml.Model.Save(model, Data.Train.Schema, new MemoryStream()));
        Assert.Contains("Use mlContext.Model.SavePipeline(model, inputSchema, path)", error.Message);
    }

    [Fact]
    public void Cancellation_stops_within_one_step()
    {
        using var cancel = new CancellationTokenSource();
        var steps = new List<long>();
        var progress = new SynchronousProgress<TrainingProgress>(p =>
        {
            if (p.Kind != ProgressKind.Step)
                return;
            steps.Add(p.Step);
            if (p.Step == 3)
                cancel.Cancel();
        });
        var trainer = CreateTrainer(o =>
        {
            o.Epochs = 50;
            o.Progress = progress;
            o.CancellationToken = cancel.Token;
        });
        Assert.ThrowsAny<OperationCanceledException>(() => trainer.Fit(Data.Train));
        Assert.Equal(new long[] { 1, 2, 3 }, steps);
    }

    [Fact]
    public void Batched_scoring_single_row_scoring_and_batch_size_agree()
    {
        var model = CreateTrainer(o => o.InferenceBatchSize = 7).Fit(Data.Train);
        var batched = Scores(model, Data.Test);
        var mapper = model.GetRowToRowMapper(Data.Test.Schema);
        var single = new List<float>();
        var score = mapper.OutputSchema["Score"];
        using (var cursor = Data.Test.GetRowCursor(mapper.GetDependencies(new[] { score })))
        {
            var row = mapper.GetRow(cursor, new[] { score });
            while (cursor.MoveNext())
            {
                if (score.Type is VectorDataViewType)
                {
                    VBuffer<float> vector = default;
                    row.GetGetter<VBuffer<float>>(score)(ref vector);
                    single.AddRange(vector.DenseValues());
                }
                else
                {
                    var value = 0f;
                    row.GetGetter<float>(score)(ref value);
                    single.Add(value);
                }
            }
        }
        Assert.Equal(batched.Length, single.Count);
        // One row at a time runs other kernels than a batch: equal up to float rounding.
        for (var i = 0; i < batched.Length; i++)
            Assert.True(Math.Abs(batched[i] - single[i]) <= 1e-5 * Math.Max(1, Math.Abs(batched[i])), $"row value {i}: {batched[i]} vs {single[i]}");
    }

    [Fact]
    public void Progress_reports_every_epoch_with_throughput()
    {
        var epochs = new List<TrainingProgress>();
        var model = CreateTrainer(o =>
        {
            o.Epochs = 2;
            o.ValidationFraction = 0.2;
            o.Progress = new SynchronousProgress<TrainingProgress>(p => { if (p.Kind == ProgressKind.Epoch) epochs.Add(p); });
        }).Fit(Data.Train);
        Assert.Equal(new[] { 1, 2 }, epochs.Select(e => e.Epoch));
        Assert.All(epochs, e => Assert.True(e.SamplesPerSecond > 0 && double.IsFinite(e.Loss) && e.ValidationLoss is not null));
        Assert.Equal(Task != PredictionTask.Regression, epochs[0].ValidationAccuracy is not null);
        Assert.Equal(2, model.Summary!.Epochs.Count);
    }
}

/// <summary>What a conformance case's small trainer must reach: trained for <paramref name="Epochs"/> (at <paramref name="LearningRate"/>
/// when given), held-out quality of at least <paramref name="Floor"/>; <paramref name="Reached"/> is what it measured.</summary>
public sealed record QualityBar(int Epochs, double Floor, double Reached, double? LearningRate = null);

/// <summary>An <see cref="IProgress{T}"/> that reports on the calling thread (Progress&lt;T&gt; posts asynchronously).</summary>
public sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}

/// <summary>Torch's RNG and thread count are process-wide: tests that train run one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class TorchCollection
{
    public const string Name = "torch";
}
