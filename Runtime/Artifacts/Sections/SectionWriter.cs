using System.Buffers.Binary;
using System.Text;

namespace Sharptime.Artifacts.Sections;

/// <summary>Appends the little-endian fixed-width fields our artifact sections are made of.</summary>
internal sealed class SectionWriter(int capacity = 256)
{
    private byte[] _buffer = new byte[Math.Max(capacity, 16)];

    public int Length { get; private set; }

    public void U8(byte value) => Reserve(1)[0] = value;
    public void U32(uint value) => BinaryPrimitives.WriteUInt32LittleEndian(Reserve(4), value);
    public void I32(int value) => BinaryPrimitives.WriteInt32LittleEndian(Reserve(4), value);
    public void U64(ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(Reserve(8), value);
    public void Bool(bool value) => U8(value ? (byte)1 : (byte)0);

    /// <summary>A u32 byte count, then the UTF-8 bytes.</summary>
    public void String(string value)
    {
        int n = System.Text.Encoding.UTF8.GetByteCount(value);
        U32((uint)n);
        System.Text.Encoding.UTF8.GetBytes(value, Reserve(n));
    }

    /// <summary>A presence byte, then the string when present.</summary>
    public void OptionalString(string? value)
    {
        Bool(value is not null);
        if (value is not null) String(value);
    }

    public void Bytes(ReadOnlySpan<byte> bytes) => bytes.CopyTo(Reserve(bytes.Length));

    /// <summary>Each value as a u32, without a count.</summary>
    public void Int32s(ReadOnlySpan<int> values)
    {
        var span = Reserve(values.Length * 4);
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteInt32LittleEndian(span[(i * 4)..], values[i]);
    }

    public byte[] ToArray() => _buffer.AsSpan(0, Length).ToArray();

    private Span<byte> Reserve(int count)
    {
        if (Length + count > _buffer.Length) Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, Length + count));
        var span = _buffer.AsSpan(Length, count);
        Length += count;
        return span;
    }
}
