namespace MlToolkit.Experiments.Candidates;

/// <summary>What a trainer's <c>Features</c> column holds, which decides how the data is featurized for it.</summary>
public enum TrainerInput
{
    /// <summary>A vector of numbers: every column featurized by its purpose (numbers, one-hot categories, text n-grams).</summary>
    NumericVector,

    /// <summary>An image tensor (C×H×W), from image files or a vector with a known shape.</summary>
    ImageTensor,

    /// <summary>The token ids of one text column.</summary>
    TokenIds,
}
