namespace MlToolkit.Models.Explanations;

/// <summary>How Kernel SHAP is run.</summary>
public sealed record ShapOptions
{
    /// <summary>Background rows the absent columns take their values from (a seeded sample when the data has more). Default 100.</summary>
    public int BackgroundRows { get; init; } = 100;

    /// <summary>Coalitions evaluated per row; when every coalition fits (2^M − 2 ≤ this), all are enumerated and the values are exact. Default 2048.</summary>
    public int Samples { get; init; } = 2048;

    /// <summary>The space the attributions add up in: the output itself, or its log-odds (for probabilities). Default identity.</summary>
    public ShapLink Link { get; init; } = ShapLink.Identity;

    /// <summary>For multiclass models, the class whose probability is explained; null explains each row's predicted class.</summary>
    public string? Class { get; init; }

    /// <summary>Columns not to explain (kept at the row's value); the label is never explained.</summary>
    public IReadOnlyList<string> IgnoreColumns { get; init; } = Array.Empty<string>();

    /// <summary>Seed of the background sample and the coalition sampling. Default 1.</summary>
    public int Seed { get; init; } = 1;
}

/// <summary>The space SHAP values add up in.</summary>
public enum ShapLink
{
    /// <summary>The model's output.</summary>
    Identity,

    /// <summary>The log-odds of a probability output.</summary>
    Logit,
}
