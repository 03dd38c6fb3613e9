using Sharptime.Format;

namespace Sharptime.Artifacts.Sections;

/// <summary>
/// <c>.sharptime.types</c>: the module's function types in type-index order. u32 count; per type: u32 parameter
/// count, one byte per parameter (the value type's binary encoding), u32 result count, one byte per result.
/// </summary>
internal static class TypesSection
{
    public static byte[] Encode(IReadOnlyList<FuncType> types)
    {
        var w = new SectionWriter();
        w.U32((uint)types.Count);
        foreach (var type in types)
        {
            WriteTypes(w, type.Params);
            WriteTypes(w, type.Results);
        }
        return w.ToArray();
    }

    public static List<FuncType> Decode(ReadOnlySpan<byte> bytes)
    {
        var r = new SectionReader(bytes, ArtifactFormat.TypesSection);
        int n = r.Count(8, "type");
        var types = new List<FuncType>(n);
        for (int i = 0; i < n; i++)
        {
            var parameters = ReadTypes(ref r);
            types.Add(new FuncType(parameters, ReadTypes(ref r)));
        }
        r.ExpectEnd();
        return types;
    }

    private static void WriteTypes(SectionWriter w, ValType[] types)
    {
        w.U32((uint)types.Length);
        foreach (var t in types) w.U8((byte)t);
    }

    private static ValType[] ReadTypes(ref SectionReader r)
    {
        int n = r.Count(1, "value type");
        var types = n == 0 ? [] : new ValType[n];
        for (int i = 0; i < n; i++) types[i] = ReadValType(ref r);
        return types;
    }

    public static ValType ReadValType(ref SectionReader r)
    {
        byte b = r.U8();
        if (!ValTypes.IsDefined(b)) throw r.Invalid($"0x{b:x2} is not a value type");
        return (ValType)b;
    }
}
