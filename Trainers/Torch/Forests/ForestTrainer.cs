using MlToolkit.Data;
using MlToolkit.Trainers.Torch.Training;
using static TorchSharp.torch;

namespace MlToolkit.Trainers.Torch.Forests;

/// <summary>Which trees the forest grows.</summary>
public enum ForestKind
{
    /// <summary>Random forest (Breiman): each tree on a bootstrap sample, each split the best cut of a random subset of features.</summary>
    RandomForest,

    /// <summary>Extremely randomized trees (Geurts et al.): each tree on all rows, each split the best of one random cut per tried feature.</summary>
    ExtraTrees,
}

/// <summary>How many features each split tries (a share given in <see cref="ForestTrainer.Options.FeatureFraction"/> overrides it).</summary>
public enum SplitFeatures
{
    /// <summary>scikit-learn's defaults: √features for classification, all for regression.</summary>
    Auto,

    /// <summary>√features.</summary>
    SquareRoot,

    /// <summary>log₂ features.</summary>
    Log2,

    /// <summary>Every feature.</summary>
    All,
}

/// <summary>
/// A random forest or extra-trees for multiclass, binary classification or regression, grown as scikit-learn grows
/// its default forests (deep trees, √features per split for classification and all features for regression, Gini /
/// squared error), on features cut into at most 255 bins each (exact for features with fewer distinct values).
/// Trees grow in parallel. Predictions average the trees' leaves (class shares or values). No scaling needed.
/// Create it from a task catalog: <c>mlContext.MulticlassClassification.Trainers.Forest()</c>.
/// </summary>
public sealed class ForestTrainer : ClosedFormTrainerBase<ForestTrainer.Options>
{
    /// <summary>Creates the trainer for <paramref name="task"/>; the options are validated and copied.</summary>
    public ForestTrainer(PredictionTask task, Options options) : base(task, options)
    {
    }

    /// <summary>Forest settings; the defaults are scikit-learn's.</summary>
    public sealed class Options : ClosedFormTrainerOptions
    {
        /// <summary>Random forest or extra-trees. Default <see cref="ForestKind.RandomForest"/>.</summary>
        public ForestKind Kind { get; set; } = ForestKind.RandomForest;

        /// <summary>Trees. Default 100.</summary>
        public int Trees { get; set; } = 100;

        /// <summary>Features each split tries. Default <see cref="Forests.SplitFeatures.Auto"/>.</summary>
        public SplitFeatures SplitFeatures { get; set; } = SplitFeatures.Auto;

        /// <summary>Share of the features each split tries, in (0, 1]; overrides <see cref="SplitFeatures"/> when set.</summary>
        public double? FeatureFraction { get; set; }

        /// <summary>Fewest training rows in a leaf. Default 1 (trees grow until their leaves are pure).</summary>
        public int MinLeafRows { get; set; } = 1;

        /// <summary>Deepest a leaf may be; null (the default) for no limit.</summary>
        public int? MaxDepth { get; set; }

        /// <inheritdoc/>
        public override void Validate()
        {
            base.Validate();
            if (!Enum.IsDefined(Kind))
                throw new ArgumentOutOfRangeException(nameof(Kind), Kind, $"{nameof(Kind)} must be one of {string.Join(", ", Enum.GetNames<ForestKind>())}.");
            if (!Enum.IsDefined(SplitFeatures))
                throw new ArgumentOutOfRangeException(nameof(SplitFeatures), SplitFeatures, $"{nameof(SplitFeatures)} must be one of {string.Join(", ", Enum.GetNames<SplitFeatures>())}.");
            ArgumentOutOfRangeException.ThrowIfLessThan(Trees, 1, nameof(Trees));
            ArgumentOutOfRangeException.ThrowIfLessThan(MinLeafRows, 1, nameof(MinLeafRows));
            if (MaxDepth is { } depth)
                ArgumentOutOfRangeException.ThrowIfLessThan(depth, 1, nameof(MaxDepth));
            if (FeatureFraction is { } fraction && !(fraction > 0 && fraction <= 1))
                throw new ArgumentOutOfRangeException(nameof(FeatureFraction), fraction, $"{nameof(FeatureFraction)} must be in (0, 1].");
        }
    }

    /// <inheritdoc/>
    protected override ClosedFormModel Solve(Options options, TrainingRows rows)
    {
        var (count, featureCount) = (checked((int)rows.Count), checked((int)rows.FeatureSize));
        var bins = FeatureBins.From(rows.Features.data<float>().ToArray(), count, featureCount, rows.CancellationToken);
        var targets = ForestTargets.From(rows.Targets.data<double>().ToArray(), (int)rows.Targets.shape[1], rows.Task == PredictionTask.MulticlassClassification);
        var settings = new TreeSettings(FeaturesPerSplit(options, rows.Task, featureCount), options.MinLeafRows, options.MaxDepth, options.Kind == ForestKind.ExtraTrees);
        var trees = new TreeNodes[options.Trees];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Threads ?? Environment.ProcessorCount, CancellationToken = rows.CancellationToken };
        Parallel.For(0, options.Trees, parallel, t =>
        {
            var random = new Random(unchecked(options.Seed * 7919 + t));
            var (sample, weights) = Sample(count, options.Kind == ForestKind.RandomForest, random);
            trees[t] = new TreeGrower(bins, targets, settings, random).Grow(sample, weights, rows.CancellationToken);
        });
        return Model(trees, targets.Outputs, rows.Output);
    }

    private static int FeaturesPerSplit(Options options, PredictionTask task, int features)
    {
        var count = options.FeatureFraction is { } fraction ? Math.Ceiling(fraction * features - 1e-9) : options.SplitFeatures switch
        {
            SplitFeatures.All => features,
            SplitFeatures.Log2 => Math.Log2(features),
            SplitFeatures.SquareRoot => Math.Sqrt(features),
            _ => task == PredictionTask.Regression ? features : Math.Sqrt(features),
        };
        return Math.Clamp((int)count, 1, features);
    }

    /// <summary>The rows a tree sees and how often: a bootstrap sample (drawn with replacement) or every row once.</summary>
    private static (int[] Rows, int[] Weights) Sample(int count, bool bootstrap, Random random)
    {
        var weights = new int[count];
        if (!bootstrap)
        {
            Array.Fill(weights, 1);
            return (Enumerable.Range(0, count).ToArray(), weights);
        }
        for (var i = 0; i < count; i++)
            weights[random.Next(count)]++;
        return (Enumerable.Range(0, count).Where(r => weights[r] > 0).ToArray(), weights);
    }

    private static ClosedFormModel Model(TreeNodes[] trees, int outputs, ClosedFormOutput output)
    {
        var all = new TreeNodes(outputs);
        var roots = trees.Select(all.Append).Select(r => (long)r).ToArray();
        var architecture = new ForestArchitecture(all.Count, trees.Length, all.Depth, output);
        return new ClosedFormModel(architecture, new Dictionary<string, Tensor>
        {
            // A leaf (feature −1 while growing) reads column 0 when scored and then goes to itself either way.
            ["feature"] = tensor(all.Feature.Select(f => (long)Math.Max(f, 0)).ToArray()),
            ["threshold"] = tensor(all.Threshold.ToArray()),
            ["left"] = tensor(all.Left.Select(i => (long)i).ToArray()),
            ["right"] = tensor(all.Right.Select(i => (long)i).ToArray()),
            ["values"] = tensor(all.Values.ToArray(), new long[] { all.Count, outputs }),
            ["roots"] = tensor(roots),
        });
    }
}
