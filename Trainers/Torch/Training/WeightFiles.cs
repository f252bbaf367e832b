using static TorchSharp.torch;

namespace MlToolkit.Trainers.Torch.Training;

/// <summary>Loads user-supplied weights (TorchSharp <c>Module.save</c> format) into a module, with a clear error when they do not fit.</summary>
internal static class WeightFiles
{
    public static void LoadInto(nn.Module module, string path, string what)
    {
        if (!File.Exists(path))
            throw new DataFormatException(path, "weights file not found");
        var expected = string.Join(", ", module.state_dict().Select(kv => $"{kv.Key} [{string.Join("×", kv.Value.shape)}]"));
        try
        {
            module.load(path, strict: true);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or EndOfStreamException or FormatException)
        {
            throw new SchemaException($"The weights in '{path}' do not fit {what} ({e.Message}). Expected: {expected}.");
        }
    }
}
