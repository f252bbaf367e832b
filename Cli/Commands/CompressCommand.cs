using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.ML;
using MlToolkit.Cli.Output;
using MlToolkit.Data.IO;
using MlToolkit.Models;
using MlToolkit.Models.Evaluation;

namespace MlToolkit.Cli.Commands;

/// <summary><c>mltoolkit compress</c>: writes a smaller copy of a model (int8 weights) and reports size, quality and speed before and after.</summary>
internal static class CompressCommand
{
    public static Command Create(CliOutput output)
    {
        var data = new DatasetOptions();
        var model = new Option<string>("--model", "-m") { Description = "Model file whose predictor is a torch network.", Required = true };
        var quantize = new Option<string>("--quantize") { Description = "int8: per-channel symmetric int8 weights (about 4× smaller).", Required = true };
        quantize.AcceptOnlyFromAmong("int8");
        var path = new Option<string>("--output", "-o") { Description = "Compressed model file to write.", Required = true };
        var force = new Option<bool>("--force") { Description = "Replace --output when it is an existing MlToolkit model." };
        var json = new Option<bool>("--json") { Description = "Print the comparison as JSON." };
        var command = new Command("compress", "Write a smaller copy of a torch model; with labelled data (--dataset, --sample, ...), compare its quality and speed with the original's.");
        foreach (var option in data.All.Concat(new Option[] { model, quantize, path, force, json }))
            command.Options.Add(option);
        command.SetAction((result, cancellationToken) => Task.FromResult(TrainCommand.Run(output, cancellationToken, () =>
        {
            var source = Path.GetFullPath(result.GetValue(model)!);
            var target = Path.GetFullPath(result.GetValue(path)!);
            OutputGuard.NotAnInput("--output", target, ("--model", source));
            OutputGuard.ReplacesOnlyAModel("--output", target, result.GetValue(force));
            var ml = new MLContext(1);
            var original = TrainedModel.Load(ml, source);
            var compressed = ModelCompression.QuantizeInt8(original);
            compressed.Save(ml, target);
            var report = new JsonObject
            {
                ["model"] = source,
                ["compressed"] = target,
                ["bytesBefore"] = new FileInfo(source).Length,
                ["bytesAfter"] = new FileInfo(target).Length,
            };
            if (HasData(result, data))
            {
                var dataset = data.LoadFor(result, original, output.Error);
                report["before"] = Measure(ml, original, dataset.Data);
                report["after"] = Measure(ml, TrainedModel.Load(ml, target), dataset.Data);
            }
            output.Out.Write(result.GetValue(json) ? report.ToJsonString(ToolkitJson.Indented) + Environment.NewLine : ToText(report));
        })));
        return command;
    }

    private static bool HasData(ParseResult result, DatasetOptions data) =>
        result.GetValue(data.Dataset) is not null || result.GetValue(data.Images) is not null || result.GetValue(data.IdxImages) is not null
        || result.GetResult(data.Sample) is { Implicit: false };

    private static JsonObject Measure(MLContext ml, TrainedModel model, IDataView data)
    {
        var clock = Stopwatch.StartNew();
        var evaluation = ModelEvaluator.Evaluate(ml, model, data);
        clock.Stop();
        return new JsonObject
        {
            ["metric"] = evaluation.Primary.Key,
            ["value"] = evaluation.Primary.Value,
            ["rowsPerSecond"] = Math.Round(evaluation.Rows / clock.Elapsed.TotalSeconds),
        };
    }

    private static string ToText(JsonObject report)
    {
        var before = (long)report["bytesBefore"]!;
        var after = (long)report["bytesAfter"]!;
        var text = string.Create(CultureInfo.InvariantCulture, $"Compressed {report["compressed"]}: {before:N0} → {after:N0} bytes ({(double)before / after:0.00}× smaller)\n");
        if (report["before"] is JsonObject was && report["after"] is JsonObject now)
            text += string.Create(CultureInfo.InvariantCulture,
                $"{(string)was["metric"]!} {(double)was["value"]!:0.0000} → {(double)now["value"]!:0.0000}; scoring {(double)was["rowsPerSecond"]!:N0} → {(double)now["rowsPerSecond"]!:N0} rows/s\n");
        return text;
    }
}
