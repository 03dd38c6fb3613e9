using System.Buffers.Binary;
using Sharptime.Vm;

namespace Sharptime;

/// <summary>A WebAssembly linear memory, in pages of 64 KiB. Belongs to one store; its base address never moves.</summary>
public sealed unsafe class Memory
{
    internal Memory(Store store, LinearMemory memory)
    {
        // Guard-page code leaves accesses unchecked: every memory it can reach must have the full reservation.
        if (store.Engine.Config.GuardedMemoryReservation > 0 && !memory.IsGuarded)
            throw new InvalidOperationException("a memory of a guard-page store must be created with the guarded reservation");
        Store = store;
        Linear = memory;
        store.Own(memory);
        store.CountMemory();
    }

    /// <summary>
    /// Creates a memory of <paramref name="minimumPages"/> pages that may grow to <paramref name="maximumPages"/> (or 65536).
    /// The store's <see cref="Store.Limiter"/> is asked first, and the memory counts towards its <see cref="ResourceLimiter.Memories"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The limits are invalid.</exception>
    /// <exception cref="ResourceLimitExceededException">The store's limiter refused the memory.</exception>
    public Memory(Store store, long minimumPages, long? maximumPages = null)
        : this(CheckStore(store, minimumPages, maximumPages), new LinearMemory(
            minimumPages >= 0 ? (ulong)minimumPages : throw new ArgumentOutOfRangeException(nameof(minimumPages)),
            maximumPages is { } m ? (m >= 0 ? (ulong)m : throw new ArgumentOutOfRangeException(nameof(maximumPages))) : null,
            store.Engine.Config.GuardedMemoryReservation))
    {
    }

    private static Store CheckStore(Store store, long minimumPages, long? maximumPages)
    {
        ArgumentNullException.ThrowIfNull(store);
        store.ThrowIfDisposed();
        // Validate before asking the limiter, so it only ever sees sizes that could exist.
        if (minimumPages is < 0 or > (long)LinearMemory.MaxPages)
            throw new ArgumentOutOfRangeException(nameof(minimumPages), minimumPages, "a memory has between 0 and 65536 pages");
        if (maximumPages is { } max && (max < minimumPages || max > (long)LinearMemory.MaxPages))
            throw new ArgumentOutOfRangeException(nameof(maximumPages), maximumPages, "the maximum must be between the minimum and 65536 pages");
        store.CheckNewMemory((ulong)minimumPages, (ulong?)maximumPages);
        return store;
    }

    /// <summary>The store the memory belongs to.</summary>
    public Store Store { get; }

    internal LinearMemory Linear { get; }

    /// <summary>The minimum size in pages the memory was created with.</summary>
    public long Minimum => (long)Linear.Minimum;

    /// <summary>The maximum size in pages, or null when only the 65536-page limit applies.</summary>
    public long? Maximum => (long?)Linear.Maximum;

    /// <summary>The current size in pages.</summary>
    public long Size
    {
        get
        {
            Store.ThrowIfDisposed();
            return (long)Linear.Pages;
        }
    }

    /// <summary>The current size in bytes.</summary>
    public long Length
    {
        get
        {
            Store.ThrowIfDisposed();
            return (long)Linear.ByteLength;
        }
    }

    /// <summary>
    /// Grows the memory by <paramref name="deltaPages"/> pages (zero-filled), after asking the store's
    /// <see cref="Store.Limiter"/>; an exception the limiter throws propagates.
    /// </summary>
    /// <returns>The size in pages before growing.</returns>
    /// <exception cref="InvalidOperationException">The memory cannot grow that much, or the limiter refused.</exception>
    public long Grow(long deltaPages)
    {
        Store.ThrowIfDisposed();
        ArgumentOutOfRangeException.ThrowIfNegative(deltaPages);
        long old = Store.GrowMemory(Linear, (ulong)deltaPages, fromWasm: false);
        if (old < 0)
            throw new InvalidOperationException($"cannot grow memory of {Linear.Pages} pages by {deltaPages} pages (maximum {Maximum?.ToString() ?? "65536"}" +
                (Store.Limiter is { } limiter ? $", or refused by the store's limiter {limiter})" : ")"));
        return old;
    }

    /// <summary>
    /// The memory's bytes (at most the first 2 GiB - 1). The span is invalid once the store is disposed; it stays
    /// valid across growth but does not cover the new pages.
    /// </summary>
    public Span<byte> GetSpan()
    {
        Store.ThrowIfDisposed();
        return Linear.Span;
    }

    /// <summary><paramref name="length"/> bytes at <paramref name="address"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The range is not inside the memory.</exception>
    public Span<byte> GetSpan(long address, int length)
    {
        Check(address, length);
        return new Span<byte>((void*)(Linear.Base + (nint)address), length);
    }

    private void Check(long address, int length)
    {
        Store.ThrowIfDisposed();
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (address < 0 || (ulong)address + (ulong)length > Linear.ByteLength)
            throw new ArgumentOutOfRangeException(nameof(address), address, $"[{address}, {address}+{length}) is outside the memory of {Linear.ByteLength} bytes");
    }

    private ReadOnlySpan<byte> At(long address, int length)
    {
        Check(address, length);
        return new ReadOnlySpan<byte>((void*)(Linear.Base + (nint)address), length);
    }

    /// <summary>Reads the byte at <paramref name="address"/>.</summary>
    public byte ReadByte(long address) => At(address, 1)[0];
    /// <summary>Reads a little-endian 16-bit integer.</summary>
    public short ReadInt16(long address) => BinaryPrimitives.ReadInt16LittleEndian(At(address, 2));
    /// <summary>Reads a little-endian 32-bit integer.</summary>
    public int ReadInt32(long address) => BinaryPrimitives.ReadInt32LittleEndian(At(address, 4));
    /// <summary>Reads a little-endian 64-bit integer.</summary>
    public long ReadInt64(long address) => BinaryPrimitives.ReadInt64LittleEndian(At(address, 8));
    /// <summary>Reads a little-endian 32-bit float.</summary>
    public float ReadSingle(long address) => BinaryPrimitives.ReadSingleLittleEndian(At(address, 4));
    /// <summary>Reads a little-endian 64-bit float.</summary>
    public double ReadDouble(long address) => BinaryPrimitives.ReadDoubleLittleEndian(At(address, 8));

    /// <summary>Writes the byte at <paramref name="address"/>.</summary>
    public void WriteByte(long address, byte value) => GetSpan(address, 1)[0] = value;
    /// <summary>Writes a little-endian 16-bit integer.</summary>
    public void WriteInt16(long address, short value) => BinaryPrimitives.WriteInt16LittleEndian(GetSpan(address, 2), value);
    /// <summary>Writes a little-endian 32-bit integer.</summary>
    public void WriteInt32(long address, int value) => BinaryPrimitives.WriteInt32LittleEndian(GetSpan(address, 4), value);
    /// <summary>Writes a little-endian 64-bit integer.</summary>
    public void WriteInt64(long address, long value) => BinaryPrimitives.WriteInt64LittleEndian(GetSpan(address, 8), value);
    /// <summary>Writes a little-endian 32-bit float.</summary>
    public void WriteSingle(long address, float value) => BinaryPrimitives.WriteSingleLittleEndian(GetSpan(address, 4), value);
    /// <summary>Writes a little-endian 64-bit float.</summary>
    public void WriteDouble(long address, double value) => BinaryPrimitives.WriteDoubleLittleEndian(GetSpan(address, 8), value);

    /// <summary>Reads <paramref name="length"/> bytes at <paramref name="address"/> as UTF-8.</summary>
    public string ReadString(long address, int length) => System.Text.Encoding.UTF8.GetString(At(address, length));

    /// <summary>Writes <paramref name="value"/> as UTF-8 at <paramref name="address"/>; returns the number of bytes written.</summary>
    public int WriteString(long address, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        int n = System.Text.Encoding.UTF8.GetByteCount(value);
        return System.Text.Encoding.UTF8.GetBytes(value, GetSpan(address, n));
    }

    /// <summary>The memory type in WAT notation, e.g. <c>(memory 1 2)</c>.</summary>
    public override string ToString() => $"(memory {Minimum}{(Maximum is { } m ? $" {m}" : "")})";
}
