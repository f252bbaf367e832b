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
        var data = new DatasetOptions();
        var model = new Option<string>("--model", "-m") { Description = "Model file whose predictor is a torch network.", Required = true };
        var quantize = new Option<string?>("--quantize") { Description = "int8: per-channel symmetric int8 weights (about 4× smaller)." };
        quantize.AcceptOnlyFromAmong("int8");
        var prune = new Option<double?>("--prune") { Description = "Share of weights to zero by global magnitude pruning (e.g. 0.5), then fine-tune on 80% of the data given; the other 20% compares before and after." };
        var structured = new Option<bool>("--structured") { Description = "With --prune: remove that share of each MLP layer's units or each CNN block's channels (a smaller, faster network) instead of zeroing single weights." };
        var teacherModel = new Option<string?>("--distill-from") { Description = "Teacher model file (any multiclass model over the same classes): retrain the student's network from scratch on the labels and the teacher's probabilities, on 80% of the data given; the other 20% compares student, distilled student and teacher." };
        var distillEpochs = new Option<int>("--epochs") { Description = "Training epochs of the distilled student.", DefaultValueFactory = _ => new DistillationSettings().Epochs };
        var weight = new Option<double>("--distill-weight") { Description = "α: share of the loss that matches the teacher (the rest matches the labels).", DefaultValueFactory = _ => new DistillationSettings().Weight };
        var temperature = new Option<double>("--temperature") { Description = "T: softening of the teacher's and the student's distributions.", DefaultValueFactory = _ => new DistillationSettings().Temperature };
        var scope = new Option<string>("--prune-scope") { Description = "layer: every matrix loses the same share (default); global: rank all weights together.", DefaultValueFactory = _ => "layer" };
        scope.AcceptOnlyFromAmong("layer", "global");
        var epochs = new Option<int>("--fine-tune-epochs") { Description = "Fine-tuning epochs after pruning.", DefaultValueFactory = _ => 2 };
        var path = new Option<string>("--output", "-o") { Description = "Compressed model file to write.", Required = true };
        var force = new Option<bool>("--force") { Description = "Replace --output when it is an existing MlToolkit model." };
        var json = new Option<bool>("--json") { Description = "Print the comparison as JSON." };
        var command = new Command("compress", "Write a smaller copy of a torch model (int8 weights, magnitude or structured pruning, distillation from a teacher); with labelled data (--dataset, --sample, ...), compare its quality and speed with the original's.");
        foreach (var option in data.All.Concat(new Option[] { model, quantize, prune, structured, scope, epochs, teacherModel, distillEpochs, weight, temperature, path, force, json }))
            command.Options.Add(option);
        command.SetAction((result, cancellationToken) => Task.FromResult(TrainCommand.Run(output, cancellationToken, () =>
        {
            var source = Path.GetFullPath(result.GetValue(model)!);
            var target = Path.GetFullPath(result.GetValue(path)!);
            OutputGuard.NotAnInput("--output", target, ("--model", source));
            OutputGuard.ReplacesOnlyAModel("--output", target, result.GetValue(force));
            if (result.GetValue(structured) && result.GetValue(prune) is null)
                throw new ArgumentException("--structured says how to prune: give --prune FRACTION with it.");
            if (result.GetValue(quantize) is null && result.GetValue(prune) is null && result.GetValue(teacherModel) is null)
                throw new ArgumentException("Say how to compress: --quantize int8, --prune FRACTION [--structured], --distill-from TEACHER, or a combination.");
            var ml = new MLContext(1);
            var original = TrainedModel.Load(ml, source);
            var dataset = HasData(result, data) ? data.LoadFor(result, original, output.Error) : null;
            var compressed = original;
            var report = new JsonObject { ["model"] = source, ["compressed"] = target };
            var split = NeedsTraining(result, prune, teacherModel) ? Split(original, dataset?.Data
                ?? throw new ArgumentException("--prune and --distill-from train the network: give the labelled data it was trained on (--dataset, --sample, --images or --idx-images).")) : null;
            var evaluation = split?.Test ?? dataset?.Data;
            if (result.GetValue(teacherModel) is { } teacherPath)
            {
                var teacher = TrainedModel.Load(ml, Path.GetFullPath(teacherPath));
                compressed = ModelCompression.Distill(ml, compressed, teacher, split!.Train,
                    new DistillationSettings(result.GetValue(distillEpochs), result.GetValue(weight), result.GetValue(temperature)));
                report["teacher"] = Measure(ml, teacher, split.Test);
            }
            if (result.GetValue(prune) is { } sparsity)
            {
                if (result.GetValue(structured))
                {
                    (compressed, var narrowed) = ModelCompression.PruneStructured(ml, compressed, sparsity, split!.Train, result.GetValue(epochs));
                    report["parametersBefore"] = narrowed.ParametersBefore;
                    report["parametersAfter"] = narrowed.ParametersAfter;
                }
                else
                {
                    (compressed, var reached) = ModelCompression.Prune(ml, compressed, sparsity, split!.Train, result.GetValue(epochs),
                        result.GetValue(scope) == "global" ? PruningScope.Global : PruningScope.PerLayer);
                    report["sparsity"] = reached;
                }
            }
            if (result.GetValue(quantize) is not null)
                compressed = ModelCompression.QuantizeInt8(compressed);
            compressed.Save(ml, target);
            report["bytesBefore"] = new FileInfo(source).Length;
            report["bytesAfter"] = new FileInfo(target).Length;
            if (evaluation is not null)
            {
                report["before"] = Measure(ml, original, evaluation);
                report["after"] = Measure(ml, TrainedModel.Load(ml, target), evaluation);
            }
            output.Out.Write(result.GetValue(json) ? report.ToJsonString(ToolkitJson.Indented) + Environment.NewLine : ToText(report));
        })));
        return command;
    }

    private static bool NeedsTraining(ParseResult result, Option<double?> prune, Option<string?> teacher) =>
        result.GetValue(prune) is not null || result.GetValue(teacher) is not null;

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
