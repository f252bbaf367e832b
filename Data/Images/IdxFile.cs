using System.Buffers.Binary;
using System.IO.Compression;

namespace MlToolkit.Data.Images;

/// <summary>
/// One IDX file (the MNIST format: a magic number giving the element type and rank, big-endian dimensions, then
/// the raw elements), gzip-compressed or not. Only unsigned-byte elements are supported, as MNIST and its
/// derivatives (Fashion-MNIST, KMNIST, EMNIST) use.
/// </summary>
internal sealed class IdxFile
{
    private const byte UnsignedByte = 0x08;

    private IdxFile(string path, int[] dimensions, long dataOffset)
    {
        Path = path;
        Dimensions = dimensions;
        DataOffset = dataOffset;
    }

    public string Path { get; }

    /// <summary>Dimensions; the first is the record count.</summary>
    public int[] Dimensions { get; }

    /// <summary>Bytes per record (product of the dimensions after the first).</summary>
    public int RecordSize => Dimensions.Skip(1).Aggregate(1, (a, b) => checked(a * b));

    public int Records => Dimensions[0];

    private long DataOffset { get; }

    /// <summary>Reads and checks the header of <paramref name="path"/>.</summary>
    /// <exception cref="DataFormatException">Missing, not IDX, unsupported element type, or wrong rank.</exception>
    public static IdxFile Open(string path, int expectedRank)
    {
        if (!File.Exists(path))
            throw new DataFormatException(path, "file not found");
        using var stream = OpenStream(path);
        Span<byte> header = stackalloc byte[4];
        if (stream.ReadAtLeast(header, 4, throwOnEndOfStream: false) < 4)
            throw new DataFormatException(path, "the file is empty or shorter than an IDX header (4 bytes)");
        if (header[0] != 0 || header[1] != 0)
            throw new DataFormatException(path, $"not an IDX file: the magic number starts {header[0]:X2} {header[1]:X2}; expected 00 00");
        if (header[2] != UnsignedByte)
            throw new DataFormatException(path, $"IDX element type 0x{header[2]:X2} is not supported; expected 0x08 (unsigned byte)");
        if (header[3] != expectedRank)
            throw new DataFormatException(path, $"IDX rank {header[3]}; expected {expectedRank} ({(expectedRank == 1 ? "labels" : "images: count, rows, columns")})");
        var dimensions = new int[expectedRank];
        Span<byte> dimension = stackalloc byte[4];
        for (var i = 0; i < expectedRank; i++)
        {
            if (stream.ReadAtLeast(dimension, 4, throwOnEndOfStream: false) < 4)
                throw new DataFormatException(path, "the IDX header is truncated");
            dimensions[i] = BinaryPrimitives.ReadInt32BigEndian(dimension);
            if (dimensions[i] <= 0)
                throw new DataFormatException(path, $"IDX dimension {i} is {dimensions[i]}; expected a positive size");
        }
        return new IdxFile(path, dimensions, 4 + 4L * expectedRank);
    }

    /// <summary>Whether <paramref name="path"/> is an existing IDX file of unsigned bytes with <paramref name="rank"/> dimensions (gzip or raw).</summary>
    public static bool Is(string path, int rank)
    {
        if (!File.Exists(path))
            return false;
        using var stream = OpenStream(path);
        Span<byte> header = stackalloc byte[4];
        try
        {
            return stream.ReadAtLeast(header, 4, throwOnEndOfStream: false) == 4 && header[0] == 0 && header[1] == 0 && header[2] == UnsignedByte && header[3] == rank;
        }
        catch (InvalidDataException)
        {
            // A .gz name or magic over data that is no gzip stream: not IDX.
            return false;
        }
    }

    /// <summary>A stream positioned at the first record.</summary>
    public Stream OpenRecords()
    {
        var stream = OpenStream(Path);
        var skip = new byte[DataOffset];
        stream.ReadExactly(skip);
        return stream;
    }

    private static Stream OpenStream(string path)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var magic = new byte[2];
        var isGzip = file.Read(magic, 0, 2) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
        file.Position = 0;
        return isGzip ? new BufferedStream(new GZipStream(file, CompressionMode.Decompress), 1 << 16) : file;
    }
}
