using Microsoft.ML;
using Microsoft.ML.Data;
using MlToolkit.Models.Persistence;
using MlToolkit.Pipelines.Text;
using MlToolkit.Trainers.Torch.Explanations;
using MlToolkit.Trainers.Torch.Scoring;

namespace MlToolkit.Models.Explanations;

/// <summary>
/// Integrated-gradients attributions of a model whose predictor is a torch network, on the network's own input: the
/// pixels of an image (a saliency map) or the tokens of a text. The rest of the pipeline (image loading, tokenizing)
/// computes that input from the user's rows.
/// </summary>
public static class TorchAttributions
{
    /// <summary>A saliency map per row: one attribution per input value, in the network's input shape (C×H×W for images).</summary>
    /// <exception cref="ArgumentException">The model's predictor is not a torch network.</exception>
    public static IReadOnlyList<InputAttribution> Inputs(TrainedModel model, IDataView rows, string? className = null, int steps = 64)
    {
        var (torch, features, output) = Prepare(model, rows);
        return features.Select((values, row) =>
        {
            var classIndex = ClassIndex(model, torch, values, className);
            var result = IntegratedGradients.ForFeatures(torch, values, IntegratedGradients.OutputIndex(torch, classIndex), steps);
            return new InputAttribution(row, output.Describe(classIndex), torch.Network.InputShape, values, result.Attributions, result.Output, result.BaselineOutput);
        }).ToList();
    }

    /// <summary>Per-token attributions of every row of a text model (padding left out).</summary>
    /// <exception cref="ArgumentException">The model's predictor does not read token ids.</exception>
    public static IReadOnlyList<TokenAttributionRow> Tokens(TrainedModel model, IDataView rows, string? className = null, int steps = 64)
    {
        var (torch, features, output) = Prepare(model, rows);
        var tokenizer = PipelineParts.Flatten(model.Scorer).OfType<TokenIdTransformer>().FirstOrDefault()
            ?? throw new ArgumentException("The model has no token-id transform, so its input is not tokens.", nameof(model));
        return features.Select((ids, row) =>
        {
            var classIndex = ClassIndex(model, torch, ids, className);
            var result = IntegratedGradients.ForTokens(torch, ids, IntegratedGradients.OutputIndex(torch, classIndex), steps);
            var tokens = ids.Select((id, position) => (Id: (int)id, Position: position)).Where(t => t.Id != TokenIdEstimator.PaddingId)
                .Select(t => new TokenAttribution(tokenizer.TokenOf(t.Id), result.Attributions[t.Position])).ToList();
            return new TokenAttributionRow(row, output.Describe(classIndex), tokens, result.Output, result.BaselineOutput);
        }).ToList();
    }

    private static (TorchPredictionTransformer Torch, List<float[]> Features, ExplainedOutput Output) Prepare(TrainedModel model, IDataView rows)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(rows);
        var parts = PipelineParts.Flatten(model.Scorer).ToList();
        var index = parts.FindIndex(p => p is TorchPredictionTransformer);
        if (index < 0)
            throw new ArgumentException($"The model's predictor ({model.Description.Trainer}) is not a torch network; use Kernel SHAP or LIME.", nameof(model));
        var torch = (TorchPredictionTransformer)parts[index];
        var prefix = new TransformerChain<ITransformer>(parts.Take(index).ToArray());
        var featured = prefix.Transform(rows);
        var features = featured.GetColumn<VBuffer<float>>(featured.Schema[torch.FeatureColumnName]).Select(v => v.DenseValues().ToArray()).ToList();
        return (torch, features, new ExplainedOutput(model));
    }

    /// <summary>The class named, or the one the network predicts for <paramref name="features"/> (0 for binary and regression).</summary>
    private static int ClassIndex(TrainedModel model, TorchPredictionTransformer torch, float[] features, string? className)
    {
        if (className is null)
        {
            if (torch.Task != Data.PredictionTask.MulticlassClassification)
                return 0;
            var scores = new float[torch.Network.Head.PostprocessedSize];
            torch.Network.Score(features, 1, scores);
            return Array.IndexOf(scores, scores.Max());
        }
        var index = model.Description.Classes.ToList().IndexOf(className);
        return index >= 0 ? index : throw new ArgumentException($"Class '{className}' is not one of the model's: {string.Join(", ", model.Description.Classes)}.", nameof(className));
    }
}

/// <summary>A saliency map: integrated-gradients attributions of one example's input values.</summary>
/// <param name="Row">Row index in the data given.</param>
/// <param name="Output">What number is explained.</param>
/// <param name="Shape">The network's input shape (e.g. [1, 28, 28]).</param>
/// <param name="Input">The input values (e.g. pixels as the network saw them).</param>
/// <param name="Attributions">One per input value.</param>
/// <param name="Prediction">The output at the input.</param>
/// <param name="BaselineOutput">The output at the all-zero baseline.</param>
public sealed record InputAttribution(int Row, string Output, long[] Shape, float[] Input, float[] Attributions, double Prediction, double BaselineOutput);

/// <summary>One token's attribution.</summary>
/// <param name="Token">The token as the vocabulary holds it.</param>
/// <param name="Attribution">Its integrated-gradients attribution.</param>
public sealed record TokenAttribution(string Token, double Attribution);

/// <summary>Per-token attributions of one text.</summary>
/// <param name="Row">Row index in the data given.</param>
/// <param name="Output">What number is explained.</param>
/// <param name="Tokens">Tokens in order, padding left out.</param>
/// <param name="Prediction">The output for the text.</param>
/// <param name="BaselineOutput">The output with all embeddings zero.</param>
public sealed record TokenAttributionRow(int Row, string Output, IReadOnlyList<TokenAttribution> Tokens, double Prediction, double BaselineOutput);
