using Microsoft.ML.Trainers.FastTree;
using MlToolkit.Experiments.Tuning.SearchSpaces;

namespace MlToolkit.Experiments.Candidates;

/// <summary>Sets the tree hyperparameters FastTree and FastForest share, whatever the task's options class.</summary>
internal static class TreeOptionsSetter
{
    public static T Apply<T>(T options, ParameterSet parameters, CandidateContext context)
        where T : TreeOptions
    {
        options.NumberOfTrees = parameters.GetInt("trees");
        options.NumberOfLeaves = parameters.GetInt("leaves");
        options.MinimumExampleCountPerLeaf = parameters.GetInt("min_leaf_examples");
        options.FeatureFraction = parameters.GetDouble("feature_fraction");
        options.NumberOfThreads = context.Threads;
        options.Seed = context.Seed;
        if (options is BoostedTreeOptions boosted)
            boosted.LearningRate = parameters.GetDouble("learning_rate");
        return options;
    }
}
