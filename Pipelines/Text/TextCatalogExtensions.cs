using Microsoft.ML;

namespace MlToolkit.Pipelines.Text;

/// <summary><c>mlContext.Transforms.Text.TokenizeToIds(...)</c>: text to fixed-length token ids and an attention mask.</summary>
public static class TextCatalogExtensions
{
    /// <summary>Word-level token ids with a vocabulary learned from the training data.</summary>
    /// <param name="catalog">The text transforms catalog.</param>
    /// <param name="outputColumnName">Token id column (Single vector of <paramref name="maxLength"/>); the mask goes to <c>{output}Mask</c>.</param>
    /// <param name="inputColumnName">Text column.</param>
    /// <param name="maxLength">Tokens per row (truncate / pad).</param>
    /// <param name="tokenizer">Word-level or cl100k.</param>
    public static TokenIdEstimator TokenizeToIds(this TransformsCatalog.TextTransforms catalog, string outputColumnName, string inputColumnName,
        int maxLength = 256, TokenizerKind tokenizer = TokenizerKind.Words)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new TokenIdEstimator(new TokenIdEstimator.Options { OutputColumnName = outputColumnName, InputColumnName = inputColumnName, MaxLength = maxLength, Tokenizer = tokenizer });
    }

    /// <summary>Token ids with every setting given.</summary>
    public static TokenIdEstimator TokenizeToIds(this TransformsCatalog.TextTransforms catalog, TokenIdEstimator.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new TokenIdEstimator(options);
    }
}
