namespace Sharptime.Tests.Vm.MemoryImages;

/// <summary>Builds binary modules with large data segments (too large to write as WAT strings).</summary>
internal static class DataModules
{
    /// <summary><c>(module (memory (export "mem") pages) (data (i32.const offset) bytes)...)</c>.</summary>
    public static byte[] WithData(uint pages, params (uint Offset, byte[] Bytes)[] segments)
    {
        var output = new MemoryStream();
        output.Write([0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00]);
        Section(output, 5, [0x01, 0x00, .. Leb(pages)]);
        Section(output, 7, [0x01, 0x03, (byte)'m', (byte)'e', (byte)'m', 0x02, 0x00]);
        var data = new MemoryStream();
        data.Write(Leb((uint)segments.Length));
        foreach (var (offset, bytes) in segments)
        {
            data.Write([0x00, 0x41, .. SignedLeb((int)offset), 0x0B]);
            data.Write(Leb((uint)bytes.Length));
            data.Write(bytes);
        }
        Section(output, 11, data.ToArray());
        return output.ToArray();
    }

    /// <summary>Deterministic non-zero-ish bytes.</summary>
    public static byte[] Pattern(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static void Section(MemoryStream output, byte id, byte[] body)
    {
        output.WriteByte(id);
        output.Write(Leb((uint)body.Length));
        output.Write(body);
    }

    private static byte[] Leb(uint value)
    {
        var list = new List<byte>();
        do
        {
            byte b = (byte)(value & 0x7F);
            value >>= 7;
            if (value != 0) b |= 0x80;
            list.Add(b);
        } while (value != 0);
        return [.. list];
    }

    private static byte[] SignedLeb(int value)
    {
        var list = new List<byte>();
        while (true)
        {
            byte b = (byte)(value & 0x7F);
            value >>= 7;
            bool done = (value == 0 && (b & 0x40) == 0) || (value == -1 && (b & 0x40) != 0);
            list.Add(done ? b : (byte)(b | 0x80));
            if (done) return [.. list];
        }
    }
}
