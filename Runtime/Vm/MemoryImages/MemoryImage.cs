namespace Sharptime.Vm.MemoryImages;

/// <summary>One data segment's bytes placed in an image: <see cref="Length"/> bytes of the module from <see cref="DataOffset"/>, at <see cref="ImageOffset"/>.</summary>
internal readonly record struct MemoryImagePiece(ulong ImageOffset, int DataOffset, int Length);

/// <summary>
/// The initial contents of one defined memory's page-aligned window, built from its active data segments: the bytes an
/// artifact stores (and a memfd holds) so that instantiation maps them copy-on-write instead of copying them.
/// </summary>
/// <remarks>
/// The bytes are not materialised: they are composed on demand from the module's data segments, applied in module order
/// so later segments overwrite earlier ones, and every byte no segment covers is zero.
/// </remarks>
internal sealed class MemoryImage
{
    private readonly ReadOnlyMemory<byte> _module;
    private readonly MemoryImagePiece[] _pieces;

    internal MemoryImage(int memoryIndex, ulong memoryOffset, ulong length, ReadOnlyMemory<byte> module, MemoryImagePiece[] pieces)
    {
        MemoryIndex = memoryIndex;
        MemoryOffset = memoryOffset;
        Length = length;
        _module = module;
        _pieces = pieces;
    }

    /// <summary>The memory's index in the module's memory index space (imports first; always a defined memory).</summary>
    public int MemoryIndex { get; }

    /// <summary>Where the image starts in the memory, in bytes; a multiple of the OS page size.</summary>
    public ulong MemoryOffset { get; }

    /// <summary>The image's size in bytes; a non-zero multiple of the OS page size, inside the memory's minimum size.</summary>
    public ulong Length { get; }

    /// <summary>The data segment pieces, in the order they are applied.</summary>
    public ReadOnlySpan<MemoryImagePiece> Pieces => _pieces;

    /// <summary>Writes the image bytes from <paramref name="imageOffset"/> into <paramref name="destination"/> (its whole length).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The window runs past the image's end.</exception>
    public void CopyTo(ulong imageOffset, Span<byte> destination)
    {
        if (imageOffset > Length || (ulong)destination.Length > Length - imageOffset)
            throw new ArgumentOutOfRangeException(nameof(imageOffset), imageOffset, "the window runs past the image's end");
        destination.Clear();
        var module = _module.Span;
        ulong windowEnd = imageOffset + (ulong)destination.Length;
        foreach (var piece in _pieces)
        {
            ulong start = Math.Max(piece.ImageOffset, imageOffset);
            ulong end = Math.Min(piece.ImageOffset + (ulong)piece.Length, windowEnd);
            if (start >= end) continue;
            module.Slice(piece.DataOffset + (int)(start - piece.ImageOffset), (int)(end - start))
                .CopyTo(destination.Slice((int)(start - imageOffset)));
        }
    }

    /// <summary>Writes the whole image into <paramref name="destination"/>, which must be exactly <see cref="Length"/> bytes.</summary>
    /// <exception cref="ArgumentException">The destination's length is not the image's.</exception>
    public void WriteTo(Span<byte> destination)
    {
        if ((ulong)destination.Length != Length)
            throw new ArgumentException($"the destination has {destination.Length} bytes, the image {Length}", nameof(destination));
        CopyTo(0, destination);
    }

    /// <summary>Writes the whole image (<see cref="Length"/> bytes) to <paramref name="stream"/> at its current position.</summary>
    public void WriteTo(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        // Composed a window at a time so a large image never needs one large buffer.
        var buffer = new byte[(int)Math.Min(Length, 1 << 20)];
        for (ulong at = 0; at < Length; at += (ulong)buffer.Length)
        {
            var window = buffer.AsSpan(0, (int)Math.Min((ulong)buffer.Length, Length - at));
            CopyTo(at, window);
            stream.Write(window);
        }
    }

    /// <summary>
    /// Writes the image into a file whose range [<paramref name="fileOffset"/>, +<see cref="Length"/>) already reads as zeros
    /// (a fresh, truncated file): only the segments are written, in order, so zero stretches stay holes.
    /// </summary>
    /// <returns>0, or the errno of the failed write.</returns>
    internal int WriteToZeroedFile(int fd, long fileOffset)
    {
        var module = _module.Span;
        foreach (var piece in _pieces)
        {
            int errno = NativeMethods.WriteAt(fd, module.Slice(piece.DataOffset, piece.Length), fileOffset + (long)piece.ImageOffset);
            if (errno != 0) return errno;
        }
        return 0;
    }
}
