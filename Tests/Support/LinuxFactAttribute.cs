namespace MlToolkit.Tests.Support;

/// <summary>A fact about ELF shared objects and glibc's loader, which exist only on Linux.</summary>
public sealed class LinuxFactAttribute : FactAttribute
{
    public LinuxFactAttribute()
    {
        if (!OperatingSystem.IsLinux())
            Skip = "ELF shared objects and glibc symbol versioning exist only on Linux";
    }
}
