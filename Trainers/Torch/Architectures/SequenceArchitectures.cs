using static TorchSharp.torch;

namespace MlToolkit.Trainers.Torch.Architectures;

/// <summary>The recurrent cell of an <see cref="RnnArchitecture"/>.</summary>
public enum RnnCell
{
    /// <summary>Long short-term memory.</summary>
    Lstm,

    /// <summary>Gated recurrent unit.</summary>
    Gru,
}

/// <summary>How a sequence of hidden states becomes one vector for the output layer.</summary>
public enum SequencePooling
{
    /// <summary>Mean over the real (non-padding) positions.</summary>
    Mean,

    /// <summary>The state at the first position: the class token when the tokenizer prepends one.</summary>
    First,

    /// <summary>The state at the last real position (recurrent networks read left to right).</summary>
    Last,
}

/// <summary>Position information added to token embeddings in a transformer.</summary>
public enum PositionalEncoding
{
    /// <summary>Fixed sine/cosine waves (Vaswani et al. 2017).</summary>
    Sinusoidal,

    /// <summary>A learned embedding per position.</summary>
    Learned,
}

/// <summary>
/// An LSTM/GRU sequence model. Token mode (<see cref="FeaturesPerStep"/> null): the input holds token ids
/// (0 = padding) embedded into <see cref="EmbeddingDim"/>; numeric mode: the input holds T×F floats read as T steps of
/// F features. Padding positions are masked out of the pooling.
/// </summary>
/// <param name="Cell">LSTM or GRU.</param>
/// <param name="VocabularySize">Token ids in use (token mode).</param>
/// <param name="EmbeddingDim">Embedding width (token mode) or the projection width of numeric steps.</param>
/// <param name="FeaturesPerStep">Numeric mode: floats per time step; null for token ids.</param>
/// <param name="HiddenSize">Hidden state width per direction.</param>
/// <param name="Layers">Stacked recurrent layers.</param>
/// <param name="Bidirectional">Read the sequence both ways.</param>
/// <param name="Dropout">Dropout on embeddings, between layers and before the output layer.</param>
/// <param name="Pooling">How states become one vector.</param>
public sealed record RnnArchitecture(RnnCell Cell, int VocabularySize, int EmbeddingDim, int? FeaturesPerStep, int HiddenSize, int Layers,
    bool Bidirectional, double Dropout, SequencePooling Pooling) : NetworkArchitecture
{
    /// <inheritdoc/>
    public override nn.Module<Tensor, Tensor> Build(long[] inputShape, int outputSize) => new RnnNetwork(this, inputShape[0], outputSize);
}

/// <summary>
/// A transformer encoder over token ids: token + positional embeddings, <see cref="Layers"/> blocks of multi-head
/// self-attention and a feed-forward network (pre- or post-norm), padding masked in attention and pooling.
/// </summary>
/// <param name="VocabularySize">Token ids in use.</param>
/// <param name="ModelDim">Embedding and attention width.</param>
/// <param name="Heads">Attention heads (must divide <see cref="ModelDim"/>).</param>
/// <param name="Layers">Encoder blocks.</param>
/// <param name="FeedForwardDim">Hidden width of each block's feed-forward network.</param>
/// <param name="Dropout">Dropout in attention, feed-forward and before the output layer.</param>
/// <param name="Positional">Sinusoidal or learned positions.</param>
/// <param name="PreNorm">Layer norm before each sub-layer (stabler) instead of after.</param>
/// <param name="Pooling">Mean over real tokens, or the first (class) token.</param>
public sealed record TransformerArchitecture(int VocabularySize, int ModelDim, int Heads, int Layers, int FeedForwardDim, double Dropout,
    PositionalEncoding Positional, bool PreNorm, SequencePooling Pooling) : NetworkArchitecture
{
    /// <inheritdoc/>
    public override nn.Module<Tensor, Tensor> Build(long[] inputShape, int outputSize) => new TransformerNetwork(this, inputShape[0], outputSize);
}
