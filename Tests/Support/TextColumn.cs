using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlToolkit.Tests.Support;

/// <summary>Every value of a text column, as strings.</summary>
public static class TextColumn
{
    public static string[] Of(IDataView data, string column) =>
        data.GetColumn<ReadOnlyMemory<char>>(column).Select(v => v.ToString()).ToArray();
}
