using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using MlToolkit.Data.Delimited;
using MlToolkit.Data.IO;
using MlToolkit.Data.Samples;
using MlToolkit.Experiments.Training;
using MlToolkit.Data;
using MlToolkit.Models;
using MlToolkit.Models.Ensembles;
using MlToolkit.Models.Onnx;
using MlToolkit.Pipelines.Dates;
using MlToolkit.Trainers.Torch;
using MlToolkit.Trainers.Torch.Scoring;

namespace MlToolkit.Tests.Models;

/// <summary>
/// Models of the built-in trainers that are not networks trained by gradient (ML.NET's own through ML.NET's converter;
/// the kernel machine and nearest neighbours written op for op, the forest as ONNX's tree ensemble) export with the featurizer and score in ONNX
/// Runtime as the model does, row for row.
/// </summary>
[Collection(MlToolkit.Tests.Trainers.Torch.TorchCollection.Name)]
public sealed class TrainerOnnxExportTests
{
    public static TheoryData<string, string, string> Cases() => new()
    {
        { "lightgbm", "wine", "" },
        { "lbfgs", "breast-cancer", "" },
        { "sdca", "wine", "" },
        { "fasttree", "diabetes", "" },
        { "lightgbm", "iris-with-a-text-column", "" },
        { "fasttree", "breast-cancer", "" },
        { "kernel", "wine", "" },
        { "kernel", "breast-cancer", "" },
        { "kernel", "diabetes", "" },
        { "knn", "wine", "" },
        { "knn", "breast-cancer", "weighting=uniform" },
        { "knn", "diabetes", "" },
        { "forest", "wine", "" },
        { "forest", "breast-cancer", "kind=extra_trees" },
        { "forest", "diabetes", "" },
        { "forest", "iris-with-a-text-column", "" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_exported_pipeline_reads_the_raw_columns_and_scores_as_the_model_on_every_row(string trainer, string dataset, string parameters)
    {
        using var folder = new TempFolder();
        var ml = new MLContext(1);
        var (data, label) = Load(ml, dataset, folder);
        var hyperparameters = parameters.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('='))
            .ToDictionary(p => p[0], p => MlToolkit.Experiments.Tuning.SearchSpaces.ParameterValue.Of(p[1]));
        var model = SupervisedTraining.Run(ml, new TrainingRequest { Data = data, LabelColumn = label, Trainer = trainer, Hyperparameters = hyperparameters, Seed = 1 }).Model;
        var path = folder.File("model.onnx");

        var export = ml.Model.ExportOnnx(model, path);

        Assert.True(export.WholePipeline, export.NotExportedBecause);
        Assert.DoesNotContain(label, export.Inputs);
        var scored = model.Score(model.LabelEncoder.Transform(data));
        var binary = scored.Schema.GetColumnOrNull("Probability") is not null;
        Assert.Equal(binary ? new[] { "Score", "Probability" } : new[] { "Score" }, export.Outputs);
        using var session = new InferenceSession(path);
        // The file says what its outputs mean: the task, and the classes in Score's order or the positive class.
        var metadata = session.ModelMetadata.CustomMetadataMap;
        Assert.Equal((model.Description.Task.ToString(), label), (metadata[OnnxExporter.TaskKey], metadata[OnnxExporter.LabelKey]));
        if (model.Description.Task == PredictionTask.MulticlassClassification)
            Assert.Equal(model.Description.Classes, System.Text.Json.JsonSerializer.Deserialize<string[]>(metadata[OnnxExporter.ClassesKey]));
        if (binary)
            Assert.Equal(model.Description.PositiveClass, metadata[OnnxExporter.PositiveClassKey]);
        using var results = session.Run(OnnxInputs.From(session, data, export.Inputs));
        foreach (var output in export.Outputs)
        {
            var fromOnnx = results.Single(r => r.Name == output).AsTensor<float>();
            var fromModel = Values(scored, output);
            // One value per row (binary, regression) or one per class (multiclass), as the torch exports.
            Assert.Equal(fromModel.Length, (int)fromOnnx.Length);
            Assert.Equal(fromModel.Length == RowCounter.Count(data) ? 1 : 2, fromOnnx.Dimensions.Length);
            // Relative to the value beyond 1: diabetes scores are in the hundreds, float32 keeps 7 digits. The largest
            // gap is the forest's on diabetes (1.31e-6): ONNX Runtime sums its 100 trees' leaves in another order.
            var gap = fromModel.Zip(fromOnnx.ToArray()).Max(p => Math.Abs(p.First - p.Second) / Math.Max(1, Math.Abs(p.First)));
            Measured.AtMost(gap, 3e-6, 1.31e-6, $"max |model − ONNX| / max(1, |model|) of {trainer} on {dataset}, {output}");
        }
    }

    public static TheoryData<string, string> Ensembles() => new()
    {
        { "breast-cancer", "lbfgs,kernel,forest" },
        { "wine", "lightgbm,knn,mlp" },
        { "diabetes", "fasttree,kernel" },
    };

    [Theory]
    [MemberData(nameof(Ensembles))]
    public void An_ensemble_exports_as_its_members_side_by_side_averaged_with_its_weights(string dataset, string trainers)
    {
        using var folder = new TempFolder();
        var ml = new MLContext(1);
        var (data, label) = Load(ml, dataset, folder);
        var model = EnsembleOf(ml, data, label, trainers);
        var description = model.Description;
        var path = folder.File("ensemble.onnx");

        var export = ml.Model.ExportOnnx(model, path);

        Assert.True(export.WholePipeline);
        Assert.DoesNotContain(label, export.Inputs);
        var scored = model.Score(model.LabelEncoder.Transform(data));
        using var session = new InferenceSession(path);
        using var results = session.Run(OnnxInputs.From(session, data, export.Inputs));
        foreach (var output in export.Outputs)
        {
            var fromModel = Values(scored, output);
            var fromOnnx = results.Single(r => r.Name == output).AsTensor<float>().ToArray();
            var gap = fromModel.Zip(fromOnnx).Max(p => Math.Abs(p.First - p.Second) / Math.Max(1, Math.Abs(p.First)));
            // A binary Score is the logit of the averaged probability: near 1, one float32 step of the average (6e-8)
            // moves log(p / (1 − p)) by 1e-4 relative (measured 1.02e-4 on breast cancer); the probabilities agree to 1.2e-7.
            if (output == "Score" && description.Task == PredictionTask.BinaryClassification)
                Measured.AtMost(gap, 3e-4, 1.02e-4, $"max relative gap of the ensemble's logit, {trainers} on {dataset}");
            else
                Measured.AtMost(gap, 3e-6, 1.03e-6, $"max |ensemble − ONNX| / max(1, |ensemble|) of {trainers} on {dataset}, {output}");
        }
    }

    /// <summary>Members trained on <paramref name="data"/>, weighted 1, 2, 3, … as one ensemble model.</summary>
    private static TrainedModel EnsembleOf(MLContext ml, IDataView data, string label, string trainers)
    {
        var models = trainers.Split(',').Select(t => SupervisedTraining.Run(ml, new TrainingRequest { Data = data, LabelColumn = label, Trainer = t, Seed = 1, Epochs = 5 }).Model).ToList();
        var description = models[0].Description;
        var weights = models.Select((_, i) => 1.0 + i).ToArray();
        var ensemble = new EnsembleTransformer(description.Task, models.Select(m => m.Scorer).ToList(), weights, description.Task == PredictionTask.MulticlassClassification ? description.Classes : Array.Empty<string>());
        return new TrainedModel(description with { Trainer = "ensemble" }, models[0].InputSchema, models[0].LabelEncoder, ensemble);
    }

    public static TheoryData<string> DatedModels() => new() { "lightgbm", "forest", "lbfgs,forest" };

    [Theory]
    [MemberData(nameof(DatedModels))]
    public void A_date_column_is_read_as_its_parts_and_the_rest_of_the_pipeline_is_in_the_file(string trainers)
    {
        using var folder = new TempFolder();
        var ml = new MLContext(1);
        var (data, model) = OrdersModel(ml, folder, trainers);
        var path = folder.File("orders.onnx");

        var export = ml.Model.ExportOnnx(model, path);

        Assert.True(export.WholePipeline, export.NotExportedBecause);
        Assert.Equal(new[] { "when", "amount", "channel" }, export.Inputs);
        Assert.Equal(new[] { "when" }, export.DatePartInputs);
        using var session = new InferenceSession(path);
        Assert.Equal(new[] { -1, DateTimePartsTransformer.PartNames.Count }, session.InputMetadata["when"].Dimensions);
        var described = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string[]>>(session.ModelMetadata.CustomMetadataMap[OnnxExporter.DatePartsKey])!;
        Assert.Equal(DateTimePartsTransformer.PartNames, described["when"]);
        // The parts as the model computes them, the missing dates' NaN included; the file imputes and scales them itself.
        var inputs = OnnxInputs.From(session, WithDateParts(data), export.Inputs);
        using var results = session.Run(inputs);
        var fromModel = Values(model.Score(model.LabelEncoder.Transform(data)), "Probability");
        var fromOnnx = results.Single(r => r.Name == "Probability").AsTensor<float>().ToArray();
        Assert.Equal(RowCounter.Count(data), fromOnnx.Length);
        Measured.AtMost(fromModel.Zip(fromOnnx).Max(p => Math.Abs(p.First - p.Second)), 3e-7, 1.5e-7, $"max |model − ONNX| of {trainers}'s P(returned) on dated orders");
        // The parts are read: with every date missing (imputed inside the file) the answers move on most rows.
        var (rows, parts) = (fromOnnx.Length, DateTimePartsTransformer.PartNames.Count);
        var blank = inputs.Select(v => v.Name == "when"
            ? NamedOnnxValue.CreateFromTensor("when", new DenseTensor<float>(Enumerable.Repeat(float.NaN, rows * parts).ToArray(), new[] { rows, parts })) : v).ToList();
        using var undated = session.Run(blank);
        var moved = fromOnnx.Zip(undated.Single(r => r.Name == "Probability").AsTensor<float>().ToArray()).Count(p => Math.Abs(p.First - p.Second) > 0.01);
        Measured.AtLeast(moved, 280, 286, $"of {rows} orders whose P(returned) from {trainers} moves by over 0.01 without their dates");
    }

    [Theory]
    [InlineData("lightgbm")]
    [InlineData("lbfgs")]
    [InlineData("forest")]
    public void Unseen_categories_and_missing_values_score_in_onnx_runtime_as_in_the_model(string trainer)
    {
        using var folder = new TempFolder();
        var ml = new MLContext(1);
        var (train, model) = OrdersModel(ml, folder, trainer);
        var path = folder.File("orders.onnx");
        var export = ml.Model.ExportOnnx(model, path);
        // Rows a service meets after training: a channel never seen, a missing amount, a missing date, all three.
        var serving = DelimitedFile.Load(folder.Write("serving.csv", "when,amount,channel,returned\n"
            + "2022-05-07,120.5,email,no\n2022-05-07,,web,no\n,120.5,shop,no\n,,fax,no\n2023-11-30 08:15,10,phone,no\n"), train.Layout);

        var fromModel = Values(model.Score(model.LabelEncoder.Transform(serving)), "Probability");
        using var session = new InferenceSession(path);
        using var results = session.Run(OnnxInputs.From(session, WithDateParts(serving), export.Inputs));
        var fromOnnx = results.Single(r => r.Name == "Probability").AsTensor<float>().ToArray();

        Assert.Equal(5, fromOnnx.Length);
        Measured.AtMost(fromModel.Zip(fromOnnx).Max(p => Math.Abs(p.First - p.Second)), 2e-7, 6e-8, $"max |model − ONNX| of {trainer}'s P(returned) on unseen and missing values");
    }

    [Fact]
    public void A_plain_pipeline_with_a_date_column_says_in_its_file_which_inputs_are_dates()
    {
        using var folder = new TempFolder();
        var ml = new MLContext(1);
        var (_, model) = OrdersModel(ml, folder, "lightgbm");
        var path = folder.File("scorer.onnx");

        // The scorer alone is an ML.NET pipeline, not a TrainedModel: no task or classes to tell, but the dates still.
        var export = ml.Model.ExportOnnx(model.Scorer, path, model.InputSchema);

        using var session = new InferenceSession(path);
        var metadata = session.ModelMetadata.CustomMetadataMap;
        Assert.Equal(new[] { OnnxExporter.DatePartsKey }, metadata.Keys);
        Assert.Equal(DateTimePartsTransformer.PartNames, System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string[]>>(metadata[OnnxExporter.DatePartsKey])!["when"]);
        Assert.Equal(new[] { "when" }, export.DatePartInputs);
    }

    [Fact]
    public void The_cli_says_which_inputs_are_dates_read_as_their_parts()
    {
        using var folder = new TempFolder();
        var data = folder.Write("orders.csv", Orders());
        var model = folder.File("orders.zip");
        Assert.Equal(0, CliRunner.InProcess("train", "--dataset", data, "--label-col", "returned", "--trainer", "lightgbm", "-o", model).ExitCode);

        var export = CliRunner.InProcess("export", "-m", model, "-o", folder.File("orders.onnx"));

        Assert.Equal(0, export.ExitCode);
        Assert.Contains("Inputs   the model's raw columns: when, amount, channel" + Environment.NewLine
            + "Dates    when: read as their parts, float [batch, 9] (year, month, day, day_of_week, day_of_year, hour, minute, second, days_since_2000; NaN when missing), since ONNX cannot read a date from text", export.Out);
        var json = CliRunner.InProcess("export", "-m", model, "-o", folder.File("again.onnx"), "--json");
        Assert.Equal(new[] { "when" }, System.Text.Json.Nodes.JsonNode.Parse(json.Out)!["datePartInputs"]!.AsArray().Select(n => (string)n!));
    }

    /// <summary>The orders of <see cref="Orders"/> written and read, and a model of <paramref name="trainers"/> on them (comma-separated: an ensemble).</summary>
    private static (DelimitedDataView Data, TrainedModel Model) OrdersModel(MLContext ml, TempFolder folder, string trainers)
    {
        var data = DelimitedFile.Load(folder.Write("orders.csv", Orders()));
        var model = trainers.Contains(',') ? EnsembleOf(ml, data, "returned", trainers)
            : SupervisedTraining.Run(ml, new TrainingRequest { Data = data, LabelColumn = "returned", Trainer = trainers, Seed = 1 }).Model;
        return (data, model);
    }

    /// <summary>The <c>when</c> column as the parts the file reads, as the model computes them (NaN for a missing date).</summary>
    private static IDataView WithDateParts(IDataView data) => new DateTimePartsTransformer("when", "when").Transform(data);

    /// <summary>
    /// 300 orders: a date (some with a time, every 37th missing), an amount, a channel, and whether the order came back,
    /// which depends on the weekday, the month and the amount, so that the date's parts matter to every model.
    /// </summary>
    private static string Orders()
    {
        var random = new Random(7);
        var lines = new List<string> { "when,amount,channel,returned" };
        var start = new DateTime(2021, 1, 1);
        for (var i = 0; i < 300; i++)
        {
            var day = start.AddDays(random.Next(0, 1000)).AddMinutes(i % 3 == 0 ? random.Next(0, 1440) : 0);
            var when = i % 37 == 5 ? "" : day.ToString(i % 3 == 0 ? "yyyy-MM-dd HH:mm" : "yyyy-MM-dd", CultureInfo.InvariantCulture);
            var amount = Math.Round(random.NextDouble() * 200, 2);
            var channel = new[] { "web", "shop", "phone" }[random.Next(3)];
            var returned = (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday) ^ (day.Month > 9) ^ (amount > 150) ^ (random.NextDouble() < 0.1);
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{when},{amount},{channel},{(returned ? "yes" : "no")}"));
        }
        return string.Join("\n", lines) + "\n";
    }

    [Fact]
    public void An_ensemble_with_a_member_that_reads_only_its_features_is_refused_naming_the_member_and_why()
    {
        var data = MlToolkit.Tests.Trainers.Torch.TokenTestData.Imdb;
        var featurizer = data.Ml.Transforms.Text.FeaturizeText("Features", "Text")
            .Append(data.Ml.Transforms.Conversion.MapValue("Label", new[] { new KeyValuePair<string, bool>("negative", false), new KeyValuePair<string, bool>("positive", true) }, "Label"))
            .Fit(data.Raw);
        var member = featurizer.Append(data.Ml.BinaryClassification.Trainers.SdcaLogisticRegression(maximumNumberOfIterations: 5).Fit(featurizer.Transform(data.Raw)));
        var ensemble = new EnsembleTransformer(PredictionTask.BinaryClassification, new ITransformer[] { member, member }, new[] { 1.0, 1.0 }, Array.Empty<string>());
        using var folder = new TempFolder();

        var error = Assert.Throws<ArgumentException>(() => OnnxExporter.Export(ensemble, folder.File("e.onnx"), data.Raw.Schema));

        Assert.StartsWith("Member 0 of the ensemble exports only from its feature vector Features, because ML.NET's ONNX converter fails on the transforms before the predictor: ", error.Message);
        Assert.EndsWith("; an ensemble's file needs every member to read the raw columns.", error.Message);
        Assert.False(File.Exists(folder.File("e.onnx")));
    }

    [Fact]
    public void Neighbours_tied_at_the_same_distance_go_to_the_lower_row_number_in_the_model_and_in_onnx()
    {
        // 30 points, each three times in a row, labelled a, b, c in that order: with k = 2 each point's own copies tie
        // at distance 0, and the rule gives a and b half each, c nothing, whatever the rounding of either library.
        var ml = new MLContext(1);
        var random = new Random(3);
        var points = Enumerable.Range(0, 30).Select(_ => new[] { (float)random.NextDouble(), (float)random.NextDouble(), (float)random.NextDouble() }).ToList();
        var rows = points.SelectMany(p => new[] { "a", "b", "c" }.Select(l => new TiedRow { Features = p, Label = l })).ToList();
        var data = ml.Data.LoadFromEnumerable(rows);
        var keyed = ml.Transforms.Conversion.MapValueToKey("Label").Fit(data).Transform(data);
        var model = ml.MulticlassClassification.Trainers.NearestNeighbors(neighbors: 2, weighting: MlToolkit.Trainers.Torch.Neighbors.NeighborWeighting.Uniform).Fit(keyed);
        var queries = ml.Data.LoadFromEnumerable(points.Select(p => new TiedRow { Features = p, Label = "a" }));
        var fromModel = model.Transform(ml.Transforms.Conversion.MapValueToKey("Label").Fit(data).Transform(queries)).GetColumn<float[]>("Score").ToArray();
        Assert.All(fromModel, score => Assert.Equal(new[] { 0.5, 0.5, 0.0 }, score.Select(v => (double)v), (x, y) => Math.Abs(x - y) < 1e-5));

        using var folder = new TempFolder();
        var path = folder.File("knn.onnx");
        TorchOnnxExporter.Export(model, path);
        using var session = new InferenceSession(path);
        using var results = session.Run(new[] { NamedOnnxValue.CreateFromTensor("Features", new DenseTensor<float>(points.SelectMany(p => p).ToArray(), new[] { points.Count, 3 })) });
        Assert.Equal(fromModel.SelectMany(s => s), results.Single(r => r.Name == "Score").AsTensor<float>().ToArray(), (x, y) => Math.Abs(x - y) < 1e-6);
    }

    private sealed class TiedRow
    {
        [VectorType(3)]
        public float[] Features { get; set; } = Array.Empty<float>();

        public string Label { get; set; } = "";
    }

    [Fact]
    public void When_the_transforms_do_not_convert_the_predictor_alone_is_exported_reading_the_features_and_the_reason_is_given()
    {
        using var folder = new TempFolder();
        var data = MlToolkit.Tests.Trainers.Torch.TokenTestData.Imdb;
        var featurizer = data.Ml.Transforms.Text.FeaturizeText("Features", "Text")
            .Append(data.Ml.Transforms.Conversion.MapValue("Label", new[] { new KeyValuePair<string, bool>("negative", false), new KeyValuePair<string, bool>("positive", true) }, "Label"))
            .Fit(data.Raw);
        var featurized = featurizer.Transform(data.Raw);
        var predictor = data.Ml.BinaryClassification.Trainers.SdcaLogisticRegression(maximumNumberOfIterations: 5).Fit(featurized);
        var path = folder.File("text.onnx");

        var export = OnnxExporter.Export(featurizer.Append(predictor), path, data.Raw.Schema);

        Assert.False(export.WholePipeline);
        Assert.Equal(new[] { "Features" }, export.Inputs);
        Assert.Equal(new[] { "TextFeaturizingEstimator.Transformer", "ValueMappingTransformer" }, export.PrecedingTransforms);
        Assert.StartsWith("ML.NET's ONNX converter fails on the transforms before the predictor: ", export.NotExportedBecause);
        var features = featurized.GetColumn<float[]>("Features").ToArray();
        using var session = new InferenceSession(path);
        using var results = session.Run(new[] { NamedOnnxValue.CreateFromTensor("Features",
            new DenseTensor<float>(features.SelectMany(f => f).ToArray(), new[] { features.Length, (int)export.InputSize })) });
        var fromModel = predictor.Transform(featurized).GetColumn<float>("Probability").ToArray();
        var fromOnnx = results.Single(r => r.Name == "Probability").AsTensor<float>().ToArray();
        Measured.AtMost(fromModel.Zip(fromOnnx).Max(p => Math.Abs(p.First - p.Second)), 3e-7, 6e-8, "max |model − ONNX| of SDCA's probabilities on IMDB's TF-IDF features");
    }

    [Fact]
    public void A_forest_sends_a_missing_feature_right_in_onnx_runtime_as_in_training()
    {
        using var folder = new TempFolder();
        var data = TorchTestData.BreastCancer;
        var model = (TorchPredictionTransformer)data.Ml.BinaryClassification.Trainers.Forest().Fit(data.Train);
        var path = folder.File("forest.onnx");
        var export = TorchOnnxExporter.Export(model, path);
        // Each held-out row twice: as it is, and with every third feature missing (a different third row by row).
        var rows = data.Test.GetColumn<VBuffer<float>>("Features").Select(v => v.DenseValues().ToArray()).ToList();
        var missing = rows.Select((r, i) => r.Select((v, f) => (f + i) % 3 == 0 ? float.NaN : v).ToArray()).ToList();
        var width = rows[0].Length;
        var definition = SchemaDefinition.Create(typeof(FeatureRow));
        definition[nameof(FeatureRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, width);
        var view = data.Ml.Data.LoadFromEnumerable(rows.Concat(missing).Select(r => new FeatureRow { Features = r }), definition);

        var fromModel = model.Transform(view).GetColumn<float>("Probability").ToArray();
        using var session = new InferenceSession(path);
        using var results = session.Run(new[] { NamedOnnxValue.CreateFromTensor(export.InputName,
            new DenseTensor<float>(rows.Concat(missing).SelectMany(r => r).ToArray(), new[] { fromModel.Length, width })) });
        var fromOnnx = results.Single(r => r.Name == "Probability").AsTensor<float>().ToArray();

        // The gaps matter: on most rows the missing features change the forest's answer (a row sent left instead of
        // right at a NaN would move it by far more than the 6e-8 of summing the trees in another order).
        var changed = Enumerable.Range(0, rows.Count).Count(i => Math.Abs(fromModel[i] - fromModel[rows.Count + i]) > 0.01);
        Measured.AtLeast(changed, 100, 104, $"of {rows.Count} breast cancer rows whose probability moves by over 0.01 with a third of their features missing");
        Measured.AtMost(fromModel.Zip(fromOnnx).Max(p => Math.Abs(p.First - p.Second)), 2e-7, 6e-8, "max |forest − ONNX| of P(malignant), with and without missing features");
    }

    private sealed class FeatureRow
    {
        public float[] Features { get; set; } = Array.Empty<float>();
    }

    [Fact]
    public void The_cli_exports_a_lightgbm_model_and_says_what_the_file_reads()
    {
        using var folder = new TempFolder();
        var model = folder.File("lgbm.zip");
        Assert.Equal(0, CliRunner.InProcess("train", "--sample", "breast-cancer", "--trainer", "lightgbm", "-o", model).ExitCode);
        var export = CliRunner.InProcess("export", "-m", model, "-o", folder.File("lgbm.onnx"));
        Assert.Equal(0, export.ExitCode);
        Assert.Contains("Outputs  Score, Probability (Probability: that diagnosis is malignant)", export.Out);
        var wine = folder.File("wine.zip");
        Assert.Equal(0, CliRunner.InProcess("train", "--sample", "wine", "--trainer", "lightgbm", "-o", wine).ExitCode);
        Assert.Contains("Outputs  Score (Score: the probability of each class, in the order class_0, class_1, class_2)", CliRunner.InProcess("export", "-m", wine, "-o", folder.File("wine.onnx")).Out);
        Assert.Contains("Inputs   the model's raw columns: mean_radius, mean_texture,", export.Out);
    }

    private static (IDataView Data, string Label) Load(MLContext ml, string dataset, TempFolder folder)
    {
        if (dataset != "iris-with-a-text-column")
        {
            var sample = SampleDatasets.Get(dataset);
            return (sample.Load(ml), sample.LabelColumn);
        }
        // A text column one-hot encoded by the featurizer: ONNX reads it as a string tensor.
        var iris = SampleDatasets.Iris(ml);
        var lengths = iris.GetColumn<float>("sepal_length_cm").ToArray();
        var widths = iris.GetColumn<float>("petal_width_cm").ToArray();
        var species = iris.GetColumn<string>("species").ToArray();
        var lines = lengths.Select((l, i) => string.Create(CultureInfo.InvariantCulture, $"{l},{widths[i]},{(l > 5.8 ? "long" : "short")},{species[i]}"));
        return (DelimitedFile.Load(folder.Write("iris_text.csv", "sepal_length,petal_width,sepal_kind,species\n" + string.Join("\n", lines) + "\n")), "species");
    }

    private static float[] Values(IDataView scored, string column) => scored.Schema[column].Type is VectorDataViewType
        ? scored.GetColumn<float[]>(column).SelectMany(v => v).ToArray()
        : scored.GetColumn<float>(column).ToArray();
}
