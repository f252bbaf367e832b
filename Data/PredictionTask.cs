namespace MlToolkit.Data;

/// <summary>The supervised learning task a dataset's label calls for.</summary>
public enum PredictionTask
{
    /// <summary>Two classes; ML.NET trainers see a Boolean label.</summary>
    BinaryClassification,

    /// <summary>Three or more classes; ML.NET trainers see a key-typed label.</summary>
    MulticlassClassification,

    /// <summary>A real-valued label.</summary>
    Regression,
}
