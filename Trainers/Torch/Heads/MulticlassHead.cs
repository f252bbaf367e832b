using Microsoft.ML;
using Microsoft.ML.Data;
using MlToolkit.Data;
using MlToolkit.Trainers.Torch.Training;
using static TorchSharp.torch;

namespace MlToolkit.Trainers.Torch.Heads;

/// <summary>Multiclass: key label, softmax <c>Score</c> vector (slot names = classes), key <c>PredictedLabel</c> mapping back to the class values.</summary>
public class MulticlassHead : PredictionHead
{
    private readonly string[] _classes;

    /// <summary>Creates the head for the given class names (in key order).</summary>
    public MulticlassHead(IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(classNames);
        if (classNames.Count < 2)
            throw new SchemaException($"Multiclass classification needs at least 2 classes; the label has {classNames.Count}.");
        _classes = classNames.ToArray();
        // ML.NET's standard annotation kinds; its builder helpers for them are internal.
        var names = new VectorDataViewType(TextDataViewType.Instance, _classes.Length);
        var slotNames = AnnotationsWith(b => b.Add<VBuffer<ReadOnlyMemory<char>>>("SlotNames", names, SlotNames));
        var keyValues = AnnotationsWith(b => b.Add<VBuffer<ReadOnlyMemory<char>>>("KeyValues", names, SlotNames));
        OutputColumns = new[]
        {
            new OutputColumn("Score", new VectorDataViewType(NumberDataViewType.Single, _classes.Length), slotNames, row => (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) =>
            {
                var values = row().Span;
                var editor = VBufferEditor.Create(ref value, values.Length);
                values.CopyTo(editor.Values);
                value = editor.Commit();
            })),
            new OutputColumn("PredictedLabel", new KeyDataViewType(typeof(uint), _classes.Length), keyValues, row => (ValueGetter<uint>)((ref uint value) =>
            {
                var values = row().Span;
                var best = 0;
                for (var i = 1; i < values.Length; i++)
                {
                    if (values[i] > values[best])
                        best = i;
                }
                value = (uint)best + 1;
            })),
        };
    }

    /// <inheritdoc/>
    public override PredictionTask Task => PredictionTask.MulticlassClassification;

    /// <inheritdoc/>
    public override int OutputSize => _classes.Length;

    /// <inheritdoc/>
    public override IReadOnlyList<OutputColumn> OutputColumns { get; }

    /// <inheritdoc/>
    public override IReadOnlyList<string> ClassNames => _classes;

    /// <summary>Builds the head from a key-typed label column, taking class names from its key values when present.</summary>
    public static MulticlassHead FromLabel(DataViewSchema.Column label)
    {
        if (label.Type is not KeyDataViewType key)
            throw new SchemaException($"Label column '{label.Name}' has type {label.Type}; multiclass classification needs a key type (use mlContext.Transforms.Conversion.MapValueToKey).");
        var count = checked((int)key.Count);
        var names = Enumerable.Range(0, count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        if (label.HasKeyValues())
        {
            VBuffer<ReadOnlyMemory<char>> values = default;
            label.GetKeyValues(ref values);
            names = values.DenseValues().Select(v => v.ToString()).ToArray();
        }
        return new MulticlassHead(names);
    }

    /// <inheritdoc/>
    public override Func<float> LabelReader(DataViewRow row, DataViewSchema.Column label)
    {
        var getter = row.GetGetter<uint>(label);
        uint key = 0;
        return () =>
        {
            getter(ref key);
            return key == 0 || key > _classes.Length ? float.NaN : key - 1;
        };
    }

    /// <inheritdoc/>
    public override Tensor Targets(Tensor labels) => labels.to_type(ScalarType.Int64);

    /// <inheritdoc/>
    public override Tensor Loss(Tensor output, Tensor targets, TorchTrainerOptions options) =>
        nn.functional.cross_entropy(output, targets, label_smoothing: options.LabelSmoothing);

    /// <inheritdoc/>
    public override long? CountCorrect(Tensor output, Tensor targets) => output.argmax(1).eq(targets).sum().item<long>();

    /// <inheritdoc/>
    public override Tensor Postprocess(Tensor output) => nn.functional.softmax(output, 1);

    /// <inheritdoc/>
    public override void CheckDistinctLabels(string labelColumn, int distinct) => RequireTwoClasses(labelColumn, distinct);

    private void SlotNames(ref VBuffer<ReadOnlyMemory<char>> value) =>
        value = new VBuffer<ReadOnlyMemory<char>>(_classes.Length, _classes.Select(c => c.AsMemory()).ToArray());

    private static DataViewSchema.Annotations AnnotationsWith(Action<DataViewSchema.Annotations.Builder> add)
    {
        var builder = new DataViewSchema.Annotations.Builder();
        add(builder);
        return builder.ToAnnotations();
    }
}
