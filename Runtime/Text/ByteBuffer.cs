namespace Sharptime.Text;

/// <summary>A growable byte buffer with the binary format's LEB128 writers.</summary>
internal sealed class ByteBuffer
{
    private byte[] _buf;

    public ByteBuffer(int capacity = 64) => _buf = new byte[Math.Max(capacity, 16)];

    public int Length { get; private set; }

    public ReadOnlySpan<byte> Span => _buf.AsSpan(0, Length);

    public byte[] ToArray() => Span.ToArray();

    public void Clear() => Length = 0;

    private void Ensure(int extra)
    {
        if (Length + extra <= _buf.Length) return;
        int size = Math.Max(_buf.Length * 2, Length + extra);
        Array.Resize(ref _buf, size);
    }

    public void Byte(byte b)
    {
        Ensure(1);
        _buf[Length++] = b;
    }

    public void Bytes(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_buf.AsSpan(Length));
        Length += bytes.Length;
    }

    public void U32(uint v)
    {
        do
        {
            byte b = (byte)(v & 0x7F);
            v >>= 7;
            if (v != 0) b |= 0x80;
            Byte(b);
        } while (v != 0);
    }

    public void S64(long v)
    {
        while (true)
        {
            byte b = (byte)(v & 0x7F);
            v >>= 7;
            bool done = (v == 0 && (b & 0x40) == 0) || (v == -1 && (b & 0x40) != 0);
            if (!done) b |= 0x80;
            Byte(b);
            if (done) return;
        }
    }

    public void S32(int v) => S64(v);

    public void U32Fixed(uint v)
    {
        Ensure(4);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(_buf.AsSpan(Length), v);
        Length += 4;
    }

    public void U64Fixed(ulong v)
    {
        Ensure(8);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(_buf.AsSpan(Length), v);
        Length += 8;
    }

    /// <summary>A length-prefixed byte string (names, data).</summary>
    public void Vec(ReadOnlySpan<byte> bytes)
    {
        U32((uint)bytes.Length);
        Bytes(bytes);
    }

    /// <summary>Moves bytes [start, mid) behind [mid, Length): folded instructions emit their operator after their operands.</summary>
    public void RotateToEnd(int start, int mid)
    {
        int headLen = mid - start;
        if (headLen == 0 || mid == Length) return;
        byte[] tmp = System.Buffers.ArrayPool<byte>.Shared.Rent(headLen);
        _buf.AsSpan(start, headLen).CopyTo(tmp);
        _buf.AsSpan(mid, Length - mid).CopyTo(_buf.AsSpan(start));
        tmp.AsSpan(0, headLen).CopyTo(_buf.AsSpan(Length - headLen));
        System.Buffers.ArrayPool<byte>.Shared.Return(tmp);
    }
}
