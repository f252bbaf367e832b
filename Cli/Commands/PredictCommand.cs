using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlToolkit.Cli.Output;
using MlToolkit.Data;
using MlToolkit.Data.IO;
using MlToolkit.Pipelines.Labels;
using MlToolkit.Models;

namespace MlToolkit.Cli.Commands;

/// <summary>
/// <c>mltoolkit predict</c>: scores a file (labelled or not) with a saved model and writes one row of predictions per
/// input row: its number, the identifier columns the model was trained beside (when the file has them), the prediction.
/// </summary>
internal static class PredictCommand
{
    public static Command Create(CliOutput output)
    {
        var data = new DatasetOptions();
        var model = new Option<string>("--model", "-m") { Description = "Model file written by 'mltoolkit train' or 'mltoolkit automl'.", Required = true };
        var predictions = new Option<string>("--output", "-o") { Description = "CSV file of predictions to write.", DefaultValueFactory = _ => "predictions.csv" };
        var json = new Option<bool>("--json") { Description = "Print a summary as JSON on standard output." };
        var command = new Command("predict", "Score a CSV/TSV file or Excel workbook (the label column may be absent) with a saved model and write the predictions as CSV.");
        foreach (var option in data.All.Append(model).Append(predictions).Append(json))
            command.Options.Add(option);

        command.SetAction((result, cancellationToken) => Task.FromResult(TrainCommand.Run(output, cancellationToken, () =>
        {
            OutputGuard.NotAnInput("--output", result.GetValue(predictions)!, data.Inputs(result).Append(("--model", result.GetValue(model))).ToArray());
            var ml = new MLContext(seed: 1);
            var trained = TrainedModel.Load(ml, result.GetValue(model)!);
            var description = trained.Description;
            var kinds = description.InputColumns.Where(c => c.Name != description.LabelColumn).ToDictionary(c => c.Name, c => c.Kind);
            // Read columns as the model was trained on them, but only those in the file: a missing one gets the model's message below.
            var probe = data.Load(result);
            var present = probe.Layout?.Columns.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
            var applicable = kinds.Where(k => present is null || present.Contains(k.Key)).ToDictionary(k => k.Key, k => k.Value);
            var dataset = applicable.Count > 0 ? data.Load(result, applicable) : probe;
            DatasetOptions.Warn(dataset, output.Error);
            foreach (var column in trained.InputSchema.Select(c => c.Name).Where(n => n != description.LabelColumn))
            {
                if (dataset.Data.Schema.GetColumnOrNull(column) is null)
                    throw new SchemaException($"Column '{column}' the model needs is not in {dataset.Name}. Columns: {string.Join(", ", dataset.Data.Schema.Select(c => c.Name))}.");
            }
            var path = Path.GetFullPath(result.GetValue(predictions)!);
            using var keys = new PredictionKeys(dataset.Data, description.IdentifierColumns);
            var rows = Write(trained, trained.Score(dataset.Data), keys, path);
            if (result.GetValue(json))
                output.Out.WriteLine(new JsonObject { ["dataset"] = dataset.Name, ["model"] = Path.GetFullPath(result.GetValue(model)!), ["rows"] = rows, ["predictions"] = path }.ToJsonString(ToolkitJson.Indented));
            else
                output.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Predicted {rows:N0} rows of {dataset.Name} with {description.Trainer} ({description.Task}) -> {path}"));
        })));
        return command;
    }

    private static long Write(TrainedModel model, IDataView scored, PredictionKeys keys, string path)
    {
        var description = model.Description;
        long rows = 0;
        AtomicFile.Write(path, file =>
        {
            using var writer = new StreamWriter(file, new UTF8Encoding(false), leaveOpen: true);
            var score = scored.Schema["Score"];
            string[] header;
            Func<string> line;
            using var cursor = scored.GetRowCursor(scored.Schema);
            switch (description.Task)
            {
                case PredictionTask.MulticlassClassification:
                {
                    var predicted = scored.Schema["PredictedLabel"];
                    var classes = LabelEncoding.KeyNames(predicted);
                    var label = cursor.GetGetter<uint>(predicted);
                    var scores = cursor.GetGetter<VBuffer<float>>(score);
                    header = new[] { "row", "predicted_" + description.LabelColumn }.Concat(classes.Select(c => "score_" + c)).ToArray();
                    line = () =>
                    {
                        uint key = 0;
                        VBuffer<float> values = default;
                        label(ref key);
                        scores(ref values);
                        return string.Join(",", new[] { CsvText.Quote(key > 0 && key <= classes.Length ? classes[key - 1] : "") }.Concat(values.DenseValues().Select(Number)));
                    };
                    break;
                }
                case PredictionTask.BinaryClassification:
                {
                    var negative = description.Classes.FirstOrDefault(c => c != description.PositiveClass) ?? "false";
                    var label = cursor.GetGetter<bool>(scored.Schema["PredictedLabel"]);
                    var scores = cursor.GetGetter<float>(score);
                    var probability = scored.Schema.GetColumnOrNull("Probability") is { } p ? cursor.GetGetter<float>(p) : null;
                    header = new[] { "row", "predicted_" + description.LabelColumn, "score" }.Concat(probability is null ? Array.Empty<string>() : new[] { "probability_" + description.PositiveClass }).ToArray();
                    line = () =>
                    {
                        bool positive = false;
                        float value = 0, chance = 0;
                        label(ref positive);
                        scores(ref value);
                        probability?.Invoke(ref chance);
                        var cells = new List<string> { CsvText.Quote(positive ? description.PositiveClass ?? "true" : negative), Number(value) };
                        if (probability is not null)
                            cells.Add(Number(chance));
                        return string.Join(",", cells);
                    };
                    break;
                }
                default:
                {
                    var scores = cursor.GetGetter<float>(score);
                    header = new[] { "row", "predicted_" + description.LabelColumn };
                    line = () =>
                    {
                        float value = 0;
                        scores(ref value);
                        return Number(value);
                    };
                    break;
                }
            }
            writer.WriteLine(string.Join(",", header.Take(1).Concat(keys.Names).Concat(header.Skip(1)).Select(CsvText.Quote)));
            while (cursor.MoveNext())
                writer.WriteLine(string.Join(",", keys.Next().Prepend((++rows).ToString(CultureInfo.InvariantCulture)).Append(line())));
        });
        return rows;
    }

    private static string Number(float value) => value.ToString("R", CultureInfo.InvariantCulture);
}
