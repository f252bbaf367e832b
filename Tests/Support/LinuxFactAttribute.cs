namespace MlToolkit.Tests.Support;

/// <summary>A fact about Linux only (ELF shared objects, glibc's loader, .so names).</summary>
public sealed class LinuxFactAttribute : FactAttribute
{
    public LinuxFactAttribute(string reason = "ELF shared objects and glibc symbol versioning exist only on Linux")
    {
        if (!OperatingSystem.IsLinux())
            Skip = reason;
    }
}
