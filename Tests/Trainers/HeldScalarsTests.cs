using System.Reflection;
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
        Assert.Equal(new[] { -4.0, -1.0, 0.0, 0.5, 6.0 }, x.Plus(x).data<double>().ToArray());
        Assert.Equal(new long[] { 0, 8, 14, 18 }, ids.Plus(ids).data<long>().ToArray());
        Assert.Equal(new[] { -1.0, 0.5, 1.0, 1.25, 4.0 }, x.clone().PlusInPlace(ones_like(x)).data<double>().ToArray());
    }

    [Fact]
    public void No_method_of_ours_converts_a_number_to_a_torch_scalar_implicitly()
    {
        // The IL is read, not the source: `x * 2.0`, `x.pow(2)`, `arange(n)` and `t[.., 0] = true` all compile to a
        // call of Scalar.op_Implicit, and HeldScalars itself makes its scalars with ToScalar() and disposes them.
        var implicitScalars = OurMethods().Where(m => IlCalls.CalledBy(m).Any(IsImplicitScalar)).Select(Name).ToList();
        Assert.True(implicitScalars.Count == 0, "implicit TorchSharp.Scalar in: " + string.Join(", ", implicitScalars) + " (use HeldScalars)");
    }

    [Fact]
    public void No_method_of_ours_calls_a_torchsharp_method_that_makes_a_scalar_it_does_not_hold()
    {
        // `a + b` on two tensors is `a.add(b)`, which TorchSharp writes as `add(b, 1)`: the alpha Scalar is as
        // unreferenced during the native call as our own `x * 2.0` was ("toFloat at Scalar.h", in a transformer's
        // residual sum, 2026-12-04). Virtual calls (a module's forward) resolve to the base method and are not seen.
        var unsafeTorchSharp = TorchSharpMethodsMakingImplicitScalars();
        var calls = OurMethods()
            .SelectMany(m => IlCalls.CalledBy(m).Where(unsafeTorchSharp.Contains).Select(c => $"{Name(m)} -> {Name(c)}({string.Join(", ", c.GetParameters().Select(p => p.ParameterType.Name))})"))
            .Distinct().ToList();
        Assert.True(calls.Count == 0, "TorchSharp calls that make an unheld Scalar: " + string.Join(", ", calls) + " (use HeldScalars)");
    }

    [Fact]
    public void The_torchsharp_scan_finds_the_hidden_scalar_of_a_tensor_sum()
    {
        var unsafeTorchSharp = TorchSharpMethodsMakingImplicitScalars();
        Assert.Contains(typeof(Tensor).GetMethod(nameof(Tensor.add), new[] { typeof(Tensor) })!, unsafeTorchSharp);
        Assert.Contains(typeof(Tensor).GetMethod("op_Addition", new[] { typeof(Tensor), typeof(Tensor) })!, unsafeTorchSharp);
        Assert.DoesNotContain(typeof(Tensor).GetMethod(nameof(Tensor.add), new[] { typeof(Tensor), typeof(Scalar) })!, unsafeTorchSharp);
    }

    private static IEnumerable<MethodBase> OurMethods() =>
        new[] { typeof(HeldScalars), typeof(MlToolkit.Models.TrainedModel), typeof(MlToolkit.Experiments.AutoMl.AutoMlExperiment), typeof(MlToolkit.Cli.ExitCodes) }
            .SelectMany(t => IlCalls.MethodsOf(t.Assembly));

    private static bool IsImplicitScalar(MethodBase method) => method.Name == "op_Implicit" && method.DeclaringType == typeof(Scalar);

    private static string Name(MethodBase method) => $"{method.DeclaringType?.FullName}.{method.Name}";

    /// <summary>TorchSharp methods that convert a number to a Scalar implicitly, themselves or through TorchSharp methods they call.</summary>
    private static HashSet<MethodBase> TorchSharpMethodsMakingImplicitScalars()
    {
        var callers = new Dictionary<MethodBase, List<MethodBase>>();
        var found = new HashSet<MethodBase>();
        var torchSharp = typeof(Scalar).Assembly;
        foreach (var method in IlCalls.MethodsOf(torchSharp).Where(m => m.DeclaringType != typeof(Scalar)))
        {
            foreach (var called in IlCalls.CalledBy(method))
            {
                if (IsImplicitScalar(called))
                    found.Add(method);
                else if (called.Module.Assembly == torchSharp)
                    (callers.TryGetValue(called, out var list) ? list : callers[called] = new List<MethodBase>()).Add(method);
            }
        }
        var pending = new Queue<MethodBase>(found);
        while (pending.TryDequeue(out var method))
        {
            foreach (var caller in callers.GetValueOrDefault(method) ?? new List<MethodBase>())
                if (found.Add(caller))
                    pending.Enqueue(caller);
        }
        return found;
    }
}
