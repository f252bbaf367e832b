using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlToolkit.Trainers.Torch.Training;

/// <summary>The training data as a trainer sees it while building its network.</summary>
/// <param name="Data">The training rows.</param>
/// <param name="Features">The feature column.</param>
public sealed record TrainingData(IDataView Data, DataViewSchema.Column Features)
{
    /// <summary>The largest value in the feature column (one streaming pass), e.g. the highest token id.</summary>
    public float MaxFeatureValue()
    {
        var max = float.NegativeInfinity;
        using var cursor = Data.GetRowCursor(new[] { Features });
        if (Features.Type is VectorDataViewType)
        {
            var getter = cursor.GetGetter<VBuffer<float>>(Features);
            VBuffer<float> values = default;
            while (cursor.MoveNext())
            {
                getter(ref values);
                foreach (var value in values.GetValues())
                    max = Math.Max(max, value);
            }
        }
        else
        {
            var getter = cursor.GetGetter<float>(Features);
            var value = 0f;
            while (cursor.MoveNext())
            {
                getter(ref value);
                max = Math.Max(max, value);
            }
        }
        return max;
    }
}
