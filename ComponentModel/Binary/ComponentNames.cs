using Sharptime.Format;

namespace Sharptime.ComponentModel.Binary;

/// <summary>
/// The component <c>name</c> section (the custom section <c>component-name</c>, Binary.md "Name Section"): the
/// component's own name and names for items of each sort (functions, instances, components, core items...).
/// </summary>
internal sealed class ComponentNames
{
    /// <summary>The custom section's name.</summary>
    public const string SectionName = "component-name";

    /// <summary>The component's name (subsection 0), when given.</summary>
    public string? ComponentName { get; private set; }

    /// <summary>Names by sort and index (subsection 1).</summary>
    public Dictionary<Sort, Dictionary<uint, string>> Sorts { get; } = [];

    /// <summary>The name given to item <paramref name="index"/> of <paramref name="sort"/>, or null.</summary>
    public string? Find(Sort sort, uint index) =>
        Sorts.TryGetValue(sort, out var names) && names.TryGetValue(index, out var name) ? name : null;

    /// <summary>
    /// Reads a name section payload. Like the core name section, a bad one must not reject the component, so this
    /// returns null instead of throwing; subsections of unknown ids are skipped.
    /// </summary>
    public static ComponentNames? TryRead(ReadOnlySpan<byte> payload)
    {
        try
        {
            return Read(payload);
        }
        catch (MalformedModuleException)
        {
            return null;
        }
    }

    private static ComponentNames? Read(ReadOnlySpan<byte> payload)
    {
        var names = new ComponentNames();
        var reader = new WasmReader(payload, 0, bounded: true);
        int lastId = -1;
        while (!reader.IsAtEnd)
        {
            byte id = reader.ReadByte();
            int size = reader.ReadLength();
            var sub = new WasmReader(reader.RemainingSpan[..size], 0, bounded: true);
            reader.Skip(size);
            // The component name comes first, at most once; sort subsections follow.
            if (id == 0)
            {
                if (lastId >= 0) return null;
                names.ComponentName = sub.ReadName();
            }
            else if (id == 1)
            {
                var sort = ReadSort(ref sub);
                if (sort is null || names.Sorts.ContainsKey(sort.Value)) return null;
                names.Sorts[sort.Value] = ReadNameMap(ref sub);
            }
            else
            {
                continue;
            }
            if (!sub.IsAtEnd) return null;
            lastId = id;
        }
        return names;
    }

    /// <summary>A <c>sort</c> as in Binary.md (0x00 followed by a core sort, or a component sort), or null when unknown.</summary>
    private static Sort? ReadSort(ref WasmReader reader)
    {
        byte b = reader.ReadByte();
        if (b == 0x00)
        {
            return reader.ReadByte() switch
            {
                0x00 => Sort.CoreFunc,
                0x01 => Sort.CoreTable,
                0x02 => Sort.CoreMemory,
                0x03 => Sort.CoreGlobal,
                0x04 => Sort.CoreTag,
                0x10 => Sort.CoreType,
                0x11 => Sort.CoreModule,
                0x12 => Sort.CoreInstance,
                _ => null,
            };
        }
        return b switch
        {
            0x01 => Sort.Func,
            0x02 => Sort.Value,
            0x03 => Sort.Type,
            0x04 => Sort.Component,
            0x05 => Sort.Instance,
            _ => null,
        };
    }

    private static Dictionary<uint, string> ReadNameMap(ref WasmReader reader)
    {
        int count = reader.ReadLength(minElementSize: 2);
        var map = new Dictionary<uint, string>(count);
        // The core name section requires increasing indices; a repeated index keeps its first name.
        for (int i = 0; i < count; i++)
        {
            uint index = reader.ReadVarU32();
            map.TryAdd(index, reader.ReadName());
        }
        return map;
    }
}
