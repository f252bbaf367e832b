using System.CommandLine;
using System.Text.Json.Nodes;
using Microsoft.ML;
using MlToolkit.Cli.Output;
using MlToolkit.Data;
using MlToolkit.Data.IO;
using MlToolkit.Models;
using MlToolkit.Models.Onnx;
using MlToolkit.Pipelines.Dates;

namespace MlToolkit.Cli.Commands;

/// <summary><c>mltoolkit export</c>: writes a saved model's torch network or ML.NET predictor as an ONNX file.</summary>
internal static class ExportCommand
{
    public static Command Create(CliOutput output)
    {
        var model = new Option<string>("--model", "-m") { Description = "Model file (from train, automl or SavePipeline) whose predictor is a torch network (mlp, cnn, lstm/gru, transformer, kernel, knn, forest) or an ML.NET trainer's model (lightgbm, fasttree, lbfgs, sdca), or an automl ensemble of those.", Required = true };
        var format = new Option<string>("--format") { Description = "Export format.", DefaultValueFactory = _ => "onnx" };
        format.AcceptOnlyFromAmong("onnx");
        var path = new Option<string>("--output", "-o") { Description = "File to write.", DefaultValueFactory = _ => "model.onnx" };
        var force = new Option<bool>("--force") { Description = "Replace --output even when it exists." };
        var json = new Option<bool>("--json") { Description = "Print what was written as JSON." };
        var command = new Command("export", "Export a model to ONNX: its torch network or ML.NET predictor and, when ML.NET can convert them, the transforms before it (inputs: the raw columns, a date column as its nine parts, or else the feature vector; outputs: Score, and Probability for binary models).");
        foreach (var option in new Option[] { model, format, path, force, json })
            command.Options.Add(option);
        command.SetAction((result, cancellationToken) => Task.FromResult(TrainCommand.Run(output, cancellationToken, () =>
        {
            var target = Path.GetFullPath(result.GetValue(path)!);
            OutputGuard.NotAnInput("--output", target, ("--model", result.GetValue(model)));
            if (File.Exists(target) && !result.GetValue(force))
                throw new ArgumentException($"--output {target} exists; pass --force to replace it.");
            var trained = TrainedModel.Load(new MLContext(1), result.GetValue(model)!);
            var export = OnnxExporter.Export(trained, target);
            if (result.GetValue(json))
            {
                output.Out.WriteLine(new JsonObject
                {
                    ["onnx"] = export.Path,
                    ["input"] = export.InputName,
                    ["inputSize"] = export.InputSize,
                    ["outputs"] = new JsonArray(export.Outputs.Select(o => (JsonNode?)o).ToArray()),
                    ["task"] = trained.Description.Task.ToString(),
                    ["classes"] = trained.Description.Task == PredictionTask.MulticlassClassification ? new JsonArray(trained.Description.Classes.Select(c => (JsonNode?)c).ToArray()) : null,
                    ["positiveClass"] = trained.Description.Task == PredictionTask.BinaryClassification ? trained.Description.PositiveClass : null,
                    ["precedingTransforms"] = new JsonArray(export.PrecedingTransforms.Select(t => (JsonNode?)t).ToArray()),
                    ["wholePipeline"] = export.WholePipeline,
                    ["inputs"] = new JsonArray(export.Inputs.Select(i => (JsonNode?)i).ToArray()),
                    ["datePartInputs"] = new JsonArray(export.DatePartInputs.Select(i => (JsonNode?)i).ToArray()),
                    ["notExportedBecause"] = export.NotExportedBecause,
                }.ToJsonString(ToolkitJson.Indented));
                return;
            }
            output.Out.WriteLine($"ONNX     {export.Path}");
            output.Out.WriteLine(export.WholePipeline
                ? $"Inputs   the model's raw columns: {string.Join(", ", export.Inputs)}"
                : $"Input    {export.InputName}: float [batch, {export.InputSize}]");
            if (export.DatePartInputs.Count > 0)
                output.Out.WriteLine($"Dates    {string.Join(", ", export.DatePartInputs)}: read as their parts, float [batch, {DateTimePartsTransformer.PartNames.Count}] "
                    + $"({string.Join(", ", DateTimePartsTransformer.PartNames)}; NaN when missing), since ONNX cannot read a date from text");
            output.Out.WriteLine($"Outputs  {string.Join(", ", export.Outputs)}{Meaning(trained.Description)}");
            if (export.PrecedingTransforms.Count > 0)
                output.Out.WriteLine($"Not in the file: the transforms that make {export.InputName} ({string.Join(", ", export.PrecedingTransforms)}), because {export.NotExportedBecause}; apply them first.");
        })));
        return command;
    }

    /// <summary>What the outputs hold, in the user's class names: the file's metadata says the same.</summary>
    private static string Meaning(ModelDescription description) => description.Task switch
    {
        PredictionTask.MulticlassClassification => $" (Score: the probability of each class, in the order {string.Join(", ", description.Classes)})",
        PredictionTask.BinaryClassification when description.PositiveClass is { } positive => $" (Probability: that {description.LabelColumn} is {positive})",
        _ => "",
    };
}
