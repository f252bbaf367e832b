using System.Buffers.Binary;
using System.Text;

namespace MlToolkit.Trainers.Torch.Runtime;

/// <summary>
/// Just enough of a 64-bit little-endian ELF reader to see which symbol versions a shared object
/// requires (<c>.gnu.version_r</c>), which it defines (<c>.gnu.version_d</c>), and which dynamic
/// symbols bind to a given version. Works on an in-memory copy so that patches never touch the source file.
/// </summary>
internal sealed class ElfSharedObject
{
    private const uint SectionTypeDynamicSymbols = 11;
    private const uint SectionTypeVersionDefinitions = 0x6ffffffd;
    private const uint SectionTypeVersionNeeds = 0x6ffffffe;
    private const uint SectionTypeVersionSymbols = 0x6fffffff;

    /// <summary>The <c>VER_FLG_WEAK</c> bit of a version-need entry: a missing weak version is not fatal to the loader.</summary>
    public const ushort VersionFlagWeak = 0x2;

    private readonly byte[] _image;
    private readonly string _path;
    private readonly List<Section> _sections = new();

    private ElfSharedObject(byte[] image, string path)
    {
        _image = image;
        _path = path;
        ReadSections();
    }

    /// <summary>The bytes of the object; patches are applied to these, never to the file.</summary>
    public byte[] Image => _image;

    /// <summary>Parses <paramref name="image"/>; <paramref name="path"/> is only used in error messages.</summary>
    public static ElfSharedObject Parse(byte[] image, string path) => new(image, path);

    /// <summary>Every version this object needs from its dependencies, with where its flags live in the image.</summary>
    public IReadOnlyList<VersionNeed> RequiredVersions()
    {
        var result = new List<VersionNeed>();
        foreach (var section in _sections.Where(s => s.Type == SectionTypeVersionNeeds))
        {
            var strings = _sections[(int)section.Link];
            var recordOffset = section.Offset;
            for (var record = 0; record < section.Info; record++)
            {
                var count = U16(recordOffset + 2);
                var file = ReadString(strings, U32(recordOffset + 4));
                var auxOffset = recordOffset + U32(recordOffset + 8);
                for (var i = 0; i < count; i++)
                {
                    var flags = U16(auxOffset + 4);
                    var index = U16(auxOffset + 6);
                    var name = ReadString(strings, U32(auxOffset + 8));
                    result.Add(new VersionNeed(file, name, flags, index, auxOffset + 4));
                    var nextAux = U32(auxOffset + 12);
                    if (nextAux == 0)
                        break;
                    auxOffset += nextAux;
                }
                var next = U32(recordOffset + 12);
                if (next == 0)
                    break;
                recordOffset += next;
            }
        }
        return result;
    }

    /// <summary>The version names this object defines (for libstdc++: GLIBCXX_3.4, GLIBCXX_3.4.30, ...).</summary>
    public IReadOnlySet<string> DefinedVersions()
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        foreach (var section in _sections.Where(s => s.Type == SectionTypeVersionDefinitions))
        {
            var strings = _sections[(int)section.Link];
            var recordOffset = section.Offset;
            for (var record = 0; record < section.Info; record++)
            {
                var auxOffset = recordOffset + U32(recordOffset + 12);
                result.Add(ReadString(strings, U32(auxOffset)));
                var next = U32(recordOffset + 16);
                if (next == 0)
                    break;
                recordOffset += next;
            }
        }
        return result;
    }

    /// <summary>Names of the dynamic symbols bound to version index <paramref name="versionIndex"/>.</summary>
    public IReadOnlyList<string> SymbolsBoundToVersion(ushort versionIndex)
    {
        var versionSymbols = _sections.FirstOrDefault(s => s.Type == SectionTypeVersionSymbols);
        var symbols = _sections.FirstOrDefault(s => s.Type == SectionTypeDynamicSymbols);
        if (versionSymbols is null || symbols is null)
            return Array.Empty<string>();
        var strings = _sections[(int)symbols.Link];
        var names = new List<string>();
        var count = symbols.Size / 24;
        for (long i = 0; i < count; i++)
        {
            // Bit 15 marks a hidden symbol; the low 15 bits are the version index.
            if ((U16(versionSymbols.Offset + i * 2) & 0x7fff) == versionIndex)
                names.Add(ReadString(strings, U32(symbols.Offset + i * 24)));
        }
        return names;
    }

    /// <summary>Sets the weak flag on a required version, so the loader tolerates its absence.</summary>
    public void MarkWeak(VersionNeed need)
    {
        var flags = (ushort)(U16(need.FlagsOffset) | VersionFlagWeak);
        BinaryPrimitives.WriteUInt16LittleEndian(_image.AsSpan(checked((int)need.FlagsOffset)), flags);
    }

    private void ReadSections()
    {
        if (_image.Length < 64 || _image[0] != 0x7f || _image[1] != (byte)'E' || _image[2] != (byte)'L' || _image[3] != (byte)'F')
            throw Malformed("not an ELF file");
        if (_image[4] != 2 || _image[5] != 1)
            throw Malformed("only 64-bit little-endian ELF is supported");
        var sectionTableOffset = (long)U64(0x28);
        var entrySize = U16(0x3A);
        var count = U16(0x3C);
        if (entrySize < 64 || sectionTableOffset + (long)entrySize * count > _image.Length)
            throw Malformed("section header table lies outside the file");
        for (var i = 0; i < count; i++)
        {
            var at = sectionTableOffset + (long)i * entrySize;
            var section = new Section(U32(at + 4), (long)U64(at + 0x18), (long)U64(at + 0x20), U32(at + 0x28), U32(at + 0x2C));
            if (section.Type != 8 /* NOBITS */ && section.Offset + section.Size > _image.Length)
                throw Malformed($"section {i} lies outside the file");
            _sections.Add(section);
        }
    }

    private string ReadString(Section table, uint offset)
    {
        var start = checked((int)(table.Offset + offset));
        var end = Array.IndexOf(_image, (byte)0, start);
        if (end < 0)
            throw Malformed("unterminated string");
        return Encoding.ASCII.GetString(_image, start, end - start);
    }

    private ushort U16(long offset) => BinaryPrimitives.ReadUInt16LittleEndian(_image.AsSpan(checked((int)offset), 2));
    private uint U32(long offset) => BinaryPrimitives.ReadUInt32LittleEndian(_image.AsSpan(checked((int)offset), 4));
    private ulong U64(long offset) => BinaryPrimitives.ReadUInt64LittleEndian(_image.AsSpan(checked((int)offset), 8));

    private NativeLibraryLoadException Malformed(string what) => new($"Cannot read '{_path}' as a shared library: {what}.");

    private sealed record Section(uint Type, long Offset, long Size, uint Link, uint Info);
}

/// <summary>One version a shared object requires from a dependency.</summary>
/// <param name="File">The dependency, e.g. <c>libstdc++.so.6</c>.</param>
/// <param name="Name">The version name, e.g. <c>GLIBCXX_3.4.32</c>.</param>
/// <param name="Flags">The <c>vna_flags</c> field.</param>
/// <param name="Index">The version index symbols refer to.</param>
/// <param name="FlagsOffset">Where <c>vna_flags</c> lives in the image.</param>
internal sealed record VersionNeed(string File, string Name, ushort Flags, ushort Index, long FlagsOffset)
{
    /// <summary>True when the loader already tolerates this version's absence.</summary>
    public bool IsWeak => (Flags & ElfSharedObject.VersionFlagWeak) != 0;
}
