using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlToolkit.Tests.Support;

/// <summary>Every value of a scored view's <c>Score</c> column, rows one after another (vector or single scores).</summary>
public static class ScoreValues
{
    public static float[] Of(IDataView scored)
    {
        var column = scored.Schema["Score"];
        return column.Type is VectorDataViewType
            ? scored.GetColumn<float[]>(column).SelectMany(v => v).ToArray()
            : scored.GetColumn<float>(column).ToArray();
    }
}
