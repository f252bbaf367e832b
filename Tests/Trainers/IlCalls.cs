using System.Reflection;
using System.Reflection.Emit;

namespace MlToolkit.Tests.Trainers;

/// <summary>The methods a method's IL calls, read instruction by instruction (no decompiler needed).</summary>
internal static class IlCalls
{
    public const BindingFlags Everything = BindingFlags.DeclaredOnly | BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic;

    private static readonly Dictionary<short, OpCode> OpCodesByValue =
        typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (OpCode)f.GetValue(null)!).ToDictionary(o => o.Value);

    /// <summary>Every method and constructor <paramref name="assembly"/> declares, with a body or not.</summary>
    public static IEnumerable<MethodBase> MethodsOf(Assembly assembly) =>
        TypesOf(assembly).SelectMany(t => t.GetMethods(Everything).Cast<MethodBase>().Concat(t.GetConstructors(Everything)));

    /// <summary>The methods <paramref name="method"/>'s IL calls.</summary>
    public static IEnumerable<MethodBase> CalledBy(MethodBase method)
    {
        var il = Body(method);
        for (var i = 0; i < il.Length;)
        {
            var op = il[i] == 0xFE ? OpCodesByValue[(short)(0xFE00 | il[i + 1])] : OpCodesByValue[il[i]];
            i += op.Size;
            if (op.OperandType == OperandType.InlineMethod && Resolve(method, BitConverter.ToInt32(il, i)) is { } called)
                yield return called;
            i += OperandSize(op, il, i);
        }
    }

    private static int OperandSize(OpCode op, byte[] il, int at) => op.OperandType switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, at),
        _ => 4,
    };

    private static byte[] Body(MethodBase method)
    {
        try
        {
            return method.GetMethodBody()?.GetILAsByteArray() ?? Array.Empty<byte>();
        }
        catch (Exception e) when (e is BadImageFormatException or InvalidOperationException)
        {
            return Array.Empty<byte>(); // a P/Invoke or runtime-provided body has no IL to read
        }
    }

    private static Type[] TypesOf(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            return e.Types.OfType<Type>().ToArray();
        }
    }

    private static MethodBase? Resolve(MethodBase method, int token)
    {
        try
        {
            return method.Module.ResolveMethod(token, method.DeclaringType is { IsGenericType: true } t ? t.GetGenericArguments() : null,
                method.IsGenericMethod ? method.GetGenericArguments() : null);
        }
        catch (Exception e) when (e is ArgumentException or TypeLoadException or FileNotFoundException or MissingMethodException)
        {
            return null; // a member of a generic instantiation the context cannot name; not a TorchSharp Scalar
        }
    }
}
