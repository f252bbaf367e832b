using Microsoft.ML;
using Microsoft.ML.Data;
using MlToolkit.Data;
using MlToolkit.Data.IO;

namespace MlToolkit.Models;

/// <summary>Maps ML.NET's <c>PredictedLabel</c> (a key, or a Boolean for binary) back to the label's own values.</summary>
internal static class PredictedLabelDecoder
{
    private const string Column = "PredictedLabel";

    public static ITransformer Fit(ModelDescription description, ITransformer scorer, DataViewSchema inputSchema)
    {
        var ml = new MLContext(1);
        var scored = new EmptyDataView(scorer.GetOutputSchema(inputSchema));
        var labelType = inputSchema.GetColumnOrNull(description.LabelColumn)?.Type;
        return description.Task switch
        {
            PredictionTask.MulticlassClassification when scored.Schema.GetColumnOrNull(Column)?.Type is KeyDataViewType =>
                ml.Transforms.Conversion.MapKeyToValue(Column).Fit(scored),
            PredictionTask.BinaryClassification when labelType is TextDataViewType && description.PositiveClass is { } positive =>
                ml.Transforms.Conversion.MapValue(Column, new[]
                {
                    new KeyValuePair<bool, string>(true, positive),
                    new KeyValuePair<bool, string>(false, description.Classes.First(c => c != positive)),
                }, Column).Fit(scored),
            PredictionTask.BinaryClassification when labelType == NumberDataViewType.Single && description.PositiveClass is { } positive =>
                ml.Transforms.Conversion.MapValue(Column, new[]
                {
                    new KeyValuePair<bool, float>(true, float.Parse(positive, System.Globalization.CultureInfo.InvariantCulture)),
                    new KeyValuePair<bool, float>(false, float.Parse(description.Classes.First(c => c != positive), System.Globalization.CultureInfo.InvariantCulture)),
                }, Column).Fit(scored),
            _ => new TransformerChain<ITransformer>(),
        };
    }
}
