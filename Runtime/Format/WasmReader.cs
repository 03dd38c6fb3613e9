using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text;
using System.Text.Unicode;

namespace Sharptime.Format;

/// <summary>
/// Bounds-checked reader of the WebAssembly binary primitives over a span of module bytes.
/// Every failure throws <see cref="MalformedModuleException"/> carrying the absolute byte offset,
/// so callers never see IndexOutOfRange/Overflow exceptions whatever the input.
/// </summary>
/// <remarks>
/// The span is usually a slice of the module (a section, a function body); <c>baseOffset</c> is the absolute
/// offset of its first byte so errors point into the whole module.
/// </remarks>
internal ref struct WasmReader
{
    private readonly ReadOnlySpan<byte> _data;
    private readonly int _baseOffset;
    private readonly bool _bounded;
    private int _pos;

    /// <summary>Creates a reader over a span of module bytes.</summary>
    /// <param name="data">The bytes to read.</param>
    /// <param name="baseOffset">Absolute offset in the module of <paramref name="data"/>'s first byte.</param>
    /// <param name="bounded">
    /// True when the span is a section or function body, so running out of bytes means the content overran its declared size
    /// ("unexpected end of section or function") rather than the end of the module ("unexpected end").
    /// </param>
    public WasmReader(ReadOnlySpan<byte> data, int baseOffset = 0, bool bounded = false)
    {
        _data = data;
        _baseOffset = baseOffset;
        _bounded = bounded;
        _pos = 0;
    }

    /// <summary>Position relative to the start of the span.</summary>
    public int Position
    {
        readonly get => _pos;
        set
        {
            if ((uint)value > (uint)_data.Length) ThrowEnd(_baseOffset + _data.Length);
            _pos = value;
        }
    }

    /// <summary>Absolute offset in the module of the next byte.</summary>
    public readonly int Offset => _baseOffset + _pos;

    /// <summary>Absolute offset in the module of the span's first byte.</summary>
    public readonly int BaseOffset => _baseOffset;

    /// <summary>The whole span (for readers that keep their position in a local and write it back through <see cref="Position"/>).</summary>
    public readonly ReadOnlySpan<byte> Data => _data;

    /// <summary>Length of the whole span.</summary>
    public readonly int Length => _data.Length;

    public readonly bool IsAtEnd => _pos >= _data.Length;

    public readonly int Remaining => _data.Length - _pos;

    /// <summary>The bytes not yet read.</summary>
    public readonly ReadOnlySpan<byte> RemainingSpan => _data.Slice(_pos);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public byte ReadByte()
    {
        // Load before storing _pos: a store through this (or any byref) would make the JIT reload and recheck the span.
        int pos = _pos;
        var data = _data;
        if ((uint)pos >= (uint)data.Length) ThrowEnd(_baseOffset + pos);
        byte b = data[pos];
        _pos = pos + 1;
        return b;
    }

    /// <summary>The next byte without consuming it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly byte PeekByte()
    {
        int pos = _pos;
        var data = _data;
        if ((uint)pos >= (uint)data.Length) ThrowEnd(_baseOffset + pos);
        return data[pos];
    }

    /// <summary>Reads <paramref name="count"/> raw bytes.</summary>
    public ReadOnlySpan<byte> ReadBytes(int count)
    {
        if (count < 0 || count > _data.Length - _pos) ThrowEnd(_baseOffset + _data.Length);
        var span = _data.Slice(_pos, count);
        _pos += count;
        return span;
    }

    public void Skip(int count) => ReadBytes(count);

    /// <summary>Reads an unsigned LEB128 integer of at most 32 bits (at most 5 bytes).</summary>
    /// <remarks>Inlined: the one-byte form (values below 128) is by far the most common; longer ones take the slow path.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint ReadVarU32()
    {
        int b = TryReadOneByteLeb();
        return b >= 0 ? (uint)b : ReadVarU32Slow();
    }

    /// <summary>
    /// The fast path of the LEB128 readers: when the next byte is a whole LEB128 (no continuation bit), consumes and
    /// returns it (0 to 127); otherwise (a longer encoding or no bytes left) returns -1 and consumes nothing.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int TryReadOneByteLeb()
    {
        int pos = _pos;
        var data = _data;
        if ((uint)pos < (uint)data.Length)
        {
            byte b = data[pos];
            if (b < 0x80)
            {
                _pos = pos + 1;
                return b;
            }
        }
        return -1;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private uint ReadVarU32Slow() => (uint)ReadUnsigned(32);

    /// <summary>Reads an unsigned LEB128 integer of at most 64 bits (at most 10 bytes).</summary>
    public ulong ReadVarU64() => ReadUnsigned(64);

    // Inlined into each caller so that bits, and all derived from it, are constants.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ulong ReadUnsigned(int bits)
    {
        // The last permitted byte holds (bits - lastShift) value bits; the bits above them must be zero.
        int lastShift = (bits - 1) / 7 * 7;
        int unusedMask = (0x7F << (bits - lastShift)) & 0x7F;
        ulong result = 0;
        for (int shift = 0; ; shift += 7)
        {
            int at = _baseOffset + _pos;
            byte b = ReadByte();
            if (shift == lastShift)
            {
                if ((b & unusedMask) != 0) ThrowMalformed("integer too large", at);
                if ((b & 0x80) != 0) ThrowMalformed("integer representation too long", at);
                return result | ((ulong)b << shift);
            }
            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return result;
        }
    }

    /// <summary>Reads a signed LEB128 integer of at most 32 bits (at most 5 bytes).</summary>
    /// <remarks>Inlined: the one-byte form (-64 to 63) is by far the most common; longer ones take the slow path.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int ReadVarS32()
    {
        int b = TryReadOneByteLeb();
        return b >= 0 ? (b << 25) >> 25 : ReadVarS32Slow(); // sign-extend from bit 6
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private int ReadVarS32Slow() => (int)ReadSigned(32);

    /// <summary>Reads a signed LEB128 integer of at most 33 bits (block type indices).</summary>
    public long ReadVarS33() => ReadSigned(33);

    /// <summary>Reads a signed LEB128 integer of at most 64 bits (at most 10 bytes).</summary>
    public long ReadVarS64() => ReadSigned(64);

    // Inlined into each caller so that bits, and all derived from it, are constants.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private long ReadSigned(int bits)
    {
        // The last permitted byte holds (bits - 7 * (maxBytes - 1)) value bits; its remaining
        // bits must all repeat the sign bit, else the value does not fit.
        int lastShift = (bits - 1) / 7 * 7;
        int lastBits = bits - lastShift;
        int unusedMask = (-1 << (lastBits - 1)) & 0x7F; // sign bit and the bits above it
        long result = 0;
        for (int shift = 0; ; shift += 7)
        {
            int at = _baseOffset + _pos;
            byte b = ReadByte();
            if (shift == lastShift)
            {
                int high = b & unusedMask;
                if (high != 0 && high != unusedMask) ThrowMalformed("integer too large", at);
                if ((b & 0x80) != 0) ThrowMalformed("integer representation too long", at);
                result |= (long)(b & 0x7F) << shift;
                int unused = 64 - (shift + 7);
                return unused > 0 ? (result << unused) >> unused : result;
            }
            result |= (long)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                int unused = 64 - (shift + 7);
                return (result << unused) >> unused;
            }
        }
    }

    /// <summary>Reads the little-endian bit pattern of an f32.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint ReadF32Bits()
    {
        uint bits = Unsafe.ReadUnaligned<uint>(ref ReadFixed(sizeof(uint)));
        return BitConverter.IsLittleEndian ? bits : BinaryPrimitives.ReverseEndianness(bits);
    }

    /// <summary>Reads the little-endian bit pattern of an f64.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong ReadF64Bits()
    {
        ulong bits = Unsafe.ReadUnaligned<ulong>(ref ReadFixed(sizeof(ulong)));
        return BitConverter.IsLittleEndian ? bits : BinaryPrimitives.ReverseEndianness(bits);
    }

    /// <summary>Reads 16 raw bytes (a v128 constant or shuffle lanes), in order.</summary>
    public Vector128<byte> ReadV128() => Vector128.LoadUnsafe(ref ReadFixed(16));

    /// <summary>
    /// Consumes <paramref name="count"/> (a small constant) bytes and returns a reference to the first, with the same
    /// bounds check and error as <see cref="ReadBytes"/> but without building a span.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref byte ReadFixed(int count)
    {
        int pos = _pos;
        var data = _data;
        // pos never exceeds data.Length, so the subtraction cannot overflow.
        if (data.Length - pos < count) ThrowEnd(_baseOffset + data.Length);
        _pos = pos + count;
        return ref Unsafe.Add(ref MemoryMarshal.GetReference(data), pos);
    }

    /// <summary>
    /// Reads a vector length (u32) that must be possible given the bytes left: each element takes at least
    /// <paramref name="minElementSize"/> bytes, so a huge count fails here before anything is allocated.
    /// </summary>
    /// <remarks>
    /// In a bounded reader the content would run past its section or function ("unexpected end of section or function");
    /// at module level the length exceeds the module ("length out of bounds"). This is the spec interpreter's wording.
    /// </remarks>
    public int ReadLength(int minElementSize = 1)
    {
        int at = _baseOffset + _pos;
        uint n = ReadVarU32();
        if (n > (uint)(Remaining / Math.Max(minElementSize, 1)))
            ThrowMalformed(_bounded ? "unexpected end of section or function" : "length out of bounds", at);
        return (int)n;
    }

    /// <summary>Reads a byte vector: a u32 length, then that many bytes.</summary>
    public ReadOnlySpan<byte> ReadByteVector()
    {
        int length = ReadLength();
        return ReadBytes(length);
    }

    /// <summary>Reads a name: a byte vector that must be valid UTF-8.</summary>
    public string ReadName()
    {
        int at = _baseOffset + _pos;
        var bytes = ReadByteVector();
        // Utf8.IsValid rejects overlong forms, surrogates and code points above U+10FFFF, as the spec requires.
        if (!Utf8.IsValid(bytes)) ThrowMalformed("malformed UTF-8 encoding", at);
        return Encoding.UTF8.GetString(bytes);
    }

    /// <summary>Reads a value type byte.</summary>
    public ValType ReadValType()
    {
        int at = _baseOffset + _pos;
        byte b = ReadByte();
        if (!ValTypes.IsDefined(b)) ThrowMalformed("malformed value type", at);
        return (ValType)b;
    }

    /// <summary>Reads a reference type byte (funcref or externref).</summary>
    public ValType ReadRefType()
    {
        int at = _baseOffset + _pos;
        byte b = ReadByte();
        if (b is not ((byte)ValType.FuncRef or (byte)ValType.ExternRef)) ThrowMalformed("malformed reference type", at);
        return (ValType)b;
    }

    /// <summary>Throws a <see cref="MalformedModuleException"/> at the absolute offset <paramref name="offset"/>.</summary>
    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowMalformed(string reason, long offset) => throw new MalformedModuleException(reason, offset);

    /// <summary>Throws a <see cref="MalformedModuleException"/> at the current position.</summary>
    [DoesNotReturn]
    public readonly void ThrowHere(string reason) => ThrowMalformed(reason, _baseOffset + _pos);

    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    private readonly void ThrowEnd(long offset) =>
        throw new MalformedModuleException(_bounded ? "unexpected end of section or function" : "unexpected end", offset);
}
