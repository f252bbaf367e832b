using System.Text.Json.Nodes;
using Microsoft.ML;
using MlToolkit.Data;
using MlToolkit.Experiments.Candidates;
using MlToolkit.Experiments.Tuning.SearchSpaces;

namespace MlToolkit.Tests.Experiments;

/// <summary>The one registry of trainers: what each declares holds, and the CLI, AutoML and the docs read it.</summary>
public sealed class TrainerCatalogTests
{
    private static readonly PredictionTask[] AllTasks = Enum.GetValues<PredictionTask>();

    public static TheoryData<string> Trainers() => new(CandidateCatalog.All.Select(c => c.Name));

    [Theory]
    [MemberData(nameof(Trainers))]
    public void Every_trainer_builds_an_estimator_for_its_tasks_from_its_defaults_and_refuses_the_others(string name)
    {
        var trainer = CandidateCatalog.Get(name);
        var ml = new MLContext(1);
        var context = new CandidateContext(1, 1, CancellationToken.None);
        Assert.False(string.IsNullOrWhiteSpace(trainer.Description));
        Assert.NotEmpty(trainer.Tasks);
        foreach (var task in trainer.Tasks)
        {
            var space = trainer.SearchSpace(task);
            Assert.NotNull(trainer.CreateTrainer(ml, task, space.Defaults(), context));
            Assert.NotNull(trainer.CreateTrainer(ml, task, trainer.Defaults(task), context));
            Assert.Equal(space.Parameters.Select(p => p.Name).Where(trainer.Defaults(task).Contains), trainer.Defaults(task).Names);
        }
        foreach (var task in AllTasks.Except(trainer.Tasks))
        {
            var error = Assert.Throws<ArgumentException>(() => trainer.CreateTrainer(ml, task, trainer.SearchSpace(trainer.Tasks[0]).Defaults(), context));
            Assert.StartsWith($"Trainer '{name}' does not support {task}; it handles ", error.Message);
        }
    }

    [Fact]
    public void The_trainer_table_in_the_readme_is_the_one_the_cli_prints_from_the_catalog()
    {
        var printed = CliRunner.InProcess("trainers", "--markdown");
        Assert.Equal(0, printed.ExitCode);
        var readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md")).Replace("\r\n", "\n");
        Assert.Contains(printed.Out.Replace("\r\n", "\n"), readme);
        Assert.Equal(CandidateCatalog.All.Count + 2, printed.Out.Trim().Split('\n').Length);
    }

    [Fact]
    public void The_cli_lists_each_trainers_defaults_and_search_space_as_json()
    {
        var printed = CliRunner.InProcess("trainers", "--json");
        Assert.Equal(0, printed.ExitCode);
        var lightgbm = JsonNode.Parse(printed.Out)!.AsArray().Single(t => (string)t!["name"]! == "lightgbm")!;
        Assert.Equal("numeric vector", (string)lightgbm["input"]!);
        var binary = lightgbm["tasks"]!["binary"]!;
        Assert.Equal(100, (double)binary["defaults"]!["iterations"]!);
        Assert.Equal(31, (double)binary["defaults"]!["leaves"]!);
        Assert.Contains("iterations ∈ {4..1000} log", binary["searchSpace"]!.AsArray().Select(l => (string)l!));
        var cnn = JsonNode.Parse(printed.Out)!.AsArray().Single(t => (string)t!["name"]! == "cnn")!;
        Assert.Equal("image tensor", (string)cnn["input"]!);
        Assert.Null(cnn["tasks"]!["regression"]);
    }

    [Fact]
    public void Train_takes_hyperparameters_by_their_search_space_names_and_reports_what_it_fitted()
    {
        using var folder = new TempFolder();
        var result = CliRunner.InProcess("train", "--sample", "iris", "--trainer", "lightgbm", "--param", "leaves=7", "--param", "iterations=20", "-o", folder.File("m.zip"), "--json");
        Assert.True(result.ExitCode == 0, result.Error);
        var fitted = JsonNode.Parse(result.Out)!["hyperparameters"]!;
        Assert.Equal(7, (double)fitted["leaves"]!);
        Assert.Equal(20, (double)fitted["iterations"]!);
        Assert.Equal(0.1, (double)fitted["learning_rate"]!);

        var unknown = CliRunner.InProcess("train", "--sample", "iris", "--trainer", "lightgbm", "--param", "depth=3", "-o", folder.File("n.zip"));
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("error: Trainer 'lightgbm': The search space has no parameter 'depth'. Parameters: iterations, leaves, min_leaf_examples, learning_rate, feature_fraction, subsample, l1, l2.", unknown.Error);
        var notANumber = CliRunner.InProcess("train", "--sample", "iris", "--trainer", "lightgbm", "--param", "leaves=many", "-o", folder.File("n.zip"));
        Assert.Equal(2, notANumber.ExitCode);
        Assert.Contains("error: Trainer 'lightgbm': 'leaves' = 'many' is not a number (leaves ∈ {4..256} log).", notANumber.Error);
        Assert.False(File.Exists(folder.File("n.zip")));
    }

    [Fact]
    public void A_single_run_may_go_outside_the_search_ranges_but_not_outside_a_parameters_kind()
    {
        var space = new LightGbmCandidate().SearchSpace(PredictionTask.BinaryClassification);
        var values = new LightGbmCandidate().Defaults(PredictionTask.BinaryClassification).Values.ToDictionary(p => p.Key, p => p.Value);
        values["iterations"] = 2;
        Assert.Equal(2, space.Configuration(values, withinRanges: false).GetInt("iterations"));
        Assert.Throws<ArgumentException>(() => space.Configuration(values));
        values["iterations"] = 2.5;
        var error = Assert.Throws<ArgumentException>(() => space.Configuration(values, withinRanges: false));
        Assert.StartsWith("'iterations' = 2.5 is outside iterations ∈ {4..1000} log.", error.Message);
    }

    [Fact]
    public void Defaults_with_overrides_fill_in_the_active_branch_and_coerce_reads_values_as_their_parameter_holds_them()
    {
        var space = new SearchSpace().Choice("optimizer", new[] { "adam", "sgd" }, "adam")
            .When("optimizer", "sgd", sgd => sgd.Float("momentum", 0.5, 0.99, defaultValue: 0.9))
            .Choice("batch_size", new[] { "16", "32" }, "32");
        Assert.Equal("optimizer=sgd, momentum=0.9, batch_size=16", space.Defaults(new Dictionary<string, ParameterValue> { ["optimizer"] = "sgd", ["batch_size"] = "16" }).ToString());
        Assert.Equal("optimizer=adam, batch_size=32", space.Defaults(new Dictionary<string, ParameterValue>()).ToString());
        Assert.Equal(ParameterValue.Of("16"), space.Coerce("batch_size", 16));
        Assert.Equal(ParameterValue.Of(0.7), space.Coerce("momentum", "0.7"));
        var error = Assert.Throws<ArgumentException>(() => space.Defaults(new Dictionary<string, ParameterValue> { ["momentum"] = 0.7 }));
        Assert.StartsWith("'momentum' is set, but only applies when optimizer", error.Message);
    }

    private sealed class HalfDeclared : PerTaskCandidate
    {
        public override string Name => "half-declared";

        public override SearchSpace SearchSpace(PredictionTask task) => new();

        protected override IEstimator<ITransformer> Binary(MLContext mlContext, ParameterSet parameters, CandidateContext context) =>
            mlContext.BinaryClassification.Trainers.SdcaLogisticRegression();
    }

    [Fact]
    public void A_per_task_trainer_that_declares_a_task_it_cannot_build_says_so()
    {
        var trainer = new HalfDeclared();
        var context = new CandidateContext(1, 1, CancellationToken.None);
        Assert.NotNull(trainer.CreateTrainer(new MLContext(1), PredictionTask.BinaryClassification, new SearchSpace().Defaults(), context));
        var error = Assert.Throws<NotSupportedException>(() => trainer.CreateTrainer(new MLContext(1), PredictionTask.Regression, new SearchSpace().Defaults(), context));
        Assert.Equal("Trainer 'half-declared' declares Regression but builds no estimator for it.", error.Message);
    }
}
