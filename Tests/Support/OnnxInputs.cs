using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace MlToolkit.Tests.Support;

/// <summary>An exported model's raw-column inputs filled from a data view's columns, one value per row each.</summary>
public static class OnnxInputs
{
    /// <summary>
    /// The columns <paramref name="names"/> of <paramref name="data"/> as tensors of the types the session reads: [rows, 1]
    /// for a scalar column, [rows, size] for a vector of floats (a date's parts).
    /// </summary>
    public static List<NamedOnnxValue> From(InferenceSession session, IDataView data, IEnumerable<string> names)
    {
        var rows = (int)MlToolkit.Data.IO.RowCounter.Count(data);
        return names.Select(name => (session.InputMetadata[name].ElementDataType, data.Schema[name].Type) switch
        {
            (TensorElementType.Float, VectorDataViewType vector) => NamedOnnxValue.CreateFromTensor(name,
                new DenseTensor<float>(data.GetColumn<float[]>(name).SelectMany(v => v).ToArray(), new[] { rows, vector.Size })),
            (TensorElementType.String, _) => NamedOnnxValue.CreateFromTensor(name, new DenseTensor<string>(data.GetColumn<string>(name).ToArray(), new[] { rows, 1 })),
            (TensorElementType.Float, _) => NamedOnnxValue.CreateFromTensor(name, new DenseTensor<float>(data.GetColumn<float>(name).ToArray(), new[] { rows, 1 })),
            var (other, _) => throw new InvalidOperationException($"input {name} is {other}"),
        }).ToList();
    }
}
