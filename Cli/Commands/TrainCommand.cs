using MlToolkit.Data.IO;
using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.ML;
using MlToolkit.Cli.Output;
using MlToolkit.Data;
using MlToolkit.Data.Delimited;
using MlToolkit.Data.Images;
using MlToolkit.Experiments.Candidates;
using MlToolkit.Experiments.Training;

namespace MlToolkit.Cli.Commands;

/// <summary><c>mltoolkit train</c>: trains one model, reports held-out metrics and saves the model file.</summary>
internal static class TrainCommand
{
    public static Command Create(CliOutput output)
    {
        var data = new DatasetOptions();
        var label = new Option<string?>("--label-col") { Description = "Column to predict. Required with --dataset; samples know theirs." };
        var task = new Option<string?>("--task") { Description = "binary, multiclass or regression. Default: inferred from the label." };
        task.AcceptOnlyFromAmong("binary", "multiclass", "regression");
        var trainer = new Option<string>("--trainer") { Description = $"Trainer: {string.Join(", ", CandidateCatalog.All.Select(t => t.Name))} ('mltoolkit trainers' describes them). Default: one made for the data (the CNN on images, L-BFGS on text, the kernel machine on tables up to 3,000 rows, LightGBM on larger ones)." };
        trainer.AcceptOnlyFromAmong(CandidateCatalog.All.Select(t => t.Name).ToArray());
        var hyperparameters = new Option<string[]>("--param") { Description = "A hyperparameter of the trainer as name=value (repeatable), replacing its default; 'mltoolkit trainers' lists them.", AllowMultipleArgumentsPerToken = true };
        var modelPath = new Option<string>("--output", "-o") { Description = "Model file to write.", DefaultValueFactory = _ => "mltoolkit-model.zip" };
        var testDataset = new Option<string?>("--test-dataset") { Description = "Separate test file; default: hold out --test-fraction of the data." };
        var testFraction = new Option<double>("--test-fraction") { Description = "Share of rows held out for testing.", DefaultValueFactory = _ => 0.2 };
        var seed = new Option<int>("--seed") { Description = "Seed of the split and the trainer.", DefaultValueFactory = _ => 1 };
        var ignore = new Option<string[]>("--ignore-cols") { Description = "Columns not to use as features (comma-separated or repeated).", AllowMultipleArgumentsPerToken = true };
        var positive = new Option<string?>("--positive-class") { Description = "Binary classification: the label value scored as positive. Default: the one that sorts last." };
        var threads = new Option<int?>("--threads") { Description = "Threads the trainer may use (LightGBM below 10,000 training rows and the MLP below 50,000 use one, which is faster there). Default: all cores." };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON on standard output." };
        var force = new Option<bool>("--force") { Description = "Replace --output even when it is an existing file that is not an MlToolkit model." };
        var showSchema = new Option<bool>("--show-schema") { Description = "Print the inferred layout of the data (separator, header, each column's type and purpose) and exit without training." };
        var epochsOption = new Option<int?>("--epochs") { Description = $"Epochs for the torch trainers ({string.Join(", ", TorchTrainerNames())}). Default: the trainer's." };
        var testImages = new Option<string?>("--test-images") { Description = "Separate test image folder (with --images)." };
        var testIdxImages = new Option<string?>("--test-idx-images") { Description = "Separate test IDX images (with --idx-images)." };
        var testIdxLabels = new Option<string?>("--test-idx-labels") { Description = "Separate test IDX labels (with --idx-labels)." };
        var verbosity = VerbosityOption.Create("Epoch progress of torch trainers: quiet, normal (a status line on a terminal, a line per epoch on standard error otherwise) or diagnostic (every step).");

        var command = new Command("train", "Train a model on a CSV/TSV file or Excel workbook (or a built-in sample), print its test metrics and save it.");
        foreach (var option in data.All.Concat(new Option[] { label, task, trainer, hyperparameters, modelPath, testDataset, testImages, testIdxImages, testIdxLabels, testFraction, seed, ignore, positive, threads, epochsOption, showSchema, json, force, verbosity }))
            command.Options.Add(option);

        command.SetAction((result, cancellationToken) => Task.FromResult(Run(output, cancellationToken, () =>
        {
            var path = Path.GetFullPath(result.GetValue(modelPath)!);
            OutputGuard.NotAnInput("--output", path, data.Inputs(result).Concat(new[] { ("--test-dataset", result.GetValue(testDataset)),
                ("--test-idx-images", result.GetValue(testIdxImages)), ("--test-idx-labels", result.GetValue(testIdxLabels)) }).ToArray());
            var dataset = data.Load(result);
            DatasetOptions.Warn(dataset, output.Error);
            if (result.GetValue(showSchema))
            {
                WriteSchema(output.Out, dataset, result.GetValue(label) ?? dataset.DefaultLabel, result.GetValue(json));
                return;
            }
            OutputGuard.ReplacesOnlyAModel("--output", path, result.GetValue(force));
            var labelColumn = result.GetValue(label) ?? dataset.DefaultLabel
                ?? throw new ArgumentException("--label-col is required with --dataset.");
            var epochs = result.GetValue(epochsOption);
            var testPath = result.GetValue(testDataset);
            var ml = new MLContext(result.GetValue(seed));
            var level = VerbosityOption.Parse(result.GetValue(verbosity));
            var request = new TrainingRequest
            {
                Data = dataset.Data,
                Features = dataset.Features,
                LabelColumn = labelColumn,
                Epochs = epochs,
                Task = ParseTask(result.GetValue(task)),
                Trainer = result.GetValue(trainer),
                Hyperparameters = HyperparameterOption.Parse(result.GetValue(hyperparameters)),
                TestData = TestData(result, dataset, testPath, testIdxImages, testIdxLabels, testImages, output.Error),
                TestFraction = result.GetValue(testFraction),
                Seed = result.GetValue(seed),
                IgnoreColumns = (result.GetValue(ignore) ?? Array.Empty<string>()).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList(),
                PositiveClass = result.GetValue(positive),
                Threads = result.GetValue(threads),
            };
            var trained = EpochProgress.Run(output, level, progress => SupervisedTraining.Run(ml, request with { Progress = progress }, cancellationToken));
            trained.Model.Save(ml, path);
            DatasetOptions.WarnConfusableClasses(trained.Model.Description, output.Error);
            if (result.GetValue(json))
                output.Out.WriteLine(ToJson(dataset, trained, path).ToJsonString(ToolkitJson.Indented));
            else
                WriteText(output.Out, dataset, trained, path);
        })));
        return command;
    }

    internal static int Run(CliOutput output, CancellationToken cancellationToken, Action body)
    {
        try
        {
            body();
            return ExitCodes.Success;
        }
        catch (Exception e)
        {
            return ErrorReporter.Report(cancellationToken.IsCancellationRequested ? new OperationCanceledException(cancellationToken) : e, output.Error);
        }
    }

    private static IDataView? TestData(ParseResult result, LoadedDataset dataset, string? testPath, Option<string?> idxImages, Option<string?> idxLabels, Option<string?> images, TextWriter error)
    {
        if (testPath is not null)
            return LoadTestFile(dataset, testPath, error);
        if (result.GetValue(idxImages) is { } testImages)
            return IdxDataView.Load(testImages, result.GetValue(idxLabels) ?? throw new ArgumentException("--test-idx-images needs --test-idx-labels."));
        if (result.GetValue(images) is { } folder)
            return ImageFolder.Load(new MLContext(seed: 1), folder);
        return null;
    }

    /// <summary>The trainers that train for a number of epochs (those that have an "epochs" hyperparameter for some task).</summary>
    private static IEnumerable<string> TorchTrainerNames() =>
        CandidateCatalog.All.Where(c => Enum.GetValues<PredictionTask>().Any(t => c.Supports(t) && c.Defaults(t).Values.ContainsKey("epochs"))).Select(c => c.Name);

    /// <summary>
    /// A test CSV/TSV read as the training file was: its format, the user's missing-value tokens and column types, and the
    /// column kinds inferred for training, so that both parse alike. Its own title and footer are detected, its warnings
    /// go to <paramref name="error"/>, and it is read through once here, so that a bad value stops the command before
    /// any training rather than after it.
    /// </summary>
    internal static IDataView LoadTestFile(LoadedDataset dataset, string path, TextWriter error)
    {
        // Like --dataset, a test image folder or IDX images file is read as images.
        if (Directory.Exists(path))
            return ImageFolder.Load(new MLContext(seed: 1), path);
        if (IdxDataView.IsImagesFile(path))
            return IdxDataView.Load(path, IdxDataView.LabelsBeside(path));
        var layout = dataset.Layout ?? throw new ArgumentException("--test-dataset goes with --dataset; use --test-images or --test-idx-images for images.");
        var format = layout.Format;
        var options = (dataset.LoadOptions ?? new DelimitedLoadOptions()) with
        {
            Sheet = format.Sheet, Separator = format.Separator, HasHeader = format.HasHeader, AllowQuoting = format.AllowQuoting,
            DecimalSeparator = format.DecimalSeparator, TitleLines = null, FooterLines = null,
        };
        // One source for both reads, so that a workbook's sheet is converted once.
        var source = TextSource.FromFile(path, format.Sheet);
        var test = DelimitedFile.Load(source, options);
        var missing = layout.Columns.Select(c => c.Name).Where(n => !test.Layout.Columns.Any(t => t.Name == n)).ToList();
        if (missing.Count > 0)
            throw new SchemaException($"{path}: the test file lacks column(s) {string.Join(", ", missing)} of the training data (read with the training file's format: {(format.HasHeader ? "with" : "without")} a header row). Columns: {string.Join(", ", test.Layout.Columns.Select(c => c.Name))}.");
        foreach (var warning in test.Layout.Warnings)
            error.WriteLine($"warning: {warning}");
        // The layout inferred once, with the training file's column kinds where they differ.
        var kinds = layout.Columns.ToDictionary(c => c.Name, c => c.Kind);
        var columns = test.Layout.Columns.Select(c => kinds.TryGetValue(c.Name, out var kind) && kind != c.Kind ? DelimitedColumn.OfKind(c.Name, c.Index, kind) : c).ToList();
        var view = new DelimitedDataView(source, test.Layout with { Columns = columns }, options.MissingValueTokens);
        RowCounter.CountReadingEveryColumn(view);
        return view;
    }

    internal static PredictionTask? ParseTask(string? task) => task switch
    {
        null => null,
        "binary" => PredictionTask.BinaryClassification,
        "multiclass" => PredictionTask.MulticlassClassification,
        _ => PredictionTask.Regression,
    };

    /// <summary>What --show-schema prints: the dataset and how each column was read; nothing is trained or written.</summary>
    private static void WriteSchema(TextWriter w, LoadedDataset dataset, string? labelColumn, bool json)
    {
        if (json)
        {
            w.WriteLine(new JsonObject { ["dataset"] = dataset.Name, ["columns"] = Columns(dataset, labelColumn) }.ToJsonString(ToolkitJson.Indented));
            return;
        }
        var columns = dataset.Layout?.Describe(labelColumn);
        w.WriteLine(DatasetLine(dataset));
        if (columns is not null)
            w.Write(columns);
        else
            foreach (var column in dataset.Data.Schema)
                w.WriteLine($"  {column.Name}: {column.Type}");
    }

    // Counting reads the whole file, so a bad row shows here too rather than only when training.
    private static string DatasetLine(LoadedDataset dataset) =>
        string.Create(CultureInfo.InvariantCulture, $"Dataset  {dataset.Name}: {RowCounter.Count(dataset.Data):N0} rows, {dataset.Data.Schema.Count} columns");

    private static JsonArray Columns(LoadedDataset dataset, string? labelColumn) => dataset.Layout is not { } layout ? new JsonArray()
        : new(layout.Columns.Select(c => (JsonNode?)new JsonObject { ["name"] = c.Name, ["kind"] = c.Kind.ToString(), ["purpose"] = layout.PurposeShown(c, labelColumn) }).ToArray());

    private static void WriteText(TextWriter w, LoadedDataset dataset, TrainingResult trained, string path)
    {
        var d = trained.Model.Description;
        var classes = d.Classes.Count > 0 ? $" ({d.Classes.Count} classes{(d.PositiveClass is null ? "" : $", positive '{d.PositiveClass}'")})" : "";
        w.WriteLine(DatasetLine(dataset));
        if (LoadedDataset.IdentifierLine(d.IdentifierColumns ?? Array.Empty<string>()) is { } identifiers)
            w.WriteLine(identifiers);
        w.WriteLine($"Label    {d.LabelColumn} -> {d.Task}{classes}");
        w.WriteLine($"Trainer  {d.Trainer}: {trained.Hyperparameters}");
        w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Trained  on {trained.TrainRows:N0} rows in {trained.Duration.TotalSeconds:0.0} s{(trained.RowsWithoutLabel > 0 ? $" ({trained.RowsWithoutLabel:N0} rows without a label left out)" : "")}"));
        w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Test metrics ({trained.Test.Rows:N0} held-out rows):"));
        w.Write(trained.Test.ToText());
        w.WriteLine($"Model    {path}");
    }

    private static JsonObject ToJson(LoadedDataset dataset, TrainingResult trained, string path)
    {
        var d = trained.Model.Description;
        return new JsonObject
        {
            ["dataset"] = dataset.Name,
            ["columns"] = Columns(dataset, d.LabelColumn),
            ["identifierColumns"] = new JsonArray((d.IdentifierColumns ?? Array.Empty<string>()).Select(n => (JsonNode?)JsonValue.Create(n)).ToArray()),
            ["label"] = d.LabelColumn,
            ["task"] = d.Task.ToString(),
            ["classes"] = new JsonArray(d.Classes.Select(c => (JsonNode?)JsonValue.Create(c)).ToArray()),
            ["trainer"] = d.Trainer,
            ["hyperparameters"] = JsonNode.Parse(trained.Hyperparameters.ToJson()),
            ["trainRows"] = trained.TrainRows,
            ["rowsWithoutLabel"] = trained.RowsWithoutLabel,
            ["trainingSeconds"] = Math.Round(trained.Duration.TotalSeconds, 3),
            ["test"] = trained.Test.ToJson(),
            ["model"] = path,
        };
    }
}
