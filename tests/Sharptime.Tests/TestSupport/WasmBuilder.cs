namespace Sharptime.Tests.TestSupport;

/// <summary>Assembles binary modules from hand-written section contents.</summary>
internal sealed class WasmBuilder
{
    public const int HeaderSize = 8;

    private readonly List<byte> _bytes = [0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00];

    /// <summary>Offset the next appended byte will have.</summary>
    public int Position => _bytes.Count;

    /// <summary>Appends a section: id, LEB128 size, then the contents.</summary>
    public WasmBuilder Section(byte id, params object[] contents)
    {
        var body = Bytes(contents);
        _bytes.Add(id);
        _bytes.AddRange(U32((uint)body.Length));
        _bytes.AddRange(body);
        return this;
    }

    /// <summary>Appends bytes as they are (for broken framing).</summary>
    public WasmBuilder Raw(params object[] parts)
    {
        _bytes.AddRange(Bytes(parts));
        return this;
    }

    public byte[] Build() => [.. _bytes];

    /// <summary>
    /// Flattens parts into bytes: a byte or int is one byte, a byte[] is copied, a string becomes a name (length + UTF-8),
    /// a uint becomes its unsigned LEB128 encoding.
    /// </summary>
    public static byte[] Bytes(params object[] parts)
    {
        var list = new List<byte>();
        foreach (var part in parts)
        {
            switch (part)
            {
                case byte b: list.Add(b); break;
                case int i: list.Add(checked((byte)i)); break;
                case uint u: list.AddRange(U32(u)); break;
                case byte[] a: list.AddRange(a); break;
                case string s:
                    var utf8 = System.Text.Encoding.UTF8.GetBytes(s);
                    list.AddRange(U32((uint)utf8.Length));
                    list.AddRange(utf8);
                    break;
                default: throw new ArgumentException($"cannot encode {part.GetType()}");
            }
        }
        return [.. list];
    }

    /// <summary>A vector: LEB128 count, then the items.</summary>
    public static byte[] Vec(params object[] items)
    {
        var parts = new object[items.Length + 1];
        parts[0] = (uint)items.Length;
        Array.Copy(items, 0, parts, 1, items.Length);
        return Bytes(parts);
    }

    public static byte[] U32(uint value)
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

    /// <summary>Section ids.</summary>
    public static class Id
    {
        public const byte Custom = 0, Type = 1, Import = 2, Function = 3, Table = 4, Memory = 5, Global = 6,
            Export = 7, Start = 8, Element = 9, Code = 10, Data = 11, DataCount = 12;
    }

    /// <summary>Function type [] -> [].</summary>
    public static readonly byte[] VoidType = [0x60, 0x00, 0x00];

    /// <summary>A function body with no locals and just <c>end</c>.</summary>
    public static readonly byte[] EmptyBody = [0x02, 0x00, 0x0B];

    /// <summary><c>i32.const n; end</c> for small n.</summary>
    public static byte[] I32Const(int n) => [0x41, checked((byte)n), 0x0B];
}
