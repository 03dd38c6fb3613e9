using Sharptime.Compiler;

namespace Sharptime.Artifacts.Sections;

/// <summary>
/// <c>.sharptime.address_map</c>, compact because it is as long as the code is: u32 entry count, then per entry the
/// code-offset delta from the previous entry (unsigned LEB128) and the wasm-offset delta (signed LEB128; out-of-line
/// trap stubs map back to earlier operators). Backtraces are rare, so loading keeps the bytes and decodes them on the
/// first lookup.
/// </summary>
internal static class AddressMapSection
{
    public static byte[] Encode(AddressMap map)
    {
        var code = map.CodeOffsets;
        var wasm = map.WasmOffsets;
        var bytes = new byte[4 + code.Length * 10];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(bytes, code.Length);
        int at = 4, previousCode = 0, previousWasm = 0;
        for (int i = 0; i < code.Length; i++)
        {
            at = WriteUnsigned(bytes, at, (uint)(code[i] - previousCode));
            at = WriteSigned(bytes, at, wasm[i] - previousWasm);
            previousCode = code[i];
            previousWasm = wasm[i];
        }
        return bytes.AsSpan(0, at).ToArray();
    }

    /// <summary>
    /// A map over <paramref name="section"/> that decodes on first use. The checksum has vouched for the bytes; should
    /// they still not decode (an artifact edited and re-sealed), lookups find nothing rather than failing a backtrace.
    /// </summary>
    public static AddressMap Decode(ReadOnlyMemory<byte> section)
    {
        var r = new SectionReader(section.Span, ArtifactFormat.AddressMapSection);
        int count = r.Count(2, "address map entry");
        return new AddressMap(count, () => DecodeEntries(section.Span[4..], count));
    }

    private static (int[] Code, int[] Wasm) DecodeEntries(ReadOnlySpan<byte> bytes, int count)
    {
        var code = new int[count];
        var wasm = new int[count];
        int at = 0;
        long previousCode = 0, previousWasm = 0;
        for (int i = 0; i < count; i++)
        {
            if (!TryReadUnsigned(bytes, ref at, out uint codeDelta) || !TryReadSigned(bytes, ref at, out int wasmDelta)) return ([], []);
            previousCode += codeDelta;
            previousWasm += wasmDelta;
            if (previousCode > int.MaxValue || previousWasm is < 0 or > int.MaxValue) return ([], []);
            code[i] = (int)previousCode;
            wasm[i] = (int)previousWasm;
        }
        return at == bytes.Length ? (code, wasm) : ([], []);
    }

    private static int WriteUnsigned(byte[] bytes, int at, uint value)
    {
        while (value >= 0x80)
        {
            bytes[at++] = (byte)(value | 0x80);
            value >>= 7;
        }
        bytes[at++] = (byte)value;
        return at;
    }

    private static int WriteSigned(byte[] bytes, int at, int value)
    {
        while (true)
        {
            byte b = (byte)(value & 0x7F);
            value >>= 7;
            bool done = (value == 0 && (b & 0x40) == 0) || (value == -1 && (b & 0x40) != 0);
            bytes[at++] = done ? b : (byte)(b | 0x80);
            if (done) return at;
        }
    }

    private static bool TryReadUnsigned(ReadOnlySpan<byte> bytes, ref int at, out uint value)
    {
        value = 0;
        for (int shift = 0; shift < 35; shift += 7)
        {
            if (at >= bytes.Length) return false;
            byte b = bytes[at++];
            value |= (uint)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return true;
        }
        return false;
    }

    private static bool TryReadSigned(ReadOnlySpan<byte> bytes, ref int at, out int value)
    {
        value = 0;
        int shift = 0;
        while (shift < 35)
        {
            if (at >= bytes.Length) return false;
            byte b = bytes[at++];
            value |= (b & 0x7F) << shift;
            shift += 7;
            if ((b & 0x80) == 0)
            {
                if (shift < 32 && (b & 0x40) != 0) value |= -1 << shift;
                return true;
            }
        }
        return false;
    }
}
