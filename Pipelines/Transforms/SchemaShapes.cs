using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlToolkit.Pipelines.Transforms;

/// <summary>
/// Converts between <see cref="SchemaShape"/> and <see cref="DataViewSchema"/>. ML.NET keeps both the
/// <c>SchemaShape.Column</c> constructor and <c>SchemaShape.Create(DataViewSchema)</c> internal, so an estimator
/// written outside ML.NET cannot otherwise build the shape <c>GetOutputSchema</c> must return; we call
/// <c>Create</c> through reflection (ML.NET is pinned to 5.0.1, and a test covers it).
/// </summary>
public static class SchemaShapes
{
    private static readonly Func<DataViewSchema, SchemaShape> CreateShape = BindCreate();

    /// <summary>The shape of <paramref name="schema"/>, as ML.NET's own estimators compute it.</summary>
    public static SchemaShape FromSchema(DataViewSchema schema) => CreateShape(schema);

    private static Func<DataViewSchema, SchemaShape> BindCreate()
    {
        var method = typeof(SchemaShape).GetMethod("Create", System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Public, new[] { typeof(DataViewSchema) })
            ?? throw new MissingMethodException($"{typeof(SchemaShape).FullName}.Create(DataViewSchema) is missing from this Microsoft.ML version; MlToolkit needs Microsoft.ML 5.0.1.");
        return method.CreateDelegate<Func<DataViewSchema, SchemaShape>>();
    }

    /// <summary>A representative schema of <paramref name="shape"/>: vector columns of unknown size get size 1, which keeps their kind.</summary>
    public static DataViewSchema ToSchema(SchemaShape shape)
    {
        var builder = new DataViewSchema.Builder();
        foreach (var column in shape)
        {
            // A shape keeps only that a column is a key, not its count: any count stands for it.
            var item = column.IsKey && column.ItemType is not KeyDataViewType ? new KeyDataViewType(column.ItemType.RawType, 2) : column.ItemType;
            DataViewType type = column.Kind switch
            {
                SchemaShape.Column.VectorKind.Scalar => item,
                SchemaShape.Column.VectorKind.Vector => new VectorDataViewType((PrimitiveDataViewType)item, 1),
                _ => new VectorDataViewType((PrimitiveDataViewType)item),
            };
            builder.AddColumn(column.Name, type);
        }
        return builder.ToSchema();
    }
}
