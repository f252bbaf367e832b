using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace MlToolkit.Tests.Support;

/// <summary>An exported model's raw-column inputs filled from a data view's columns, one value per row each.</summary>
public static class OnnxInputs
{
    /// <summary>The columns <paramref name="names"/> of <paramref name="data"/> as [rows, 1] tensors of the types the session reads.</summary>
    public static List<NamedOnnxValue> From(InferenceSession session, IDataView data, IEnumerable<string> names)
    {
        var rows = (int)MlToolkit.Data.IO.RowCounter.Count(data);
        return names.Select(name => session.InputMetadata[name].ElementDataType switch
        {
            TensorElementType.String => NamedOnnxValue.CreateFromTensor(name, new DenseTensor<string>(data.GetColumn<string>(name).ToArray(), new[] { rows, 1 })),
            TensorElementType.Float => NamedOnnxValue.CreateFromTensor(name, new DenseTensor<float>(data.GetColumn<float>(name).ToArray(), new[] { rows, 1 })),
            var other => throw new InvalidOperationException($"input {name} is {other}"),
        }).ToList();
    }
}
