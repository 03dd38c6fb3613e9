using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;

namespace Sharptime.Artifacts;

/// <summary>
/// The artifact checksum: four CRC-32C lanes over the file, 16 bytes. The file is read as 32-byte blocks whose four
/// little-endian 8-byte words feed lanes 0–3 (independent lanes keep the CRC unit busy: about 8 bytes per cycle);
/// a final partial block feeds lane 0 byte by byte. The 16 bytes at <see cref="FieldOffset"/>, where the checksum is
/// stored, count as zeros. Each lane starts at 0xFFFFFFFF and is complemented at the end; the result is lanes 0–3, each
/// little-endian.
/// </summary>
internal static class ArtifactChecksum
{
    /// <summary>Where the checksum is stored: right after the 64-byte ELF header (a multiple of the block size).</summary>
    public const int FieldOffset = 64;
    public const int Size = 16;
    private const int Block = 32;

    public static void Compute(ReadOnlySpan<byte> file, Span<byte> checksum)
    {
        uint a = ~0u, b = ~0u, c = ~0u, d = ~0u;
        int i = 0;
        Span<byte> patched = stackalloc byte[Block];
        for (; i + Block <= file.Length; i += Block)
        {
            if (i == FieldOffset)
            {
                file.Slice(i, Block).CopyTo(patched);
                patched[..Size].Clear();
                Feed(patched, ref a, ref b, ref c, ref d);
            }
            else Feed(file.Slice(i, Block), ref a, ref b, ref c, ref d);
        }
        for (; i < file.Length; i++)
            a = BitOperations.Crc32C(a, i >= FieldOffset && i < FieldOffset + Size ? (byte)0 : file[i]);
        BinaryPrimitives.WriteUInt32LittleEndian(checksum, ~a);
        BinaryPrimitives.WriteUInt32LittleEndian(checksum[4..], ~b);
        BinaryPrimitives.WriteUInt32LittleEndian(checksum[8..], ~c);
        BinaryPrimitives.WriteUInt32LittleEndian(checksum[12..], ~d);
    }

    private static void Feed(ReadOnlySpan<byte> block, ref uint a, ref uint b, ref uint c, ref uint d)
    {
        var words = MemoryMarshal.Cast<byte, ulong>(block);
        a = BitOperations.Crc32C(a, LittleEndian(words[0]));
        b = BitOperations.Crc32C(b, LittleEndian(words[1]));
        c = BitOperations.Crc32C(c, LittleEndian(words[2]));
        d = BitOperations.Crc32C(d, LittleEndian(words[3]));
    }

    /// <summary>Whether the checksum stored in <paramref name="file"/> matches its contents.</summary>
    public static bool Verify(ReadOnlySpan<byte> file)
    {
        if (file.Length < FieldOffset + Size) return false;
        Span<byte> actual = stackalloc byte[Size];
        Compute(file, actual);
        return actual.SequenceEqual(file.Slice(FieldOffset, Size));
    }

    private static ulong LittleEndian(ulong word) => BitConverter.IsLittleEndian ? word : BinaryPrimitives.ReverseEndianness(word);
}
