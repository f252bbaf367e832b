using System.Collections.Concurrent;
using Microsoft.ML;
using MlToolkit.Data;
using MlToolkit.Data.Samples;
using MlToolkit.Experiments.AutoMl;
using MlToolkit.Experiments.Candidates;
using MlToolkit.Experiments.Training;
using MlToolkit.Experiments.Tuning.SearchSpaces;

namespace MlToolkit.Tests.Experiments;

/// <summary>Trainers learn the size and kind of data they fit on, which LightGBM and the MLP choose their threads by.</summary>
public sealed class TrainingRowsTests
{
    /// <summary>L-BFGS that notes the data each fit announces.</summary>
    private sealed class RowsProbe : PerTaskCandidate
    {
        public static readonly ConcurrentQueue<DataShape?> Announced = new();

        public override string Name => "rows-probe";

        public override SearchSpace SearchSpace(PredictionTask task) => new();

        protected override IEstimator<ITransformer> Multiclass(MLContext mlContext, ParameterSet parameters, CandidateContext context)
        {
            Announced.Enqueue(context.Data);
            return mlContext.MulticlassClassification.Trainers.LbfgsMaximumEntropy();
        }
    }

    [Fact]
    public void Each_fold_fit_the_refit_and_a_single_training_run_announce_their_rows_classes_and_modality()
    {
        CandidateCatalog.Register(new RowsProbe());
        var ml = new MLContext(1);
        RowsProbe.Announced.Clear();
        ml.AutoMl().CreateExperiment(SampleDatasets.Iris(ml), "species")
            .SetTrainers("rows-probe").SetCrossValidation(5).SetTrainingTime(null).SetMaxTrials(1).Run();
        // Iris has 150 rows: each of 5 folds fits on 120, the refit on all 150.
        Assert.Equal(new long[] { 120, 120, 120, 120, 120, 150 }, RowsProbe.Announced.Select(d => d!.Rows));
        Assert.All(RowsProbe.Announced, d => Assert.Equal((3, DataModality.Tabular), (d!.Classes, d.Modality)));

        RowsProbe.Announced.Clear();
        SupervisedTraining.Run(ml, new TrainingRequest { Data = SampleDatasets.Iris(ml), LabelColumn = "species", Trainer = "rows-probe" });
        // The default 20 % test split is stratified: 10 of each class's 50 rows are held out.
        Assert.Equal(new DataShape?[] { new(120, 3, DataModality.Tabular) }, RowsProbe.Announced.ToArray());
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
