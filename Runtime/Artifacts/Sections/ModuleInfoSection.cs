using Sharptime.Format;
using Sharptime.Validation;

namespace Sharptime.Artifacts.Sections;

/// <summary>
/// <c>.sharptime.module</c>: the decoded module minus its function bodies (compiled) and types (their own section).
/// Constant expressions and data payloads are copied into a trailing blob that becomes the loaded
/// <see cref="ModuleInfo.Bytes"/>, so they are read in place, without copying, from the mapped artifact.
/// </summary>
/// <remarks>
/// Encoding (all integers little-endian): u32 blob offset (from the section start), u32 blob length; imports (u32 count;
/// module string, name string, kind byte, then a u32 type index | table type | memory type | global type); defined
/// functions (u32 count; u32 type index, u32 body offset in the original module); defined tables (u32 count; table
/// type); defined memories (u32 count; memory type); defined globals (u32 count; global type, expression); exports
/// (u32 count; name, kind byte, u32 index); start (presence byte, u32 index); element segments (u32 count; mode byte,
/// u32 table index, value type byte, optional expression, item-kind byte 0 = function indices | 1 = expressions, u32
/// count, items); data segments (u32 count; mode byte, u32 memory index, optional expression, u32 payload offset and
/// length in the blob); then the blob. A table type is a value type byte and limits; a memory type is limits, shared
/// byte, 64-bit byte; a global type is a value type byte and a mutability byte; limits are u64 minimum, presence byte,
/// u64 maximum when present; an expression is u32 offset and u32 length in the blob; an optional one has a presence byte.
/// </remarks>
internal static class ModuleInfoSection
{
    /// <summary>Encodes <paramref name="module"/>; data segments for which <paramref name="omitPayload"/> holds get an empty payload.</summary>
    public static byte[] Encode(ModuleInfo module, Func<int, bool>? omitPayload = null)
    {
        var blob = new SectionWriter();
        var w = new SectionWriter(1024);
        w.U32(0);
        w.U32(0);

        void Expr(ConstExpr e)
        {
            w.U32((uint)blob.Length);
            w.U32((uint)e.Length);
            blob.Bytes(module.Bytes.Span.Slice(e.Offset, e.Length));
        }
        void OptionalExpr(ConstExpr? e)
        {
            w.Bool(e is not null);
            if (e is { } value) Expr(value);
        }

        w.U32((uint)module.Imports.Count);
        foreach (var import in module.Imports)
        {
            w.String(import.Module);
            w.String(import.Name);
            w.U8((byte)import.Kind);
            switch (import.Kind)
            {
                case ExternKind.Func: w.U32(import.FunctionTypeIndex); break;
                case ExternKind.Table: Table(w, import.Table); break;
                case ExternKind.Memory: Memory(w, import.Memory); break;
                default: Global(w, import.Global); break;
            }
        }

        int imported = module.ImportedFunctionCount;
        w.U32((uint)(module.FunctionTypeIndices.Count - imported));
        for (int i = imported; i < module.FunctionTypeIndices.Count; i++)
        {
            w.U32(module.FunctionTypeIndices[i]);
            w.I32(module.FunctionBodies[i - imported].Offset);
        }
        w.U32((uint)(module.Tables.Count - module.ImportedTableCount));
        for (int i = module.ImportedTableCount; i < module.Tables.Count; i++) Table(w, module.Tables[i]);
        w.U32((uint)(module.Memories.Count - module.ImportedMemoryCount));
        for (int i = module.ImportedMemoryCount; i < module.Memories.Count; i++) Memory(w, module.Memories[i]);
        w.U32((uint)(module.Globals.Count - module.ImportedGlobalCount));
        for (int i = module.ImportedGlobalCount; i < module.Globals.Count; i++)
        {
            Global(w, module.Globals[i].Type);
            Expr(module.Globals[i].Init!.Value);
        }

        w.U32((uint)module.Exports.Count);
        foreach (var export in module.Exports)
        {
            w.String(export.Name);
            w.U8((byte)export.Kind);
            w.U32(export.Index);
        }
        w.Bool(module.StartFunction is not null);
        if (module.StartFunction is { } start) w.U32(start);

        w.U32((uint)module.Elements.Count);
        foreach (var segment in module.Elements)
        {
            w.U8((byte)segment.Mode);
            w.U32(segment.TableIndex);
            w.U8((byte)segment.ElementType);
            OptionalExpr(segment.TableOffset);
            if (segment.FunctionIndices is { } indices)
            {
                w.U8(0);
                w.U32((uint)indices.Length);
                foreach (uint f in indices) w.U32(f);
            }
            else
            {
                w.U8(1);
                w.U32((uint)segment.Expressions!.Length);
                foreach (var e in segment.Expressions) Expr(e);
            }
        }

        w.U32((uint)module.Data.Count);
        for (int i = 0; i < module.Data.Count; i++)
        {
            var segment = module.Data[i];
            w.U8((byte)segment.Mode);
            w.U32(segment.MemoryIndex);
            OptionalExpr(segment.MemoryOffset);
            bool omit = omitPayload?.Invoke(i) == true;
            w.U32((uint)blob.Length);
            w.U32(omit ? 0u : (uint)segment.DataLength);
            if (!omit) blob.Bytes(module.Bytes.Span.Slice(segment.DataOffset, segment.DataLength));
        }

        int blobOffset = w.Length;
        w.Bytes(blob.ToArray());
        var bytes = w.ToArray();
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(bytes, blobOffset);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), blob.Length);
        return bytes;
    }

    /// <summary>
    /// Decodes the section into a module whose <see cref="ModuleInfo.Bytes"/> is the blob inside <paramref name="section"/>,
    /// then runs module-level validation on it, so indices, limits and expressions are as trustworthy as a decoded module's.
    /// </summary>
    public static ModuleInfo Decode(ReadOnlyMemory<byte> section, List<FuncType> types)
    {
        var r = new SectionReader(section.Span, ArtifactFormat.ModuleSection);
        int blobOffset = r.I32(), blobLength = r.I32();
        if (blobOffset < 8 || blobLength < 0 || (long)blobOffset + blobLength != section.Length)
            throw r.Invalid($"the blob ({blobOffset}, {blobLength} bytes) does not end the {section.Length}-byte section");
        var module = new ModuleInfo(section.Slice(blobOffset, blobLength));
        module.Types.AddRange(types);

        ConstExpr Expr(ref SectionReader r)
        {
            uint offset = r.U32(), length = r.U32();
            if (length == 0 || (ulong)offset + length > (ulong)blobLength) throw r.Invalid($"expression ({offset}, {length}) lies outside the blob");
            return new ConstExpr((int)offset, (int)length);
        }
        ConstExpr? OptionalExpr(ref SectionReader r) => r.Bool() ? Expr(ref r) : null;

        int importCount = r.Count(10, "import");
        for (int i = 0; i < importCount; i++)
        {
            string moduleName = r.String(), name = r.String();
            var kind = Kind(ref r);
            var import = kind switch
            {
                ExternKind.Func => new Import { Module = moduleName, Name = name, Kind = kind, FunctionTypeIndex = r.U32() },
                ExternKind.Table => new Import { Module = moduleName, Name = name, Kind = kind, Table = Table(ref r) },
                ExternKind.Memory => new Import { Module = moduleName, Name = name, Kind = kind, Memory = Memory(ref r) },
                _ => new Import { Module = moduleName, Name = name, Kind = kind, Global = Global(ref r) },
            };
            module.Imports.Add(import);
            switch (kind)
            {
                case ExternKind.Func:
                    module.FunctionTypeIndices.Add(import.FunctionTypeIndex);
                    module.FunctionOffsets.Add(0);
                    module.ImportedFunctionCount++;
                    break;
                case ExternKind.Table:
                    module.Tables.Add(import.Table);
                    module.TableOffsets.Add(0);
                    module.ImportedTableCount++;
                    break;
                case ExternKind.Memory:
                    module.Memories.Add(import.Memory);
                    module.MemoryOffsets.Add(0);
                    module.ImportedMemoryCount++;
                    break;
                default:
                    module.Globals.Add(new GlobalInfo(import.Global, null));
                    module.ImportedGlobalCount++;
                    break;
            }
        }

        int functionCount = r.Count(8, "function");
        for (int i = 0; i < functionCount; i++)
        {
            module.FunctionTypeIndices.Add(r.U32());
            module.FunctionOffsets.Add(0);
            module.FunctionBodies.Add(new FunctionBody(r.I32(), 0));
        }
        int tableCount = r.Count(10, "table");
        for (int i = 0; i < tableCount; i++)
        {
            module.Tables.Add(Table(ref r));
            module.TableOffsets.Add(0);
        }
        int memoryCount = r.Count(11, "memory");
        for (int i = 0; i < memoryCount; i++)
        {
            module.Memories.Add(Memory(ref r));
            module.MemoryOffsets.Add(0);
        }
        int globalCount = r.Count(10, "global");
        for (int i = 0; i < globalCount; i++)
        {
            var type = Global(ref r);
            module.Globals.Add(new GlobalInfo(type, Expr(ref r)));
        }

        int exportCount = r.Count(9, "export");
        for (int i = 0; i < exportCount; i++)
        {
            string name = r.String();
            var kind = Kind(ref r);
            module.Exports.Add(new Export(name, kind, r.U32(), 0));
        }
        if (r.Bool()) module.StartFunction = r.U32();

        int elementCount = r.Count(12, "element segment");
        for (int i = 0; i < elementCount; i++)
        {
            var mode = Mode(ref r);
            uint table = r.U32();
            var elementType = TypesSection.ReadValType(ref r);
            var offset = OptionalExpr(ref r);
            if ((mode == SegmentMode.Active) != offset.HasValue) throw r.Invalid("only active element segments have an offset");
            byte items = r.U8();
            if (items > 1) throw r.Invalid($"element item kind {items} is unknown");
            int n = r.Count(items == 0 ? 4 : 8, "element");
            uint[]? indices = null;
            ConstExpr[]? expressions = null;
            if (items == 0)
            {
                indices = new uint[n];
                for (int j = 0; j < n; j++) indices[j] = r.U32();
            }
            else
            {
                expressions = new ConstExpr[n];
                for (int j = 0; j < n; j++) expressions[j] = Expr(ref r);
            }
            module.Elements.Add(new ElementSegment
            {
                Mode = mode, TableIndex = table, ElementType = elementType, TableOffset = offset,
                FunctionIndices = indices, Expressions = expressions,
            });
        }

        int dataCount = r.Count(14, "data segment");
        for (int i = 0; i < dataCount; i++)
        {
            var mode = Mode(ref r);
            if (mode == SegmentMode.Declarative) throw r.Invalid("a data segment cannot be declarative");
            uint memory = r.U32();
            var offset = OptionalExpr(ref r);
            if ((mode == SegmentMode.Active) != offset.HasValue) throw r.Invalid("only active data segments have an offset");
            uint payload = r.U32(), length = r.U32();
            if ((ulong)payload + length > (ulong)blobLength) throw r.Invalid($"data segment {i} lies outside the blob");
            module.Data.Add(new DataSegment { Mode = mode, MemoryIndex = memory, MemoryOffset = offset, DataOffset = (int)payload, DataLength = (int)length });
        }
        module.DataCount = (uint)dataCount;
        if (r.Position != blobOffset) throw r.Invalid($"the entries end at byte {r.Position}, not where the blob starts ({blobOffset})");

        try
        {
            ModuleValidator.ValidateModuleLevel(module);
        }
        catch (WasmException e)
        {
            throw new InvalidArtifactException($"section {ArtifactFormat.ModuleSection}: the module it describes is not valid ({e.Message})");
        }
        return module;
    }

    private static void Limits(SectionWriter w, Limits limits)
    {
        w.U64(limits.Min);
        w.Bool(limits.Max is not null);
        if (limits.Max is { } max) w.U64(max);
    }

    private static Limits Limits(ref SectionReader r)
    {
        ulong min = r.U64();
        return new Limits(min, r.Bool() ? r.U64() : null);
    }

    private static void Table(SectionWriter w, WasmTableType t)
    {
        w.U8((byte)t.ElementType);
        Limits(w, t.Limits);
    }

    private static WasmTableType Table(ref SectionReader r)
    {
        var type = TypesSection.ReadValType(ref r);
        if (!type.IsReference()) throw r.Invalid($"a table of {type.Name()}");
        return new WasmTableType(type, Limits(ref r));
    }

    private static void Memory(SectionWriter w, WasmMemoryType m)
    {
        Limits(w, m.Limits);
        w.Bool(m.Shared);
        w.Bool(m.Is64);
    }

    private static WasmMemoryType Memory(ref SectionReader r)
    {
        var limits = Limits(ref r);
        bool shared = r.Bool(), is64 = r.Bool();
        if (shared || is64) throw r.Invalid("shared and 64-bit memories are not supported");
        return new WasmMemoryType(limits, shared, is64);
    }

    private static void Global(SectionWriter w, WasmGlobalType g)
    {
        w.U8((byte)g.Type);
        w.Bool(g.Mutable);
    }

    private static WasmGlobalType Global(ref SectionReader r)
    {
        var type = TypesSection.ReadValType(ref r);
        return new WasmGlobalType(type, r.Bool());
    }

    private static ExternKind Kind(ref SectionReader r)
    {
        byte b = r.U8();
        if (b > (byte)ExternKind.Global) throw r.Invalid($"extern kind {b} is unknown");
        return (ExternKind)b;
    }

    private static SegmentMode Mode(ref SectionReader r)
    {
        byte b = r.U8();
        if (b > (byte)SegmentMode.Declarative) throw r.Invalid($"segment mode {b} is unknown");
        return (SegmentMode)b;
    }
}
