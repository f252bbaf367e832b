using Onnx;

namespace MlToolkit.Models.Onnx;

/// <summary>The operator sets a graph joined from several graphs declares.</summary>
internal static class OpsetImports
{
    /// <summary>
    /// One import per domain: ours (<see cref="OnnxGraphBuilder.Opset"/>) for the default domain, and the highest version
    /// any part asked for in the others. A part's nodes must keep the attributes they were written with: ML.NET's
    /// LabelEncoder in <c>ai.onnx.ml</c> 2 has keys_strings, which version 1 of it rejects.
    /// </summary>
    public static IEnumerable<OperatorSetIdProto> Joined(IEnumerable<OperatorSetIdProto> parts) =>
        parts.GroupBy(o => o.Domain).Select(g => new OperatorSetIdProto { Domain = g.Key, Version = g.Key.Length == 0 ? OnnxGraphBuilder.Opset : g.Max(o => o.Version) });
}
