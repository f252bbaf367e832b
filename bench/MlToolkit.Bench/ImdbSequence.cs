using System.Diagnostics;
using Microsoft.ML;
using MlToolkit.Data.Delimited;
using MlToolkit.Data.Samples;
using MlToolkit.Data.Splits;
using MlToolkit.Pipelines.Featurization;
using MlToolkit.Pipelines.Text;
using MlToolkit.Trainers.Torch.Runtime;
using MlToolkit.Trainers.Torch;
using MlToolkit.Trainers.Torch.Sequence;
using MlToolkit.Trainers.Torch.Training;

namespace MlToolkit.Bench;

/// <summary>
/// Full IMDB (train on imdb_train, evaluate on imdb_test): an LSTM or transformer over token ids, or the TF-IDF +
/// L-BFGS logistic-regression baseline, timing training.
/// </summary>
internal static class ImdbSequence
{
    public static int Run(BenchOptions options, string model, int maxLength, string[] args)
    {
        string? Value(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        TorchRuntime.EnsureLoaded();
        var ml = new MLContext(seed: 1);
        var folder = Path.Combine(Path.GetDirectoryName(options.MnistFolder)!, "imdb");
        IDataView train, test;
        var onSample = args.Contains("--sample");
        if (onSample)
        {
            // The built-in 2,000-review sample split 80/20 as the unit tests do: quick sweeps of the model shape.
            var split = DataSplits.TrainTest(ml.Data.Cache(SampleDatasets.Imdb(ml)), 0.2, seed: 1, "Label");
            (train, test) = (split.Train, split.Test);
        }
        else
        {
            train = ml.Data.Cache(DelimitedFile.Load(Path.Combine(folder, "imdb_train.tsv.gz")));
            test = DelimitedFile.Load(Path.Combine(folder, "imdb_test.tsv.gz"));
        }
        var transformerOptions = new TransformerTrainer.Options { Epochs = options.Epochs, Threads = options.Threads };
        transformerOptions.ModelDim = int.Parse(Value("--dim") ?? transformerOptions.ModelDim.ToString());
        transformerOptions.Heads = int.Parse(Value("--heads") ?? transformerOptions.Heads.ToString());
        transformerOptions.Layers = int.Parse(Value("--layers") ?? transformerOptions.Layers.ToString());
        transformerOptions.FeedForwardDim = int.Parse(Value("--ffn") ?? transformerOptions.FeedForwardDim.ToString());
        transformerOptions.LearningRate = double.Parse(Value("--lr") ?? transformerOptions.LearningRate.ToString("R"));
        transformerOptions.BatchSize = int.Parse(Value("--batch") ?? transformerOptions.BatchSize.ToString());
        transformerOptions.Dropout = double.Parse(Value("--dropout") ?? transformerOptions.Dropout.ToString("R"));
        var vocabulary = int.Parse(Value("--vocabulary") ?? (onSample ? "10000" : "20000"));
        var label = ml.Transforms.Conversion.MapValue("Label", new[] { new KeyValuePair<string, bool>("negative", false), new KeyValuePair<string, bool>("positive", true) }, "Label");
        IEstimator<ITransformer> features = model == "tfidf"
            ? new TabularFeaturePlan(((DelimitedDataView)DelimitedFile.Load(Path.Combine(folder, "imdb_train.tsv.gz"))).Layout, "Label").Build(ml, normalizer: null)
            : ml.Transforms.Text.TokenizeToIds(new TokenIdEstimator.Options { InputColumnName = "Text", OutputColumnName = "Features", MaxLength = maxLength, MaxVocabularySize = vocabulary });
        var progress = new Reporter();
        IEstimator<ITransformer> trainer = model switch
        {
            "lstm" => ml.BinaryClassification.Trainers.Rnn(new RnnTrainer.Options { Epochs = options.Epochs, Threads = options.Threads, Progress = progress }),
            "transformer" => ml.BinaryClassification.Trainers.TransformerEncoder(WithProgress(transformerOptions, progress)),
            "tfidf" => ml.BinaryClassification.Trainers.LbfgsLogisticRegression(new Microsoft.ML.Trainers.LbfgsLogisticRegressionBinaryTrainer.Options { L1Regularization = 0, L2Regularization = 0.1f }),
            _ => throw new ArgumentException($"unknown model '{model}': lstm, transformer or tfidf"),
        };
        var clock = Stopwatch.StartNew();
        var fitted = label.Append(features).Append(trainer).Fit(train);
        var seconds = clock.Elapsed.TotalSeconds;
        var metrics = ml.BinaryClassification.Evaluate(fitted.Transform(test));
        var shape = model == "transformer" ? $"dim {transformerOptions.ModelDim}, {transformerOptions.Heads} heads, {transformerOptions.Layers} layers, ffn {transformerOptions.FeedForwardDim}, lr {transformerOptions.LearningRate}, batch {transformerOptions.BatchSize}, " : "";
        Console.WriteLine($"IMDB{(onSample ? " sample" : "")} {model}: {shape}{(model == "tfidf" ? "" : $"{options.Epochs} epochs, {maxLength} tokens, ")}training {seconds:0} s, test accuracy {metrics.Accuracy:0.0000}, AUC {metrics.AreaUnderRocCurve:0.0000}");
        return 0;
    }

    private static TransformerTrainer.Options WithProgress(TransformerTrainer.Options options, IProgress<TrainingProgress> progress)
    {
        options.Progress = progress;
        return options;
    }

    private sealed class Reporter : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            if (value.Kind == ProgressKind.Epoch)
                Console.WriteLine($"  epoch {value.Epoch}: loss {value.Loss:0.0000}, {value.SamplesPerSecond:0} samples/s");
        }
    }
}
