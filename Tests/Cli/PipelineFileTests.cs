using System.Text.Json.Nodes;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlToolkit.Data;
using MlToolkit.Data.Samples;
using MlToolkit.Experiments.Training;
using MlToolkit.Models;
using MlToolkit.Models.Persistence;

namespace MlToolkit.Tests.Cli;

/// <summary>One model container: SavePipeline files, train's and AutoML's models are read by every loader and the CLI.</summary>
public sealed class PipelineFileTests
{
    private static readonly string[] IrisFeatures = { "sepal_length_cm", "sepal_width_cm", "petal_length_cm", "petal_width_cm" };

    public sealed class Flower
    {
        [ColumnName("sepal_length_cm")] public float SepalLength { get; set; }
        [ColumnName("sepal_width_cm")] public float SepalWidth { get; set; }
        [ColumnName("petal_length_cm")] public float PetalLength { get; set; }
        [ColumnName("petal_width_cm")] public float PetalWidth { get; set; }
        [ColumnName("species")] public string Species { get; set; } = "";
    }

    public sealed class FlowerPrediction
    {
        public string PredictedLabel { get; set; } = "";
    }

    [Fact]
    public void An_mlnet_pipeline_saved_with_save_pipeline_loads_as_a_trained_model_and_the_cli_evaluates_and_predicts_with_it()
    {
        using var folder = new TempFolder();
        var ml = new MLContext(1);
        var iris = SampleDatasets.Iris(ml);
        var model = ml.Transforms.Conversion.MapValueToKey("Label", "species")
            .Append(ml.Transforms.Concatenate("Features", IrisFeatures))
            .Append(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy())
            .Fit(iris);
        var path = folder.File("iris-pipeline.zip");
        ml.Model.SavePipeline(model, iris.Schema, path);
        var expected = ml.MulticlassClassification.Evaluate(model.Transform(iris)).MicroAccuracy;

        var loaded = TrainedModel.Load(ml, path);
        Assert.Equal(PredictionTask.MulticlassClassification, loaded.Description.Task);
        Assert.Equal(new[] { "setosa", "versicolor", "virginica" }, loaded.Description.Classes);
        Assert.Equal("MulticlassPredictionTransformer", loaded.Description.Trainer);
        var engine = ml.Model.CreatePredictionEngine<Flower, FlowerPrediction>(loaded);
        Assert.Equal("virginica", engine.Predict(new Flower { SepalLength = 6.9f, SepalWidth = 3.1f, PetalLength = 5.4f, PetalWidth = 2.1f, Species = "virginica" }).PredictedLabel);

        var evaluated = CliRunner.InProcess("evaluate", "--model", path, "--sample", "iris", "--json");
        Assert.True(evaluated.ExitCode == 0, evaluated.Error);
        Assert.Equal(expected, (double)JsonNode.Parse(evaluated.Out)!["metrics"]!["accuracy"]!, 6);
        Measured.AtLeast(expected, 0.96, 0.9667, "an ML.NET L-BFGS pipeline's accuracy on its own iris rows");

        var predictions = folder.File("predictions.csv");
        var predicted = CliRunner.InProcess("predict", "--model", path, "--sample", "iris", "-o", predictions);
        Assert.True(predicted.ExitCode == 0, predicted.Error);
        var lines = File.ReadAllLines(predictions);
        Assert.Equal("row,predicted_Label,score_setosa,score_versicolor,score_virginica", lines[0]);
        Assert.StartsWith("1,setosa,", lines[1]);
        Assert.Equal(151, lines.Length);
    }

    [Fact]
    public void A_regression_pipeline_file_is_evaluated_with_r_squared_as_mlnet_computes_it()
    {
        using var folder = new TempFolder();
        var ml = new MLContext(1);
        var diabetes = SampleDatasets.Diabetes(ml);
        var inputs = diabetes.Schema.Select(c => c.Name).Where(n => n != "progression").ToArray();
        var model = ml.Transforms.CopyColumns("Label", "progression")
            .Append(ml.Transforms.Concatenate("Features", inputs))
            .Append(ml.Transforms.NormalizeMinMax("Features"))
            .Append(ml.Regression.Trainers.Sdca(maximumNumberOfIterations: 50))
            .Fit(diabetes);
        var path = folder.File("diabetes-pipeline.zip");
        ml.Model.SavePipeline(model, diabetes.Schema, path);
        Assert.Equal(PredictionTask.Regression, TrainedModel.Load(ml, path).Description.Task);
        var evaluated = CliRunner.InProcess("evaluate", "--model", path, "--sample", "diabetes", "--json");
        Assert.True(evaluated.ExitCode == 0, evaluated.Error);
        Assert.Equal(ml.Regression.Evaluate(model.Transform(diabetes)).RSquared, (double)JsonNode.Parse(evaluated.Out)!["metrics"]!["r_squared"]!, 6);
    }

    [Fact]
    public void A_trained_model_saved_through_save_pipeline_keeps_its_description()
    {
        using var folder = new TempFolder();
        var ml = new MLContext(1);
        var iris = SampleDatasets.Iris(ml);
        var trained = SupervisedTraining.Run(ml, new TrainingRequest { Data = iris, LabelColumn = "species", Trainer = "lbfgs" }).Model;
        var path = folder.File("m.zip");
        ml.Model.SavePipeline(trained, iris.Schema, path);
        var loaded = TrainedModel.Load(ml, path);
        Assert.Equal("lbfgs", loaded.Description.Trainer);
        Assert.Equal("species", loaded.Description.LabelColumn);
        Assert.False(loaded.IsPipeline);
    }

    [Fact]
    public void A_pipeline_without_a_score_column_is_not_a_model_and_the_error_says_how_to_load_it()
    {
        using var folder = new TempFolder();
        var ml = new MLContext(1);
        var iris = SampleDatasets.Iris(ml);
        var path = folder.File("features.zip");
        ml.Model.SavePipeline(ml.Transforms.Concatenate("Features", IrisFeatures).Fit(iris), iris.Schema, path);
        var error = Assert.Throws<MlToolkit.Pipelines.Persistence.ModelFormatException>(() => TrainedModel.Load(ml, path));
        Assert.Equal($"{Path.GetFullPath(path)}: the pipeline adds no Score column, so it is not a prediction model; load it with mlContext.Model.LoadPipeline", error.Message);
    }
}
