namespace Sharptime.Tests.Shared;

/// <summary>Walks the section framing of a well-formed binary module (test inputs only: no error handling).</summary>
internal static class WasmSections
{
    /// <summary>Each section's id, and where it starts (at its id byte) and ends in the module.</summary>
    public static List<(byte Id, int Start, int End)> Enumerate(byte[] module)
    {
        var sections = new List<(byte, int, int)>();
        int pos = 8;
        while (pos < module.Length)
        {
            int start = pos;
            byte id = module[pos++];
            uint size = 0;
            for (int shift = 0; ; shift += 7)
            {
                byte b = module[pos++];
                size |= (uint)(b & 0x7F) << shift;
                if ((b & 0x80) == 0) break;
            }
            pos += (int)size;
            sections.Add((id, start, pos));
        }
        return sections;
    }

    /// <summary>The module without its custom sections (id 0), byte for byte otherwise.</summary>
    public static byte[] WithoutCustomSections(byte[] module)
    {
        var kept = new List<byte>(module.Length);
        kept.AddRange(module.AsSpan(0, 8).ToArray());
        foreach (var (id, start, end) in Enumerate(module))
        {
            if (id != 0) kept.AddRange(module.AsSpan(start, end - start).ToArray());
        }
        return [.. kept];
    }
}
