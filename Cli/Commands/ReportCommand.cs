using MlToolkit.Experiments.Storage;
using System.CommandLine;
using System.Text.Json.Nodes;
using MlToolkit.Cli.Output;
using MlToolkit.Data.IO;
using MlToolkit.Experiments.Reporting;

namespace MlToolkit.Cli.Commands;

/// <summary><c>mltoolkit report</c>: writes the HTML report and PNG charts of a stored experiment (also while it runs).</summary>
internal static class ReportCommand
{
    public static Command Create(CliOutput output)
    {
        var storage = new Option<string>("--storage") { Description = "SQLite file of the experiment (e.g. mltoolkit-automl/experiment.db), or a PostgreSQL connection string (postgresql://user@host/db).", Required = true };
        var study = new Option<string>("--study") { Description = "Study name inside the file.", DefaultValueFactory = _ => "default" };
        var folder = new Option<string?>("--output", "-o") { Description = "Folder for report.html and charts/. Default: the storage file's folder." };
        var json = new Option<bool>("--json") { Description = "Print the written files as JSON on standard output." };
        var command = new Command("report", "Write an experiment's HTML report (leaderboard, history, hyperparameters, learning curves, confusion matrix) and PNG charts.");
        foreach (var option in new Option[] { storage, study, folder, json })
            command.Options.Add(option);

        command.SetAction((result, cancellationToken) => Task.FromResult(TrainCommand.Run(output, cancellationToken, () =>
        {
            var given = result.GetValue(storage)!;
            var postgres = PostgresConnectionString.IsPostgres(given);
            var path = postgres ? given : Path.GetFullPath(given);
            var data = ReportData.FromStorage(path, result.GetValue(study)!);
            var files = ExperimentReport.Write(data, result.GetValue(folder) ?? (postgres ? Directory.GetCurrentDirectory() : Path.GetDirectoryName(path)!));
            if (result.GetValue(json))
                output.Out.WriteLine(new JsonObject
                {
                    ["report"] = files.Html,
                    ["charts"] = new JsonObject(files.Charts.Select(c => KeyValuePair.Create(c.Key, (JsonNode?)c.Value))),
                    ["trials"] = data.Trials.Count,
                }.ToJsonString(ToolkitJson.Indented));
            else
                output.Out.WriteLine($"Report   {files.Html} ({data.Trials.Count} trials, {files.Charts.Count} charts)");
        })));
        return command;
    }
}
