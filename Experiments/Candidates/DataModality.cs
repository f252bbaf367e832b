namespace MlToolkit.Experiments.Candidates;

/// <summary>What kind of data an experiment learns from, which decides the models tried by default.</summary>
public enum DataModality
{
    /// <summary>Numeric and categorical columns.</summary>
    Tabular,

    /// <summary>Images: files, an image tensor or IDX images (not a table of pixel columns).</summary>
    Images,

    /// <summary>A table with a free-text column.</summary>
    Text,
}
