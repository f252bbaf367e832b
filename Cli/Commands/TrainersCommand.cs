using System.CommandLine;
using System.Text.Json.Nodes;
using MlToolkit.Cli.Output;
using MlToolkit.Data;
using MlToolkit.Data.IO;
using MlToolkit.Experiments.Candidates;

namespace MlToolkit.Cli.Commands;

/// <summary><c>mltoolkit trainers</c>: lists the registered trainers with their tasks, input, defaults and search space.</summary>
internal static class TrainersCommand
{
    public static Command Create(CliOutput output)
    {
        var json = new Option<bool>("--json") { Description = "Print every trainer's tasks, input, defaults and search space as JSON." };
        var markdown = new Option<bool>("--markdown") { Description = "Print the trainer table as Markdown (the one in README.md)." };
        var command = new Command("trainers", "List the trainers 'train --trainer' and 'automl --trainers' accept: tasks, input, defaults and search space.");
        command.Options.Add(json);
        command.Options.Add(markdown);
        command.SetAction((result, cancellationToken) => Task.FromResult(TrainCommand.Run(output, cancellationToken, () =>
        {
            var trainers = CandidateCatalog.All;
            if (result.GetValue(json))
                output.Out.WriteLine(new JsonArray(trainers.Select(ToJson).ToArray<JsonNode?>()).ToJsonString(ToolkitJson.Indented));
            else if (result.GetValue(markdown))
                WriteMarkdown(output.Out, trainers);
            else
                WriteText(output.Out, trainers);
        })));
        return command;
    }

    private static void WriteMarkdown(TextWriter writer, IReadOnlyList<TrialCandidate> trainers)
    {
        writer.WriteLine("| Trainer | Tasks | Input | What it is |");
        writer.WriteLine("|---|---|---|---|");
        foreach (var trainer in trainers)
            writer.WriteLine($"| `{trainer.Name}` | {Tasks(trainer)} | {Input(trainer)} | {trainer.Description} |");
    }

    private static void WriteText(TextWriter writer, IReadOnlyList<TrialCandidate> trainers)
    {
        foreach (var trainer in trainers)
        {
            writer.WriteLine($"{trainer.Name,-12} {trainer.Description}");
            writer.WriteLine($"{"",-12} tasks: {Tasks(trainer)}; input: {Input(trainer)}");
            var task = trainer.Tasks[0];
            writer.WriteLine($"{"",-12} defaults ({TaskName(task)}): {trainer.Defaults(task)}");
        }
    }

    private static JsonObject ToJson(TrialCandidate trainer)
    {
        var perTask = new JsonObject();
        foreach (var task in trainer.Tasks)
            perTask[TaskName(task)] = new JsonObject
            {
                ["defaults"] = JsonNode.Parse(trainer.Defaults(task).ToJson()),
                ["searchSpace"] = new JsonArray(trainer.SearchSpace(task).Describe().Split('\n').Select(line => (JsonNode?)line).ToArray()),
            };
        return new JsonObject
        {
            ["name"] = trainer.Name,
            ["description"] = trainer.Description,
            ["input"] = Input(trainer),
            ["needsNormalizedFeatures"] = trainer.NeedsNormalizedFeatures,
            ["tasks"] = perTask,
        };
    }

    private static string Tasks(TrialCandidate trainer) => string.Join(", ", trainer.Tasks.Select(TaskName));

    private static string TaskName(PredictionTask task) => task switch
    {
        PredictionTask.BinaryClassification => "binary",
        PredictionTask.MulticlassClassification => "multiclass",
        _ => "regression",
    };

    private static string Input(TrialCandidate trainer) => trainer.Input switch
    {
        TrainerInput.ImageTensor => "image tensor",
        TrainerInput.TokenIds => "token ids",
        _ => "numeric vector",
    };
}
