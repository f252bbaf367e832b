using Microsoft.ML;
using MlToolkit.Data;
using MlToolkit.Experiments.Training;
using MlToolkit.Models;
using MlToolkit.Models.Ensembles;

namespace MlToolkit.Bench;

/// <summary>The serving benches' models: each trainer at its defaults on the whole file, and an equal-weight ensemble of them.</summary>
internal static class DefaultModels
{
    /// <summary>One model per trainer, by name, then "ensemble of the N".</summary>
    public static Dictionary<string, TrainedModel> Train(MLContext ml, IDataView data, string label, IReadOnlyList<string> trainers, int threads)
    {
        var models = trainers.ToDictionary(t => t, t => SupervisedTraining.Run(ml, new TrainingRequest { Data = data, LabelColumn = label, Trainer = t, Seed = 1, Threads = threads }).Model);
        var first = models.Values.First();
        var blend = new EnsembleTransformer(first.Description.Task, models.Values.Select(m => m.Scorer).ToList(), models.Values.Select(_ => 1.0).ToList(),
            first.Description.Task == PredictionTask.MulticlassClassification ? first.Description.Classes : Array.Empty<string>());
        models[$"ensemble of the {trainers.Count}"] = new TrainedModel(first.Description with { Trainer = "ensemble" }, first.InputSchema, first.LabelEncoder, blend);
        return models;
    }
}
