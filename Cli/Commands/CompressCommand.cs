using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.ML;
using MlToolkit.Cli.Output;
using MlToolkit.Data.IO;
using MlToolkit.Models;
using MlToolkit.Models.Evaluation;
using MlToolkit.Trainers.Torch.Compression;

namespace MlToolkit.Cli.Commands;

/// <summary><c>mltoolkit compress</c>: writes a smaller copy of a model (int8 weights, pruning) and reports size, quality and speed before and after.</summary>
internal static class CompressCommand
{
    public static Command Create(CliOutput output)
    {
        var options = new CompressCommandOptions();
        var command = new Command("compress", "Write a smaller copy of a torch model (int8 weights, magnitude or structured pruning, distillation from a teacher); with labelled data (--dataset, --sample, ...), compare its quality and speed with the original's.");
        foreach (var option in options.All)
            command.Options.Add(option);
        command.SetAction((result, cancellationToken) => Task.FromResult(TrainCommand.Run(output, cancellationToken, () => Run(output, options, result))));
        return command;
    }

    private static void Run(CliOutput output, CompressCommandOptions options, ParseResult result)
    {
        var source = Path.GetFullPath(result.GetValue(options.Model)!);
        var target = Path.GetFullPath(result.GetValue(options.Output)!);
        OutputGuard.NotAnInput("--output", target, ("--model", source));
        OutputGuard.ReplacesOnlyAModel("--output", target, result.GetValue(options.Force));
        options.Check(result);
        var ml = new MLContext(1);
        var original = TrainedModel.Load(ml, source);
        var dataset = HasData(result, options.Data) ? options.Data.LoadFor(result, original, output.Error) : null;
        var split = options.Trains(result) ? Split(original, dataset?.Data
            ?? throw new ArgumentException("--prune and --distill-from train the network: give the labelled data it was trained on (--dataset, --sample, --images or --idx-images).")) : null;
        var report = new JsonObject { ["model"] = source, ["compressed"] = target };
        var compressed = Compress(ml, options, result, original, split, report);
        compressed.Save(ml, target);
        report["bytesBefore"] = new FileInfo(source).Length;
        report["bytesAfter"] = new FileInfo(target).Length;
        if ((split?.Test ?? dataset?.Data) is { } evaluation)
        {
            report["before"] = Measure(ml, original, evaluation);
            report["after"] = Measure(ml, TrainedModel.Load(ml, target), evaluation);
        }
        output.Out.Write(result.GetValue(options.Json) ? report.ToJsonString(ToolkitJson.Indented) + Environment.NewLine : ToText(report));
    }

    /// <summary>Distillation, then pruning, then int8, as asked; what each did goes into <paramref name="report"/>.</summary>
    private static TrainedModel Compress(MLContext ml, CompressCommandOptions options, ParseResult result, TrainedModel model, Data.Splits.DataSplit? split, JsonObject report)
    {
        if (result.GetValue(options.Teacher) is { } teacherPath)
        {
            var teacher = TrainedModel.Load(ml, Path.GetFullPath(teacherPath));
            model = ModelCompression.Distill(ml, model, teacher, split!.Train,
                new DistillationSettings(result.GetValue(options.DistillEpochs), result.GetValue(options.Weight), result.GetValue(options.Temperature)));
            report["teacher"] = Measure(ml, teacher, split.Test);
        }
        if (result.GetValue(options.Prune) is { } share)
        {
            var epochs = result.GetValue(options.FineTuneEpochs);
            if (result.GetValue(options.Structured))
            {
                (model, var narrowed) = ModelCompression.PruneStructured(ml, model, share, split!.Train, epochs);
                report["parametersBefore"] = narrowed.ParametersBefore;
                report["parametersAfter"] = narrowed.ParametersAfter;
            }
            else
            {
                var scope = result.GetValue(options.Scope) == "global" ? PruningScope.Global : PruningScope.PerLayer;
                (model, var sparsity) = ModelCompression.Prune(ml, model, share, split!.Train, epochs, scope);
                report["sparsity"] = sparsity;
            }
        }
        return result.GetValue(options.Quantize) is not null ? ModelCompression.QuantizeInt8(model) : model;
    }

    /// <summary>80% to train on, 20% (stratified by class) to compare on, the same rows for every step.</summary>
    private static Data.Splits.DataSplit Split(TrainedModel model, IDataView rows) =>
        Data.Splits.DataSplits.TrainTest(rows, 0.2, 1, model.Description.Task == Data.PredictionTask.Regression ? null : model.Description.LabelColumn);

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
        if (report["sparsity"] is { } sparsity)
            text += string.Create(CultureInfo.InvariantCulture, $"Pruned   {(double)sparsity:P1} of the weights are zero\n");
        if (report["parametersBefore"] is { } parametersBefore)
            text += string.Create(CultureInfo.InvariantCulture, $"Narrowed {(long)parametersBefore:N0} → {(long)report["parametersAfter"]!:N0} parameters\n");
        if (report["teacher"] is JsonObject teacher)
            text += string.Create(CultureInfo.InvariantCulture, $"Teacher  {(string)teacher["metric"]!} {(double)teacher["value"]!:0.0000}\n");
        if (report["before"] is JsonObject was && report["after"] is JsonObject now)
            text += string.Create(CultureInfo.InvariantCulture,
                $"{(string)was["metric"]!} {(double)was["value"]!:0.0000} → {(double)now["value"]!:0.0000}; scoring {(double)was["rowsPerSecond"]!:N0} → {(double)now["rowsPerSecond"]!:N0} rows/s\n");
        return text;
    }
}
