using Microsoft.ML;
using Microsoft.ML.Data;
using MlToolkit.Data.Delimited;
using MlToolkit.Tests.Support;
using MlToolkit.Trainers.Torch;
using MlToolkit.Trainers.Torch.Mlp;
using MlToolkit.Models.Persistence;
using MlToolkit.Trainers.Torch.Training;

namespace MlToolkit.Tests.Trainers.Torch;

[Collection(TorchCollection.Name)]
public sealed class TrainingMachineryTests
{
    [Fact]
    public void Early_stopping_stops_after_patience_and_keeps_the_best_epoch()
    {
        var data = TorchTestData.Digits;
        var model = data.Ml.MulticlassClassification.Trainers.Mlp(new MlpTrainer.Options
        {
            Epochs = 60, HiddenLayers = new[] { 512 }, LearningRate = 3e-3, EarlyStoppingPatience = 3,
        }).Fit(data.Train, data.Test);
        var summary = model.Summary!;
        Assert.True(summary.StoppedEarly, $"ran {summary.Epochs.Count} epochs");
        Assert.Equal(summary.BestEpoch + 3, summary.Epochs.Count);
        var best = summary.Epochs.MinBy(e => e.ValidationLoss!.Value)!;
        Assert.Equal(best.Epoch, summary.BestEpoch);
        Assert.True(summary.Epochs[^1].ValidationLoss > best.ValidationLoss, "the last epoch was the best, so nothing was restored");

        // The kept weights are the best epoch's: the validation log-loss measured now, by ML.NET's evaluator on the
        // restored model, equals the one recorded at that epoch (and not the last epoch's).
        var remeasured = data.Ml.MulticlassClassification.Evaluate(model.Transform(data.Test)).LogLoss;
        Assert.Equal(best.ValidationLoss!.Value, remeasured, 4);
    }

    [Fact]
    public void A_spent_time_limit_starts_no_further_epoch_and_a_negative_one_is_refused()
    {
        var data = TorchTestData.Digits;
        // A limit of zero is spent once the first epoch ends, whatever the machine's speed: exactly one epoch runs.
        var model = data.Ml.MulticlassClassification.Trainers.Mlp(new MlpTrainer.Options { Epochs = 20, HiddenLayers = new[] { 16 }, TimeLimit = TimeSpan.Zero }).Fit(data.Train);
        Assert.Single(model.Summary!.Epochs);
        Assert.True(model.Summary.StoppedEarly);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => data.Ml.MulticlassClassification.Trainers.Mlp(new MlpTrainer.Options { TimeLimit = TimeSpan.FromSeconds(-1) }));
        Assert.Equal("TimeLimit", error.ParamName);
    }

    [Fact]
    public void Validation_on_given_data_watches_accuracy_when_asked()
    {
        var data = TorchTestData.Digits;
        var trainer = data.Ml.MulticlassClassification.Trainers.Mlp(new MlpTrainer.Options { Epochs = 4, ValidationMetric = ValidationMetric.Accuracy });
        var model = trainer.Fit(data.Train, data.Test);
        var recorded = model.Summary!.Epochs.Single(e => e.Epoch == model.Summary.BestEpoch).ValidationAccuracy!.Value;
        var measured = data.Ml.MulticlassClassification.Evaluate(model.Transform(data.Test)).MicroAccuracy;
        Assert.Equal(recorded, measured, 6);
        Assert.Equal(model.Summary.Epochs.Max(e => e.ValidationAccuracy!.Value), recorded);
    }

    [Fact]
    public void A_diverging_run_names_the_epoch_and_learning_rate()
    {
        var data = TorchTestData.Diabetes;
        var trainer = data.Ml.Regression.Trainers.Mlp(new MlpTrainer.Options { Epochs = 5, Optimizer = OptimizerKind.Sgd, LearningRate = 10, HiddenLayers = new[] { 64, 64 } });
        var error = Assert.Throws<TrainingDivergedException>(() => trainer.Fit(data.Train));
        Assert.Matches(@"^Training diverged: the loss became (NaN|∞|-∞|Infinity) at epoch 1, step \d+, learning rate 10\. Lower the learning rate, enable gradient clipping or normalize the features\.$", error.Message);
        Assert.Equal(1, error.Epoch);
    }

    [Fact]
    public void Gradient_clipping_tames_the_same_run()
    {
        var data = TorchTestData.Diabetes;
        // Without clipping this run diverges (the test above); with it, Fit returns and the model learned something.
        var model = data.Ml.Regression.Trainers.Mlp(new MlpTrainer.Options { Epochs = 5, Optimizer = OptimizerKind.Sgd, LearningRate = 10, HiddenLayers = new[] { 64, 64 }, GradientClipNorm = 0.01 }).Fit(data.Train);
        var losses = model.Summary!.Epochs.Select(e => e.TrainLoss).ToList();
        Assert.True(losses[^1] < losses[0], $"training loss did not fall: {string.Join(", ", losses)}");
        Measured.AtLeast(data.Ml.Regression.Evaluate(model.Transform(data.Test)).RSquared, 0.15, 0.1757, "held-out R² of the clipped run");
    }

    [Theory]
    [InlineData(OptimizerKind.Sgd)]
    [InlineData(OptimizerKind.Momentum)]
    [InlineData(OptimizerKind.Adam)]
    [InlineData(OptimizerKind.AdamW)]
    public void Every_optimizer_with_regularization_and_a_schedule_learns_digits(OptimizerKind optimizer)
    {
        var data = TorchTestData.Digits;
        var options = new MlpTrainer.Options
        {
            Epochs = 8, Optimizer = optimizer, Nesterov = optimizer == OptimizerKind.Momentum, L1 = 1e-6, L2 = 1e-5, WeightDecay = 1e-4,
            LearningRate = optimizer is OptimizerKind.Sgd or OptimizerKind.Momentum ? 0.1 : 3e-3,
            LearningRateSchedule = LearningRateScheduleKind.OneCycle, LabelSmoothing = 0.05, BatchNorm = true,
        };
        var model = data.Ml.MulticlassClassification.Trainers.Mlp(options).Fit(data.Train);
        var accuracy = data.Ml.MulticlassClassification.Evaluate(model.Transform(data.Test)).MicroAccuracy;
        Measured.AtLeast(accuracy, 0.975, optimizer == OptimizerKind.Momentum ? 0.9916 : 0.9861, $"{optimizer} accuracy");
    }

    [Fact]
    public void Missing_pixel_values_are_an_error_naming_the_row_not_a_silent_nan()
    {
        using var folder = new TempFolder();
        var lines = new List<string> { "a,b,c,d,label" };
        for (var i = 0; i < 30; i++)
            lines.Add(i == 0 ? "1,NA,3,4,0" : $"{i % 5},{i % 3},{i % 7},{i % 2},{i % 2}");
        var ml = new MLContext(1);
        var view = DelimitedFile.Load(folder.Write("na.csv", string.Join("\n", lines)));
        var prepared = ml.Transforms.Concatenate("Features", "a", "b", "c", "d").Append(ml.Transforms.Conversion.MapValueToKey("Label", "label")).Fit(view).Transform(view);
        var trainer = ml.MulticlassClassification.Trainers.Mlp(new MlpTrainer.Options { Epochs = 1, Shuffle = false });
        var error = Assert.Throws<DataFormatException>(() => trainer.Fit(prepared));
        Assert.Equal("feature column 'Features': row 1 holds NaN; features must be finite numbers (replace missing values first, e.g. mlContext.Transforms.ReplaceMissingValues)", error.Message);
    }

    [Fact]
    public void Training_streams_files_that_cannot_shuffle_through_the_shuffle_buffer()
    {
        // The delimited view cannot shuffle; with a tiny buffer the trainer still sees every row once per epoch.
        var ml = new MLContext(1);
        var digits = MlToolkit.Data.Samples.SampleDatasets.Digits(ml);
        Assert.False(digits.CanShuffle);
        var prepared = TorchTestData.Digits.Preparation.Transform(digits);
        var rows = new List<long>();
        var model = ml.MulticlassClassification.Trainers.Mlp(new MlpTrainer.Options
        {
            Epochs = 2, ShuffleBufferRows = 50, BatchSize = 100,
            Progress = new SynchronousProgress<TrainingProgress>(p => { if (p.Kind == ProgressKind.Epoch) rows.Add(p.Step); }),
        }).Fit(prepared);
        Assert.Equal(1797, model.Summary!.TrainRows);
        Assert.Equal(new long[] { 18, 36 }, rows);
    }

    [Fact]
    public void Options_are_copied_arrays_and_all_and_a_loaded_model_leaves_the_hosts_torch_threads_alone()
    {
        var data = TorchTestData.Digits;
        var options = new MlpTrainer.Options { Epochs = 1, HiddenLayers = new[] { 16 }, Threads = 1 };
        var trainer = data.Ml.MulticlassClassification.Trainers.Mlp(options);
        options.HiddenLayers[0] = 999;
        Assert.Equal(new[] { 16 }, trainer.Settings.HiddenLayers);

        using var folder = new TempFolder();
        var model = trainer.Fit(data.Train);
        data.Ml.Model.SavePipeline(model, data.Train.Schema, folder.File("m.zip"));
        var before = TorchSharp.torch.get_num_threads();
        TorchSharp.torch.set_num_threads(2);
        try
        {
            var loaded = data.Ml.Model.LoadPipeline(folder.File("m.zip"), out _);
            Assert.Equal(359, loaded.Transform(data.Test).GetColumn<float[]>("Score").Count());
            Assert.Equal(2, TorchSharp.torch.get_num_threads());
        }
        finally
        {
            TorchSharp.torch.set_num_threads(before);
        }
    }
}
