namespace MlToolkit.Trainers.Torch.Runtime;

/// <summary>
/// The native libtorch / LibTorchSharp libraries could not be found or loaded. The message names the file
/// and the cause (a missing package, a missing system library version, a malformed file).
/// </summary>
public sealed class NativeLibraryLoadException : MlToolkitException
{
    /// <summary>Creates the exception with a message naming the file and the cause.</summary>
    public NativeLibraryLoadException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the loader's own error.</summary>
    public NativeLibraryLoadException(string message, Exception innerException) : base(message, innerException) { }
}
