using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.ML;
using MlToolkit.Cli.Output;
using MlToolkit.Data.IO;
using MlToolkit.Experiments.Reporting;
using MlToolkit.Models;
using MlToolkit.Models.Explanations;

namespace MlToolkit.Cli.Commands;

/// <summary><c>mltoolkit explain</c>: which input columns a saved model relies on (permutation importance) and why it predicts what it does for given rows (Kernel SHAP, LIME, integrated gradients).</summary>
internal static class ExplainCommand
{
    private static readonly string[] Methods = { "pfi", "shap", "lime", "gradients" };

    public static Command Create(CliOutput output)
    {
        var data = new DatasetOptions();
        var model = new Option<string>("--model", "-m") { Description = "Model file (from train, automl or SavePipeline).", Required = true };
        var method = new Option<string>("--method") { Description = "pfi (importance of each column, needs the label), shap, lime, or gradients (torch image and text models: saliency maps / token highlights).", DefaultValueFactory = _ => "shap" };
        method.AcceptOnlyFromAmong(Methods);
        var rows = new Option<string>("--rows") { Description = "Rows to explain (0-based, comma-separated) for shap, lime and gradients.", DefaultValueFactory = _ => "0" };
        var className = new Option<string?>("--class") { Description = "Multiclass: the class whose probability is explained. Default: each row's predicted class." };
        var link = new Option<string>("--link") { Description = "shap: identity (the output) or logit (its log-odds).", DefaultValueFactory = _ => "identity" };
        link.AcceptOnlyFromAmong("identity", "logit");
        var background = new Option<int>("--background-rows") { Description = "shap: background rows (a seeded sample of the data); lime: rows the column statistics come from.", DefaultValueFactory = _ => 100 };
        var samples = new Option<int>("--samples") { Description = "shap: coalitions per row (all of them, exact, when they fit); lime: perturbed samples per row.", DefaultValueFactory = _ => 2048 };
        var repeats = new Option<int>("--repeats") { Description = "pfi: shuffles per column.", DefaultValueFactory = _ => 5 };
        var folder = new Option<string>("--output", "-o") { Description = "gradients: folder for the saliency PNGs or the token HTML.", DefaultValueFactory = _ => "mltoolkit-explain" };
        var json = new Option<bool>("--json") { Description = "Print the explanations as JSON." };
        var command = new Command("explain", "Explain a saved model: column importance (pfi), or single predictions (shap, lime, gradients).");
        foreach (var option in data.All.Concat(new Option[] { model, method, rows, className, link, background, samples, repeats, folder, json }))
            command.Options.Add(option);

        command.SetAction((result, cancellationToken) => Task.FromResult(TrainCommand.Run(output, cancellationToken, () =>
        {
            var ml = new MLContext(seed: 1);
            var trained = TrainedModel.Load(ml, result.GetValue(model)!);
            var dataset = data.LoadFor(result, trained, output.Error);
            var chosen = result.GetValue(method)!;
            var request = new ExplainRequest(ml, trained, dataset.Data, ParseRows(result.GetValue(rows)!), result.GetValue(className),
                result.GetValue(link) == "logit" ? ShapLink.Logit : ShapLink.Identity, result.GetValue(background), result.GetValue(samples), result.GetValue(repeats),
                Path.GetFullPath(result.GetValue(folder)!));
            var body = chosen switch
            {
                "pfi" => Importance(request),
                "gradients" => Gradients(request),
                _ => Predictions(request, chosen),
            };
            output.Out.Write(result.GetValue(json) ? body.Json.ToJsonString(ToolkitJson.Indented) + Environment.NewLine : body.Text);
        })));
        return command;
    }

    private sealed record ExplainRequest(MLContext Ml, TrainedModel Model, IDataView Data, int[] Rows, string? Class, ShapLink Link, int Background, int Samples, int Repeats, string Folder)
    {
        public IDataView SelectedRows()
        {
            var table = ColumnTable.Read(Data, Rows.Max() + 1);
            var missing = Rows.Where(r => r >= table.Rows).ToList();
            return missing.Count == 0 ? table.Take(Rows).ToDataView()
                : throw new ArgumentException($"--rows {string.Join(",", missing)}: the data has {table.Rows} rows (rows are counted from 0).");
        }
    }

    private static (string Text, JsonNode Json) Importance(ExplainRequest request)
    {
        var importance = request.Ml.Explanations().PermutationImportance(request.Model, request.Data, new PfiOptions { Repeats = request.Repeats });
        return (importance.ToText(), importance.ToJson());
    }

    private static (string Text, JsonNode Json) Predictions(ExplainRequest request, string method)
    {
        var rows = request.SelectedRows();
        var explained = method == "lime"
            ? request.Ml.Explanations().Lime(request.Model, request.Data, rows, new LimeOptions { Class = request.Class, BackgroundRows = Math.Max(request.Background, 10), Samples = request.Samples })
            : request.Ml.Explanations().KernelShap(request.Model, request.Data, rows, new ShapOptions { Class = request.Class, Link = request.Link, BackgroundRows = request.Background, Samples = request.Samples });
        var numbered = explained.Select((e, i) => e with { Row = request.Rows[i] }).ToList();
        return (string.Concat(numbered.Select(e => e.ToText())), new JsonArray(numbered.Select(e => (JsonNode?)e.ToJson()).ToArray()));
    }

    private static (string Text, JsonNode Json) Gradients(ExplainRequest request)
    {
        Directory.CreateDirectory(request.Folder);
        var rows = request.SelectedRows();
        var text = new StringBuilder();
        var json = new JsonArray();
        if (HasTokens(request.Model))
        {
            var html = new StringBuilder("<!DOCTYPE html><html><head><meta charset=\"utf-8\"/><title>Token attributions</title></head><body>\n");
            foreach (var (row, index) in TorchAttributions.Tokens(request.Model, rows, request.Class).Select((r, i) => (r, request.Rows[i])))
            {
                html.Append(CultureInfo.InvariantCulture, $"<h3>Row {index}: {row.Output} = {row.Prediction:0.####}</h3>").Append(AttributionImages.TokensToHtml(row)).Append('\n');
                var top = row.Tokens.OrderByDescending(t => Math.Abs(t.Attribution)).Take(5).ToList();
                text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"Row {index}: {row.Output} = {row.Prediction:0.####}; strongest tokens: {string.Join(", ", top.Select(t => $"{t.Token} {t.Attribution:+0.000;-0.000}"))}"));
                json.Add(new JsonObject { ["row"] = index, ["output"] = row.Output, ["prediction"] = row.Prediction, ["baselineOutput"] = row.BaselineOutput,
                    ["tokens"] = new JsonArray(row.Tokens.Select(t => (JsonNode?)new JsonObject { ["token"] = t.Token, ["attribution"] = t.Attribution }).ToArray()) });
            }
            var path = Path.Combine(request.Folder, "tokens.html");
            File.WriteAllText(path, html.Append("</body></html>\n").ToString());
            text.AppendLine($"Tokens   {path}");
            return (text.ToString(), json);
        }
        foreach (var (map, index) in TorchAttributions.Inputs(request.Model, rows, request.Class).Select((m, i) => (m, request.Rows[i])))
        {
            var path = Path.Combine(request.Folder, string.Create(CultureInfo.InvariantCulture, $"saliency-row{index}.png"));
            AttributionImages.WriteSaliencyPng(map, path);
            text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"Row {index}: {map.Output} = {map.Prediction:0.####} (all-black baseline {map.BaselineOutput:0.####}) -> {path}"));
            json.Add(new JsonObject { ["row"] = index, ["output"] = map.Output, ["prediction"] = map.Prediction, ["baselineOutput"] = map.BaselineOutput,
                ["attributionSum"] = map.Attributions.Sum(), ["png"] = path });
        }
        return (text.ToString(), json);
    }

    private static bool HasTokens(TrainedModel model) =>
        Models.Persistence.PipelineParts.Flatten(model.Scorer).Any(t => t is Pipelines.Text.TokenIdTransformer);

    private static int[] ParseRows(string text) => text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(r => int.TryParse(r, NumberStyles.None, CultureInfo.InvariantCulture, out var row) ? row
            : throw new ArgumentException($"--rows '{r}': expected a row number (0-based), e.g. --rows 0,5,7.")).ToArray() is { Length: > 0 } rows ? rows
        : throw new ArgumentException("--rows: give at least one row number.");
}
