using System.Collections.Concurrent;
using Microsoft.ML;
using MlToolkit.Data;
using MlToolkit.Data.Samples;
using MlToolkit.Data.Splits;
using MlToolkit.Experiments.AutoMl;
using MlToolkit.Experiments.Candidates;
using MlToolkit.Experiments.Training;
using MlToolkit.Experiments.Tuning.SearchSpaces;
using MlToolkit.Models.Evaluation;

namespace MlToolkit.Tests.Experiments;

/// <summary>Trainers learn the size and kind of data they fit on, which LightGBM and the MLP choose their threads by.</summary>
public sealed class TrainingRowsTests
{
    /// <summary>L-BFGS that notes the data each fit announces. Never registered: the catalog is shared by every test.</summary>
    private sealed class DataProbe : PerTaskCandidate
    {
        public ConcurrentQueue<DataShape?> Announced { get; } = new();

        public override string Name => "data-probe";

        public override SearchSpace SearchSpace(PredictionTask task) => new();

        protected override IEstimator<ITransformer> Multiclass(MLContext mlContext, ParameterSet parameters, CandidateContext context)
        {
            Announced.Enqueue(context.Data);
            return mlContext.MulticlassClassification.Trainers.LbfgsMaximumEntropy();
        }
    }

    [Fact]
    public void A_single_training_run_announces_its_training_rows_classes_and_modality()
    {
        var ml = new MLContext(1);
        var probe = new DataProbe();
        SupervisedTraining.Run(ml, new TrainingRequest { Data = SampleDatasets.Iris(ml), LabelColumn = "species", Candidate = probe });
        // The default 20 % test split is stratified: 10 of each class's 50 rows are held out.
        Assert.Equal(new DataShape?[] { new(120, 3, DataModality.Tabular) }, probe.Announced.ToArray());
    }

    [Fact]
    public void Each_fold_of_an_automl_trial_knows_the_rows_it_fits_on()
    {
        var ml = new MLContext(1);
        var folds = DataSplits.KFold(SampleDatasets.Iris(ml), 5, seed: 1, stratifyColumn: "species");
        var evaluator = new TrialEvaluator(PredictionTask.MulticlassClassification, MetricDefinition.Get(PredictionTask.MulticlassClassification, null), folds,
            _ => throw new InvalidOperationException("no trial runs here"), 1, reportEpochs: false, Array.Empty<string>(), new DataShape(150, 3, DataModality.Tabular));
        // Stratified 5-fold CV of iris's 150 rows (50 per class): each fold trains on 40 of each class.
        Assert.Equal(Enumerable.Repeat(new DataShape(120, 3, DataModality.Tabular), 5), Enumerable.Range(0, 5).Select(evaluator.FoldData));
    }

    [Theory]
    [InlineData(2, 9_999L, DataModality.Tabular, 1)]
    [InlineData(2, 10_000L, DataModality.Tabular, 2)]
    [InlineData(null, 500L, DataModality.Tabular, 1)]
    [InlineData(null, 10_000L, DataModality.Tabular, null)]
    [InlineData(2, 500L, DataModality.Text, 2)]
    [InlineData(2, 500L, DataModality.Images, 2)]
    public void A_trainer_runs_on_one_thread_only_on_a_table_below_its_row_threshold(int? threads, long rows, DataModality modality, int? expected)
    {
        var context = new CandidateContext(threads, 1, CancellationToken.None) { Data = new DataShape(rows, 2, modality) };
        Assert.Equal(expected, context.ThreadsOnTablesWithOneBelow(10_000));
        Assert.Equal(threads, (context with { Data = null }).ThreadsOnTablesWithOneBelow(10_000));
    }
}
