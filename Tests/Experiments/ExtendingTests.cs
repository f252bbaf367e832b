using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlToolkit.Data.Delimited;
using MlToolkit.Data.Samples;
using MlToolkit.Experiments.AutoMl;
using MlToolkit.Pipelines.Featurization;
using MlToolkit.Pipelines.Persistence;
using MlToolkit.Tests.Trainers.Torch;
using MlToolkit.Tests.Support;
using MlToolkit.Trainers.Torch.Architectures;
using MlToolkit.Models.Persistence;
using static TorchSharp.torch;

namespace MlToolkit.Tests.Experiments;

/// <summary>Extension points used as a user would: custom networks, candidates and tuners, and AutoML on any IDataView.</summary>
[Collection(TorchCollection.Name)]
public sealed class ExtendingTests
{
    [Fact]
    public void A_user_network_candidate_and_tuner_defined_outside_the_library_train_save_load_and_run_in_automl()
    {
        // Tests/Scripts/extending.cs references the library as a project, as a user's app would: no InternalsVisibleTo.
        using var folder = new TempFolder();
        var script = Path.Combine(RepoPaths.Root, "Tests", "Scripts", "extending.cs");
        var model = folder.File("skip-mlp.zip");
        var trained = ProcessRunner.Run("dotnet", new[] { "run", script, "--", "train", model }, Path.GetDirectoryName(script)!, TimeSpan.FromMinutes(6));
        Assert.True(trained.ExitCode == 0, trained.Out + trained.Error);
        var lines = trained.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();
        var accuracy = double.Parse(lines.Single(l => l.StartsWith("skip-mlp accuracy ", StringComparison.Ordinal))["skip-mlp accuracy ".Length..], CultureInfo.InvariantCulture);
        Measured.AtLeast(accuracy, 0.975, 0.9833, "the skip-connection MLP's held-out digits accuracy");
        var single = lines.Single(l => l.StartsWith("single run skip-mlp accuracy ", StringComparison.Ordinal));
        Measured.AtLeast(double.Parse(single.Split(' ')[^1], CultureInfo.InvariantCulture), 0.95, 0.9667, "the candidate object trained alone on iris (held-out 20 %)");
        Assert.Contains("trainers lbfgs,skip-mlp", lines);
        Assert.Contains(lines, l => l.StartsWith("automl best ", StringComparison.Ordinal));
        Assert.Contains("predicted virginica", lines);

        // A fresh process loads the saved pipeline (the architecture registered by its kind) and scores identically.
        var loaded = ProcessRunner.Run("dotnet", new[] { "run", script, "--", "load", model }, Path.GetDirectoryName(script)!, TimeSpan.FromMinutes(6));
        Assert.True(loaded.ExitCode == 0, loaded.Out + loaded.Error);
        Assert.Equal(lines.Single(l => l.StartsWith("scores ", StringComparison.Ordinal)), loaded.Out.Split('\n').Select(l => l.TrimEnd('\r')).Single(l => l.StartsWith("scores ", StringComparison.Ordinal)));
    }

    [Fact]
    public void Every_line_of_the_readme_extending_example_is_in_the_script_the_tests_run()
    {
        var readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md"));
        var section = readme[readme.IndexOf("## Extending", StringComparison.Ordinal)..];
        var start = section.IndexOf("```csharp", StringComparison.Ordinal) + "```csharp".Length;
        var code = section[start..section.IndexOf("```", start, StringComparison.Ordinal)];
        var script = File.ReadAllText(Path.Combine(RepoPaths.Root, "Tests", "Scripts", "extending.cs"));
        var lines = code.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        Assert.True(lines.Count > 20, $"only {lines.Count} lines in the README example");
        Assert.All(lines, line => Assert.Contains(line, script));
    }

    [Fact]
    public void A_model_saved_by_mltoolkit_train_loads_with_load_pipeline_and_predicts_class_names()
    {
        using var folder = new TempFolder();
        Assert.Equal(0, CliRunner.InProcess("train", "--sample", "iris", "--trainer", "lbfgs", "-o", folder.File("iris.zip")).ExitCode);
        var ml = new MLContext(1);
        var model = ml.Model.LoadPipeline(folder.File("iris.zip"), out var schema);
        Assert.Equal(new[] { "sepal_length_cm", "sepal_width_cm", "petal_length_cm", "petal_width_cm", "species" }, schema.Select(c => c.Name));
        var predicted = model.Transform(SampleDatasets.Iris(ml)).GetColumn<ReadOnlyMemory<char>>("PredictedLabel").Select(v => v.ToString()).ToList();
        var actual = SampleDatasets.Iris(ml).GetColumn<ReadOnlyMemory<char>>("species").Select(v => v.ToString()).ToList();
        Measured.AtLeast(predicted.Zip(actual).Count(p => p.First == p.Second) / 150.0, 0.975, 0.98, "accuracy of the loaded train model on iris");
    }

    private sealed record UnregisteredArchitecture(int Width) : NetworkArchitecture
    {
        public override nn.Module<Tensor, Tensor> Build(long[] inputShape, int outputSize) => nn.Linear(inputShape[0], outputSize);
    }

    [Fact]
    public void An_unregistered_architecture_cannot_be_saved_and_an_unknown_kind_is_named_when_loading()
    {
        var json = System.Text.Json.JsonSerializer.Serialize<NetworkArchitecture>(new MlpArchitecture(new[] { 8 }, Activation.Relu, false, 0), MlToolkit.Data.IO.ToolkitJson.Compact);
        Assert.StartsWith("{\"kind\":\"mlp\",", json);
        var error = Assert.Throws<NotSupportedException>(() => System.Text.Json.JsonSerializer.Serialize<NetworkArchitecture>(new UnregisteredArchitecture(3), MlToolkit.Data.IO.ToolkitJson.Compact));
        Assert.StartsWith("Network architecture MlToolkit.Tests.Experiments.ExtendingTests+UnregisteredArchitecture is not registered", error.Message);
        var unknown = Assert.Throws<ModelFormatException>(() => System.Text.Json.JsonSerializer.Deserialize<NetworkArchitecture>("{\"kind\":\"wavenet\",\"layers\":3}", MlToolkit.Data.IO.ToolkitJson.Compact));
        Assert.StartsWith("Unknown network architecture kind 'wavenet' (registered: cnn, forest, kernel-machine, mlp, nearest-neighbors, rnn, transformer", unknown.Message);
    }

    [Fact]
    public void Automl_takes_a_featurizer_estimator_and_writes_its_trials_to_the_callers_mlcontext_log()
    {
        var ml = new MLContext(1);
        var messages = new List<string>();
        ml.Log += (_, e) =>
        {
            if (e.Source == "MlToolkit.AutoML")
                lock (messages)
                    messages.Add(e.RawMessage);
        };
        var iris = SampleDatasets.Iris(ml);
        var result = ml.AutoMl().CreateExperiment(iris, "species").SetTrainers("lbfgs")
            .SetFeaturizer(ml.Transforms.Concatenate("Features", "petal_length_cm", "petal_width_cm"))
            .SetCrossValidation(2).SetTrainingTime(null).SetMaxTrials(2).Run();
        Measured.AtLeast(result.BestTrial!.Value!.Value, 0.94, 0.9533, "2-fold CV accuracy of L-BFGS on iris's two petal columns");
        Assert.Equal(new[] { "petal_length_cm", "petal_width_cm" }, result.BestModel!.Scorer.GetOutputSchema(iris.Schema)["Features"].Annotations.Schema.Count > 0
            ? SlotNames(result.BestModel.Scorer.GetOutputSchema(iris.Schema)["Features"]) : Array.Empty<string>());
        Assert.Equal("Channel started", messages[0]);
        Assert.Equal("trial 0 started: lbfgs l1=1e-5, l2=0.1", messages[1]);
        Assert.Contains(messages, m => m.StartsWith("trial 0 completed: lbfgs 0.9", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("trial 0 is the new best: lbfgs", StringComparison.Ordinal));
    }

    [Fact]
    public void The_experiment_seed_is_drawn_from_the_callers_mlcontext_and_set_seed_overrides_it()
    {
        var iris = SampleDatasets.Iris(new MLContext(1));
        int Seed(int contextSeed) => new MLContext(contextSeed).AutoMl().CreateExperiment(iris, "species").Options.Seed;
        Assert.Equal(Seed(7), Seed(7));
        Assert.NotEqual(Seed(7), Seed(8));
        Assert.Equal(3, new MLContext(7).AutoMl().CreateExperiment(iris, "species").SetSeed(3).Options.Seed);
    }

    private static string[] SlotNames(DataViewSchema.Column column)
    {
        VBuffer<ReadOnlyMemory<char>> names = default;
        column.GetSlotNames(ref names);
        return names.DenseValues().Select(n => n.ToString()).ToArray();
    }

    private sealed class UnregisteredHead(IReadOnlyList<string> classes) : MlToolkit.Trainers.Torch.Heads.MulticlassHead(classes);

    [Fact]
    public void An_unregistered_head_cannot_be_saved_and_an_unknown_head_kind_is_named_when_loading()
    {
        var error = Assert.Throws<NotSupportedException>(() => MlToolkit.Trainers.Torch.Heads.PredictionHeads.KindOf(new UnregisteredHead(new[] { "a", "b" })));
        Assert.StartsWith("Prediction head MlToolkit.Tests.Experiments.ExtendingTests+UnregisteredHead is not registered", error.Message);
        var unknown = Assert.Throws<ModelFormatException>(() => MlToolkit.Trainers.Torch.Heads.PredictionHeads.Restore("focal", MlToolkit.Data.PredictionTask.MulticlassClassification, new[] { "a", "b" }, null));
        Assert.Equal("Unknown prediction head kind 'focal' (registered: binary, multiclass, regression); register it with PredictionHeads.Register<T>(\"focal\", restore) before loading.", unknown.Message);
        Assert.Equal("multiclass", MlToolkit.Trainers.Torch.Heads.PredictionHeads.KindOf(MlToolkit.Trainers.Torch.Heads.PredictionHeads.Restore(null, MlToolkit.Data.PredictionTask.MulticlassClassification, new[] { "a", "b" }, null)));
    }

    public sealed class Flower
    {
        [LoadColumn(0)] public float SepalLength { get; set; }
        [LoadColumn(1)] public float SepalWidth { get; set; }
        [LoadColumn(2)] public float PetalLength { get; set; }
        [LoadColumn(3)] public float PetalWidth { get; set; }
        [LoadColumn(4)] public string Species { get; set; } = "";
    }

    public sealed class FlowerPrediction
    {
        public string PredictedLabel { get; set; } = "";
        public float[] Score { get; set; } = Array.Empty<float>();
    }

    [Fact]
    public void Automl_runs_on_mlnet_loaded_data_and_the_best_model_serves_a_prediction_engine_with_string_labels()
    {
        using var folder = new TempFolder();
        var path = folder.Write("iris.csv", SampleText.Read("iris"));
        var ml = new MLContext(1);
        var fromFile = ml.Data.LoadFromTextFile<Flower>(path, separatorChar: ',', hasHeader: true);
        var flowers = ml.Data.CreateEnumerable<Flower>(fromFile, reuseRowObject: false).ToList();
        var fromMemory = ml.Data.LoadFromEnumerable(flowers);

        foreach (var data in new[] { fromFile, fromMemory })
        {
            var result = ml.AutoMl().CreateExperiment(data, "Species").SetTrainers("lbfgs", "lightgbm").SetCrossValidation(2).SetTrainingTime(null).SetMaxTrials(3).Run();
            Measured.AtLeast(result.BestTrial!.Value!.Value, 0.965, 0.9667, "best 2-fold CV accuracy on iris");
            var engine = ml.Model.CreatePredictionEngine<Flower, FlowerPrediction>(result.BestModel!);
            var predictions = flowers.Select(f => engine.Predict(f)).ToList();
            Assert.All(predictions, p => Assert.Equal(3, p.Score.Length));
            var accuracy = predictions.Zip(flowers).Count(p => p.First.PredictedLabel == p.Second.Species) / (double)flowers.Count;
            Measured.AtLeast(accuracy, 0.975, 0.98, "refit model's accuracy on its training rows through a PredictionEngine");
        }
    }

    [Fact]
    public void Column_information_overrides_inference_and_names_unknown_columns()
    {
        var ml = new MLContext(1);
        var rows = Enumerable.Range(0, 60).Select(i => new Row { Code = i % 3, Size = i * 0.5f, Note = $"note {i}", Label = i % 3 == 0 ? "a" : "b" }).ToList();
        var data = ml.Data.LoadFromEnumerable(rows);
        var inferred = new SchemaFeaturePlan(data, "Label");
        Assert.Equal(new[] { ("Code", ColumnPurpose.Numeric), ("Size", ColumnPurpose.Numeric), ("Note", ColumnPurpose.Text) }, inferred.Columns.Select(c => (c.Name, c.Purpose)));
        var columns = new ColumnInformation();
        columns.CategoricalColumnNames.Add("Code");
        columns.IgnoredColumnNames.Add("Note");
        var told = new SchemaFeaturePlan(data, "Label", columns);
        Assert.Equal(new[] { ("Code", ColumnPurpose.Categorical), ("Size", ColumnPurpose.Numeric) }, told.Columns.Select(c => (c.Name, c.Purpose)));
        var features = told.Build(ml, normalizer: null).Fit(data).Transform(data).GetColumn<float[]>("Features").First();
        Assert.Equal(4, features.Length); // Code one-hot over its 3 values, then Size

        columns.TextColumnNames.Add("Comment");
        Assert.StartsWith("Column 'Comment' given in the column information is not in the data.", Assert.Throws<SchemaException>(() => new SchemaFeaturePlan(data, "Label", columns)).Message);

        // Delimited data: a text column takes the purpose given; a numeric one cannot become text, and says how to fix that.
        using var folder = new TempFolder();
        var layout = MlToolkit.Data.Delimited.DelimitedFile.Load(folder.Write("c.csv", "code,size,note,label\n" + string.Join("\n", rows.Select(r => $"{r.Code},{r.Size},{r.Note},{r.Label}")) + "\n")).Layout;
        var text = new ColumnInformation();
        text.CategoricalColumnNames.Add("note");
        Assert.DoesNotContain("note", new TabularFeaturePlan(layout, "label", (ColumnInformation?)null).OneHotColumns);
        Assert.Equal(new[] { "note" }, new TabularFeaturePlan(layout, "label", text).OneHotColumns);
        var wrong = new ColumnInformation();
        wrong.TextColumnNames.Add("code");
        Assert.Equal("Column 'code' was read as Numeric, so it cannot be used as Text; read it as text first (--column-type code=text, or DelimitedLoadOptions.ColumnKinds).",
            Assert.Throws<SchemaException>(() => new TabularFeaturePlan(layout, "label", wrong)).Message);
    }

    public sealed class Row
    {
        public int Code { get; set; }
        public float Size { get; set; }
        public string Note { get; set; } = "";
        public string Label { get; set; } = "";
    }
}
