using System.Buffers.Binary;

namespace Sharptime.Artifacts.Sections;

/// <summary>
/// Reads what <see cref="SectionWriter"/> wrote. Every read is bounds-checked: running past the section, a count that
/// cannot fit, or invalid UTF-8 raises <see cref="InvalidArtifactException"/> naming the section.
/// </summary>
internal ref struct SectionReader(ReadOnlySpan<byte> bytes, string section)
{
    private readonly ReadOnlySpan<byte> _bytes = bytes;
    private readonly string _section = section;
    private int _position;

    public readonly int Position => _position;
    public readonly int Remaining => _bytes.Length - _position;

    public byte U8() => Take(1)[0];
    public uint U32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));
    public int I32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));
    public ulong U64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));

    public bool Bool() => U8() switch
    {
        0 => false,
        1 => true,
        var b => throw Invalid($"expected a boolean byte, found {b}"),
    };

    /// <summary>A non-negative int below <paramref name="limit"/> (exclusive).</summary>
    public int Index(int limit, string what)
    {
        uint v = U32();
        if (v >= (uint)limit) throw Invalid($"{what} {v} is out of range (there are {limit})");
        return (int)v;
    }

    /// <summary>A count of items each at least <paramref name="minItemSize"/> bytes long, checked against the bytes left.</summary>
    public int Count(int minItemSize, string what)
    {
        uint n = U32();
        if ((ulong)n * (ulong)Math.Max(minItemSize, 1) > (ulong)Remaining)
            throw Invalid($"{what} count {n} does not fit in the {Remaining} bytes left");
        return (int)n;
    }

    public string String()
    {
        int n = Count(1, "string length");
        var bytes = Take(n);
        try
        {
            return new System.Text.UTF8Encoding(false, true).GetString(bytes);
        }
        catch (System.Text.DecoderFallbackException)
        {
            throw Invalid("a string is not valid UTF-8");
        }
    }

    public string? OptionalString() => Bool() ? String() : null;

    public ReadOnlySpan<byte> Bytes(int count) => Take(count);

    /// <summary>Fails unless every byte was read.</summary>
    public readonly void ExpectEnd()
    {
        if (Remaining != 0) throw Invalid($"{Remaining} unexpected bytes at the end");
    }

    public readonly InvalidArtifactException Invalid(string reason) => new($"section {_section}: {reason}");

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count < 0 || count > Remaining) throw Invalid($"truncated at byte {_position} (needed {count} more, {Remaining} left)");
        var span = _bytes.Slice(_position, count);
        _position += count;
        return span;
    }
}
