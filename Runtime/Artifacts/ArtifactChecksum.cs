using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Sharptime.Artifacts;

/// <summary>
/// The artifact checksum, 16 bytes: a two-level CRC-32C so that verification spreads over cores. The file is cut into
/// 1 MiB chunks (the last may be shorter); each chunk gets a 16-byte digest, and the checksum is the digest of the
/// concatenated chunk digests. A digest is four CRC-32C lanes: the input is read as 32-byte blocks whose four
/// little-endian 8-byte words feed lanes 0–3 (independent lanes keep the CRC unit busy), and a final partial block
/// feeds lane 0 byte by byte; each lane starts at 0xFFFFFFFF and is complemented at the end; the digest is lanes 0–3,
/// each little-endian. The 16 bytes at <see cref="FieldOffset"/>, where the checksum is stored, count as zeros.
/// </summary>
internal static class ArtifactChecksum
{
    /// <summary>Where the checksum is stored: right after the 64-byte ELF header (a multiple of the block size).</summary>
    public const int FieldOffset = 64;
    public const int Size = 16;
    private const int Block = 32;
    private const int Chunk = 1 << 20;

    public static void Compute(ReadOnlySpan<byte> file, Span<byte> checksum) => Digest(ChunkDigests(file), checksum);

    /// <summary>Whether the checksum stored in <paramref name="file"/> matches its contents; large files are hashed on several cores.</summary>
    public static bool Verify(ReadOnlySpan<byte> file)
    {
        if (file.Length < FieldOffset + Size) return false;
        Span<byte> actual = stackalloc byte[Size];
        Digest(ChunkDigests(file), actual);
        return actual.SequenceEqual(file.Slice(FieldOffset, Size));
    }

    /// <summary>The concatenated chunk digests, computed on several cores when the file has a few chunks.</summary>
    private static unsafe byte[] ChunkDigests(ReadOnlySpan<byte> file)
    {
        int chunks = Math.Max(1, (file.Length + Chunk - 1) / Chunk);
        var digests = new byte[chunks * Size];
        if (chunks < 4 || Environment.ProcessorCount == 1)
        {
            for (int c = 0; c < chunks; c++) ChunkDigest(file, c, digests);
            return digests;
        }
        fixed (byte* start = file)
        {
            // Invariant: the pinned span outlives Parallel.For, which returns only when every chunk is done.
            nint address = (nint)start;
            int length = file.Length;
            Parallel.For(0, chunks, c => ChunkDigest(new ReadOnlySpan<byte>((void*)address, length), c, digests));
        }
        return digests;
    }

    private static void ChunkDigest(ReadOnlySpan<byte> file, int chunk, byte[] digests)
    {
        int start = chunk * Chunk;
        var bytes = file.Slice(start, Math.Min(Chunk, file.Length - start));
        var digest = digests.AsSpan(chunk * Size, Size);
        if (chunk != 0)
        {
            Digest(bytes, digest);
            return;
        }
        // The first chunk holds the checksum field: hash a copy of its first blocks with the field zeroed.
        Span<byte> head = stackalloc byte[FieldOffset + Block];
        int headLength = Math.Min(head.Length, bytes.Length);
        bytes[..headLength].CopyTo(head);
        head.Slice(FieldOffset, Math.Min(Size, Math.Max(0, headLength - FieldOffset))).Clear();
        Digest(head[..headLength], bytes[headLength..], digest);
    }

    private static void Digest(ReadOnlySpan<byte> bytes, Span<byte> digest) => Digest(bytes, [], digest);

    /// <summary>The digest of <paramref name="first"/> followed by <paramref name="rest"/>; <paramref name="first"/> is a whole number of blocks unless <paramref name="rest"/> is empty.</summary>
    private static void Digest(ReadOnlySpan<byte> first, ReadOnlySpan<byte> rest, Span<byte> digest)
    {
        uint a = ~0u, b = ~0u, c = ~0u, d = ~0u;
        int tail = Blocks(first, ref a, ref b, ref c, ref d);
        if (!rest.IsEmpty) tail = Blocks(rest, ref a, ref b, ref c, ref d);
        var last = rest.IsEmpty ? first : rest;
        for (int i = last.Length - tail; i < last.Length; i++) a = BitOperations.Crc32C(a, last[i]);
        BinaryPrimitives.WriteUInt32LittleEndian(digest, ~a);
        BinaryPrimitives.WriteUInt32LittleEndian(digest[4..], ~b);
        BinaryPrimitives.WriteUInt32LittleEndian(digest[8..], ~c);
        BinaryPrimitives.WriteUInt32LittleEndian(digest[12..], ~d);
    }

    /// <summary>Feeds every whole block of <paramref name="bytes"/>; returns how many bytes are left over.</summary>
    private static int Blocks(ReadOnlySpan<byte> bytes, ref uint a, ref uint b, ref uint c, ref uint d)
    {
        ref byte p = ref MemoryMarshal.GetReference(bytes);
        int whole = bytes.Length & ~(Block - 1);
        for (int i = 0; i < whole; i += Block)
        {
            // Invariant: i + 32 <= bytes.Length, so the four 8-byte reads stay inside the span.
            a = BitOperations.Crc32C(a, Word(ref Unsafe.Add(ref p, i)));
            b = BitOperations.Crc32C(b, Word(ref Unsafe.Add(ref p, i + 8)));
            c = BitOperations.Crc32C(c, Word(ref Unsafe.Add(ref p, i + 16)));
            d = BitOperations.Crc32C(d, Word(ref Unsafe.Add(ref p, i + 24)));
        }
        return bytes.Length - whole;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Word(ref byte at)
    {
        ulong word = Unsafe.ReadUnaligned<ulong>(ref at);
        return BitConverter.IsLittleEndian ? word : BinaryPrimitives.ReverseEndianness(word);
    }
}
