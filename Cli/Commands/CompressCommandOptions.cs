using System.CommandLine;
using MlToolkit.Models;

namespace MlToolkit.Cli.Commands;

/// <summary>The options of <c>mltoolkit compress</c>, declared once.</summary>
internal sealed class CompressCommandOptions
{
    public DatasetOptions Data { get; } = new();

    public Option<string> Model { get; } = new("--model", "-m") { Description = "Model file whose predictor is a torch network.", Required = true };

    public Option<string?> Quantize { get; } = new("--quantize") { Description = "int8: per-channel symmetric int8 weights (about 4× smaller)." };

    public Option<double?> Prune { get; } = new("--prune") { Description = "Share of weights to zero by magnitude (e.g. 0.5), then fine-tune on 80% of the data given; the other 20% compares before and after." };

    public Option<bool> Structured { get; } = new("--structured") { Description = "With --prune: remove that share of each MLP layer's units or each CNN block's channels (a smaller, faster network) instead of zeroing single weights." };

    public Option<string> Scope { get; } = new("--prune-scope") { Description = "layer: every matrix loses the same share (default); global: rank all weights together.", DefaultValueFactory = _ => "layer" };

    public Option<int> FineTuneEpochs { get; } = new("--fine-tune-epochs") { Description = "Fine-tuning epochs after pruning.", DefaultValueFactory = _ => 2 };

    public Option<string?> Teacher { get; } = new("--distill-from") { Description = "Teacher model file (any multiclass model over the same classes): retrain the student's network from scratch on the labels and the teacher's probabilities, on 80% of the data given; the other 20% compares student, distilled student and teacher." };

    public Option<int> DistillEpochs { get; } = new("--epochs") { Description = "Training epochs of the distilled student.", DefaultValueFactory = _ => new DistillationSettings().Epochs };

    public Option<double> Weight { get; } = new("--distill-weight") { Description = "α: share of the loss that matches the teacher (the rest matches the labels).", DefaultValueFactory = _ => new DistillationSettings().Weight };

    public Option<double> Temperature { get; } = new("--temperature") { Description = "T: softening of the teacher's and the student's distributions.", DefaultValueFactory = _ => new DistillationSettings().Temperature };

    public Option<string> Output { get; } = new("--output", "-o") { Description = "Compressed model file to write.", Required = true };

    public Option<bool> Force { get; } = new("--force") { Description = "Replace --output when it is an existing MlToolkit model." };

    public Option<bool> Json { get; } = new("--json") { Description = "Print the comparison as JSON." };

    public CompressCommandOptions()
    {
        Quantize.AcceptOnlyFromAmong("int8");
        Scope.AcceptOnlyFromAmong("layer", "global");
    }

    public IEnumerable<Option> All => Data.All.Concat(new Option[]
    {
        Model, Quantize, Prune, Structured, Scope, FineTuneEpochs, Teacher, DistillEpochs, Weight, Temperature, Output, Force, Json,
    });

    /// <summary>Rejects combinations that say nothing or half a thing, before any file is read.</summary>
    /// <exception cref="ArgumentException">No compression asked for, or --structured without --prune.</exception>
    public void Check(ParseResult result)
    {
        if (result.GetValue(Structured) && result.GetValue(Prune) is null)
            throw new ArgumentException("--structured says how to prune: give --prune FRACTION with it.");
        if (result.GetValue(Quantize) is null && result.GetValue(Prune) is null && result.GetValue(Teacher) is null)
            throw new ArgumentException("Say how to compress: --quantize int8, --prune FRACTION [--structured], --distill-from TEACHER, or a combination.");
    }

    /// <summary>Distillation or pruning trains the network, so it needs labelled data.</summary>
    public bool Trains(ParseResult result) => result.GetValue(Prune) is not null || result.GetValue(Teacher) is not null;
}
