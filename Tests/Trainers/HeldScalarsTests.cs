using System.Reflection;
using System.Reflection.Emit;
using MlToolkit.Trainers.Torch.Runtime;
using MlToolkit.Trainers.Torch.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace MlToolkit.Tests.Trainers;

/// <summary>
/// Each held-scalar operation gives what the TorchSharp operation it stands for gives, and no code of ours hands
/// TorchSharp a number through an implicit <see cref="Scalar"/>, which libtorch may read after it is freed.
/// </summary>
[Collection(MlToolkit.Tests.Trainers.Torch.TorchCollection.Name)]
public sealed class HeldScalarsTests
{
    [Fact]
    public void Held_scalar_operations_equal_the_plain_ones()
    {
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var x = tensor(new[] { -2.0, -0.5, 0.0, 0.25, 3.0 });
        var ids = tensor(new long[] { 0, 4, 7, 9 });
        Assert.Equal(new[] { 0.0, 0.0, 0.0, 0.25, 1.0 }, x.Clamped(0, 1).data<double>().ToArray());
        Assert.Equal(new[] { -2.0, -0.5, 0.0, 0.25, 0.5 }, x.AtMost(0.5).data<double>().ToArray());
        Assert.Equal(new[] { true, true, true, false, false }, x.LessOrEqualTo(0).data<bool>().ToArray());
        Assert.Equal(new[] { false, false, true, true }, ids.GreaterOrEqualTo(7).data<bool>().ToArray());
        Assert.Equal(new long[] { 0, 4, 0, 0 }, ids.FilledWhere(ids.GreaterOrEqualTo(7), 0).data<long>().ToArray());
        Assert.Equal(new[] { 4.0, 1.0, -0.0, -0.5, -6.0 }, x.clone().TimesInPlace(-2).data<double>().ToArray());
        Assert.Equal(new[] { 0.0, 0.0, 0.0, 0.25, 3.0 }, x.clone().AtLeastInPlace(0).data<double>().ToArray());
        Assert.Equal(new[] { 0.0, 0.75, 1.0, 1.125, 2.5 }, x.Minus(-2).DividedBy(2).data<double>().ToArray());
        Assert.Equal(new long[] { 0, 7, 14, 21 }, HeldScalars.Range(4, ScalarType.Int64).Times(7L).data<long>().ToArray());
    }

    [Fact]
    public void No_method_of_ours_converts_a_number_to_a_torch_scalar_implicitly()
    {
        // The IL is read, not the source: `x * 2.0`, `x.pow(2)`, `arange(n)` and `t[.., 0] = true` all compile to a
        // call of Scalar.op_Implicit, and HeldScalars itself makes its scalars with ToScalar() and disposes them.
        var assemblies = new[] { typeof(HeldScalars), typeof(MlToolkit.Models.TrainedModel), typeof(MlToolkit.Experiments.AutoMl.AutoMlExperiment), typeof(MlToolkit.Cli.ExitCodes) }
            .Select(t => t.Assembly);
        var implicitScalars = assemblies.SelectMany(ImplicitScalarConversions).ToList();
        Assert.True(implicitScalars.Count == 0, "implicit TorchSharp.Scalar in: " + string.Join(", ", implicitScalars) + " (use HeldScalars)");
    }

    private static IEnumerable<string> ImplicitScalarConversions(Assembly assembly)
    {
        const BindingFlags everything = BindingFlags.DeclaredOnly | BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic;
        foreach (var type in assembly.GetTypes())
        {
            foreach (var method in type.GetMethods(everything).Cast<MethodBase>().Concat(type.GetConstructors(everything)))
            {
                if (CalledMethods(method).Any(m => m.Name == "op_Implicit" && m.DeclaringType == typeof(Scalar)))
                    yield return $"{type.FullName}.{method.Name}";
            }
        }
    }

    private static readonly Dictionary<short, OpCode> OpCodesByValue =
        typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (OpCode)f.GetValue(null)!).ToDictionary(o => o.Value);

    /// <summary>The methods <paramref name="method"/>'s IL calls, read instruction by instruction.</summary>
    private static IEnumerable<MethodBase> CalledMethods(MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray() ?? Array.Empty<byte>();
        for (var i = 0; i < il.Length;)
        {
            var op = il[i] == 0xFE ? OpCodesByValue[(short)(0xFE00 | il[i + 1])] : OpCodesByValue[il[i]];
            i += op.Size;
            if (op.OperandType == OperandType.InlineMethod && ResolveMethod(method, BitConverter.ToInt32(il, i)) is { } called)
                yield return called;
            i += op.OperandType switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, i),
                _ => 4,
            };
        }
    }

    private static MethodBase? ResolveMethod(MethodBase method, int token)
    {
        try
        {
            return method.Module.ResolveMethod(token, method.DeclaringType is { IsGenericType: true } t ? t.GetGenericArguments() : null,
                method.IsGenericMethod ? method.GetGenericArguments() : null);
        }
        catch (ArgumentException)
        {
            return null; // a member of a generic instantiation the context cannot name; not a TorchSharp Scalar
        }
    }
}
