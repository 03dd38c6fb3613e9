namespace Sharptime.Format;

/// <summary>
/// Decodes the <c>name</c> custom section. Custom section contents never make a module malformed, so any
/// decoding error here just discards the names.
/// </summary>
internal static class NameSectionReader
{
    private const byte ModuleNameId = 0;
    private const byte FunctionNamesId = 1;
    private const byte LocalNamesId = 2;

    public static void Read(ModuleInfo module, ReadOnlySpan<byte> payload, int payloadOffset)
    {
        var names = module.Names;
        // A second name section is ignored rather than merged: the first one wins, as in other engines.
        if (names.ModuleName is not null || names.FunctionNames.Count != 0 || names.LocalNames.Count != 0) return;
        try
        {
            var reader = new WasmReader(payload, payloadOffset, bounded: true);
            int lastId = -1;
            while (!reader.IsAtEnd)
            {
                byte id = reader.ReadByte();
                // Subsections appear at most once each, in increasing id order.
                if (id <= lastId) reader.ThrowHere("out-of-order name subsection");
                lastId = id;
                int size = reader.ReadLength();
                int start = reader.Offset;
                var sub = new WasmReader(reader.ReadBytes(size), start, bounded: true);
                switch (id)
                {
                    case ModuleNameId:
                        names.ModuleName = sub.ReadName();
                        break;
                    case FunctionNamesId:
                        ReadNameMap(ref sub, names.FunctionNames);
                        break;
                    case LocalNamesId:
                        ReadIndirectNameMap(ref sub, names.LocalNames);
                        break;
                    default:
                        // Subsections of later proposals (labels, types, tables, ...) are not used yet.
                        sub.Skip(sub.Remaining);
                        break;
                }
                if (!sub.IsAtEnd) sub.ThrowHere("name subsection size mismatch");
            }
        }
        catch (MalformedModuleException)
        {
            names.ModuleName = null;
            names.FunctionNames.Clear();
            names.LocalNames.Clear();
        }
    }

    private delegate T EntryReader<T>(ref WasmReader reader);

    private static void ReadNameMap(ref WasmReader reader, Dictionary<uint, string> map) =>
        ReadIndexMap(ref reader, map, static (ref WasmReader r) => r.ReadName());

    private static void ReadIndirectNameMap(ref WasmReader reader, Dictionary<uint, Dictionary<uint, string>> map) =>
        ReadIndexMap(ref reader, map, static (ref WasmReader r) =>
        {
            var inner = new Dictionary<uint, string>();
            ReadNameMap(ref r, inner);
            return inner;
        });

    /// <summary>A vector of (index, entry) pairs, sorted by index without duplicates.</summary>
    private static void ReadIndexMap<T>(ref WasmReader reader, Dictionary<uint, T> map, EntryReader<T> readEntry)
    {
        int count = reader.ReadLength(2);
        long previous = -1;
        for (int i = 0; i < count; i++)
        {
            uint index = reader.ReadVarU32();
            if (index <= previous) reader.ThrowHere("name map indices out of order");
            previous = index;
            map[index] = readEntry(ref reader);
        }
    }
}
