using MlToolkit.Data.IO;
using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.ML;
using MlToolkit.Cli.Output;
using MlToolkit.Models.Evaluation;
using MlToolkit.Models;

namespace MlToolkit.Cli.Commands;

/// <summary><c>mltoolkit evaluate</c>: loads a model file and prints its metrics on labelled data.</summary>
internal static class EvaluateCommand
{
    public static Command Create(CliOutput output)
    {
        var data = new DatasetOptions();
        var model = new Option<string>("--model", "-m") { Description = "Model file written by 'mltoolkit train'.", Required = true };
        var json = new Option<bool>("--json") { Description = "Print the metrics as JSON on standard output." };
        var command = new Command("evaluate", "Evaluate a saved model on labelled data (default: the built-in digits sample).");
        foreach (var option in data.All.Append(model).Append(json))
            command.Options.Add(option);

        command.SetAction((result, cancellationToken) => Task.FromResult(TrainCommand.Run(output, cancellationToken, () =>
        {
            var ml = new MLContext(seed: 1);
            var trained = TrainedModel.Load(ml, result.GetValue(model)!);
            var dataset = data.LoadFor(result, trained, output.Error);
            var report = ModelEvaluator.Evaluate(ml, trained, dataset.Data);
            if (result.GetValue(json))
            {
                var body = report.ToJson();
                body["dataset"] = dataset.Name;
                body["model"] = Path.GetFullPath(result.GetValue(model)!);
                output.Out.WriteLine(body.ToJsonString(ToolkitJson.Indented));
            }
            else
            {
                output.Out.WriteLine($"Model    {result.GetValue(model)} ({trained.Description.Trainer}, {trained.Description.Task})");
                output.Out.WriteLine($"Dataset  {dataset.Name}: {report.Rows:N0} rows");
                output.Out.Write(report.ToText());
            }
        })));
        return command;
    }
}
