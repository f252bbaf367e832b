using MlToolkit.Data.Delimited;

namespace MlToolkit.Pipelines.Featurization;

/// <summary>An input column and what it is for, as the featurizer sees it.</summary>
/// <param name="Name">Column name in the input data.</param>
/// <param name="Purpose">How to turn it into features.</param>
/// <param name="DistinctValues">Distinct values seen by inference (0 when unknown); decides one-hot vs hashing for categories.</param>
/// <param name="DateOrder">How a date column written as text orders its parts.</param>
public sealed record FeatureColumn(string Name, ColumnPurpose Purpose, int DistinctValues = 0, DateOrder DateOrder = DateOrder.YearFirst);
