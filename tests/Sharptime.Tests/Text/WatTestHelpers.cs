using Sharptime.Text;

namespace Sharptime.Tests.Text;

/// <summary>Small binary-format reader for checking the encoder's output in tests.</summary>
internal static class WatTestHelpers
{
    public static byte[] Encode(string text) => Wat.ToBinary(text, "test.wat");

    /// <summary>The content of the first section with this id (for custom sections, the whole content incl. name).</summary>
    public static byte[]? Section(byte[] module, byte id)
    {
        int p = 8;
        while (p < module.Length)
        {
            byte sid = module[p++];
            uint size = U32(module, ref p);
            if (sid == id) return module.AsSpan(p, (int)size).ToArray();
            p += (int)size;
        }
        return null;
    }

    public static uint U32(byte[] b, ref int p)
    {
        uint result = 0;
        int shift = 0;
        while (true)
        {
            byte x = b[p++];
            result |= (uint)(x & 0x7F) << shift;
            if ((x & 0x80) == 0) return result;
            shift += 7;
        }
    }

    /// <summary>The instruction bytes of function body <paramref name="index"/> (locals skipped, final end included).</summary>
    public static byte[] Body(byte[] module, int index = 0)
    {
        var code = Section(module, 10) ?? throw new InvalidOperationException("no code section");
        int p = 0;
        uint count = U32(code, ref p);
        for (int i = 0; i < count; i++)
        {
            uint size = U32(code, ref p);
            int end = p + (int)size;
            if (i == index)
            {
                uint groups = U32(code, ref p);
                for (int g = 0; g < groups; g++)
                {
                    U32(code, ref p);
                    p++;
                }
                return code.AsSpan(p, end - p).ToArray();
            }
            p = end;
        }
        throw new InvalidOperationException("no such body");
    }

    public static MalformedModuleException Malformed(string text) =>
        Assert.Throws<MalformedModuleException>(() => Wat.ToBinary(text));

    /// <summary>The module without its custom sections, to compare encodings that differ only in names.</summary>
    public static byte[] StripCustom(byte[] module)
    {
        var result = new List<byte>(module.AsSpan(0, 8).ToArray());
        int p = 8;
        while (p < module.Length)
        {
            int start = p;
            byte sid = module[p++];
            uint size = U32(module, ref p);
            p += (int)size;
            if (sid != 0) result.AddRange(module.AsSpan(start, p - start).ToArray());
        }
        return result.ToArray();
    }
}
