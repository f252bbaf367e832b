#:project ../../Experiments/MlToolkit.Experiments.csproj
#:property PublishAot=false
#:property GenerateDocumentationFile=false
// Run by ExtendingTests as a .NET file-based app: MlToolkit extended from outside its assemblies, as a user would
// (no InternalsVisibleTo). A network of our own (an MLP with a skip connection) and a head of our own (focal loss) on
// TorchTrainerBase, registered by kind names so their pipelines save and load; a trainer candidate of our own with its
// own search space, trained alone and swept by AutoML with a tuner of our own next to a built-in trainer; the best
// model served by a PredictionEngine with a string label.
// Usage: dotnet run extending.cs -- train MODEL | load MODEL
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlToolkit.Data;
using MlToolkit.Data.Samples;
using MlToolkit.Data.Splits;
using MlToolkit.Experiments.AutoMl;
using MlToolkit.Experiments.Candidates;
using MlToolkit.Experiments.Training;
using MlToolkit.Experiments.Tuning.SearchSpaces;
using MlToolkit.Experiments.Tuning.Tuners;
using MlToolkit.Trainers.Torch.Architectures;
using MlToolkit.Trainers.Torch.Heads;
using MlToolkit.Models.Persistence;
using MlToolkit.Trainers.Torch.Training;
using static TorchSharp.torch;

NetworkArchitectures.Register<SkipMlpArchitecture>("skip-mlp");
PredictionHeads.Register<FocalHead>("focal", (classes, _) => new FocalHead(classes));
var (mode, path) = (args[0], args[1]);
var ml = new MLContext(seed: 1);
var digits = ml.Data.Cache(SampleDatasets.Digits(ml));
var split = DataSplits.TrainTest(digits, testFraction: 0.2, seed: 1, stratifyColumn: "label");
var pixels = digits.Schema.Where(c => c.Name != "label").Select(c => c.Name).ToArray();

if (mode == "train")
{
    var pipeline = ml.Transforms.Concatenate("Features", pixels)
        .Append(ml.Transforms.NormalizeMinMax("Features"))
        .Append(ml.Transforms.Conversion.MapValueToKey("Label", "label"))
        .Append(new SkipMlpTrainer(PredictionTask.MulticlassClassification, new SkipMlpTrainer.Options { Width = 64, Epochs = 15, LearningRate = 3e-3 }));
    var model = pipeline.Fit(split.Train);
    ml.Model.SavePipeline(model, digits.Schema, path);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"skip-mlp accuracy {ml.MulticlassClassification.Evaluate(model.Transform(split.Test)).MicroAccuracy:0.0000}"));
    Console.WriteLine($"scores {Checksum(model.Transform(split.Test))}");

    var iris = SampleDatasets.Iris(ml);
    var single = SupervisedTraining.Run(ml, new TrainingRequest { Data = iris, LabelColumn = "species", Candidate = new SkipMlpCandidate() });
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"single run {single.Model.Description.Trainer} {single.Test.Primary.Key} {single.Test.Primary.Value:0.0000}"));
    var result = ml.AutoMl().CreateExperiment(iris, "species")
        .SetTrainers(new SkipMlpCandidate(), CandidateCatalog.Get("lbfgs"))
        .SetTuner((space, seed) => new SeededRandomTuner(space, seed))
        .SetCrossValidation(2).SetTrainingTime(null).SetMaxTrials(6)
        .Run();
    Console.WriteLine($"trainers {string.Join(",", result.Trials.Select(t => t.Configuration.GetString("trainer")).Distinct().Order())}");
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"automl best {result.BestTrial!.Configuration.GetString("trainer")} {result.BestTrial.Value:0.0000}"));
    var engine = ml.Model.CreatePredictionEngine<Flower, FlowerPrediction>(result.BestModel!);
    Console.WriteLine($"predicted {engine.Predict(new Flower { SepalLength = 6.9f, SepalWidth = 3.1f, PetalLength = 5.4f, PetalWidth = 2.1f }).PredictedLabel}");
}
else
{
    var loaded = new MLContext(seed: 9).Model.LoadPipeline(path, out _);
    Console.WriteLine($"scores {Checksum(loaded.Transform(split.Test))}");
}

static string Checksum(IDataView scored) =>
    string.Join(";", scored.GetColumn<float[]>("Score").Take(20).Select(s => string.Join(",", s.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))));

/// <summary>Our network's shape as data: what SavePipeline stores and LoadPipeline rebuilds.</summary>
public sealed record SkipMlpArchitecture(int Width) : NetworkArchitecture
{
    public override nn.Module<Tensor, Tensor> Build(long[] inputShape, int outputSize) => new SkipMlp(inputShape[0], Width, outputSize);
}

/// <summary>input → hidden, plus a residual hidden → hidden block, → output.</summary>
public sealed class SkipMlp : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> _input, _hidden, _output;

    public SkipMlp(long inputs, int width, int outputs) : base(nameof(SkipMlp))
    {
        _input = nn.Linear(inputs, width);
        _hidden = nn.Linear(width, width);
        _output = nn.Linear(width, outputs);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = nn.functional.relu(_input.forward(x));
        h = h + nn.functional.relu(_hidden.forward(h));
        return _output.forward(h).MoveToOuterDisposeScope();
    }
}

/// <summary>A trainer for our network on the shared torch machinery (optimizers, schedules, heads, persistence).</summary>
public sealed class SkipMlpTrainer(PredictionTask task, SkipMlpTrainer.Options options) : TorchTrainerBase<SkipMlpTrainer.Options>(task, options)
{
    public sealed class Options : TorchTrainerOptions
    {
        public int Width { get; set; } = 64;
    }

    protected override NetworkArchitecture CreateArchitecture(Options options, long[] inputShape, int outputSize, TrainingData data) =>
        new SkipMlpArchitecture(options.Width);

    protected override PredictionHead CreateHead(DataViewSchema.Column label) => new FocalHead(MulticlassHead.FromLabel(label).ClassNames);
}

/// <summary>Multiclass with focal loss, (1 - p)² · cross-entropy: easy examples count less.</summary>
public sealed class FocalHead(IReadOnlyList<string> classNames) : MulticlassHead(classNames)
{
    public override Tensor Loss(Tensor output, Tensor targets, TorchTrainerOptions options)
    {
        var logP = nn.functional.log_softmax(output, 1).gather(1, targets.unsqueeze(1)).squeeze(1);
        var miss = ones_like(logP) - logP.exp();
        return (miss * miss * logP).mean().neg();
    }
}

/// <summary>Our trainer as an AutoML candidate, with its own search space.</summary>
public sealed class SkipMlpCandidate : TrialCandidate
{
    public override string Name => "skip-mlp";

    public override bool NeedsNormalizedFeatures => true;

    public override IReadOnlyList<PredictionTask> Tasks { get; } = new[] { PredictionTask.MulticlassClassification };

    public override SearchSpace SearchSpace(PredictionTask task) => new SearchSpace()
        .Int("width", 16, 128, log: true, defaultValue: 32)
        .Float("learning_rate", 1e-3, 3e-2, log: true, defaultValue: 1e-2);

    public override IEstimator<ITransformer> CreateTrainer(MLContext mlContext, PredictionTask task, ParameterSet parameters, CandidateContext context) =>
        new SkipMlpTrainer(task, new SkipMlpTrainer.Options
        {
            Width = parameters.GetInt("width"), LearningRate = parameters.GetDouble("learning_rate"), Epochs = 20,
            Seed = context.Seed, Threads = context.Threads, CancellationToken = context.CancellationToken,
        });
}

/// <summary>Our tuner: uniform random in the unit cube, a function of the seed and the trial number only.</summary>
public sealed class SeededRandomTuner(SearchSpace space, int seed) : ITuner
{
    public ParameterSet? Propose(int trialNumber) => space.Sample(new Random(unchecked(seed * 7919 + trialNumber)));

    public void Report(TrialReport report)
    {
    }
}

public sealed class Flower
{
    [ColumnName("sepal_length_cm")] public float SepalLength { get; set; }
    [ColumnName("sepal_width_cm")] public float SepalWidth { get; set; }
    [ColumnName("petal_length_cm")] public float PetalLength { get; set; }
    [ColumnName("petal_width_cm")] public float PetalWidth { get; set; }
}

public sealed class FlowerPrediction
{
    public string PredictedLabel { get; set; } = "";
}
