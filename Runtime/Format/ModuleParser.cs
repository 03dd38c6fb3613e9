namespace Sharptime.Format;

/// <summary>
/// Decodes a WebAssembly 2.0 binary module into a <see cref="ModuleInfo"/>. Only decoding rules are checked here
/// (malformed input); validation rules are <c>Sharptime.Validation.ModuleValidator</c>'s. Function body operators are
/// not decoded: the body validator decodes them in its single pass.
/// </summary>
internal static class ModuleParser
{
    private const uint Magic = 0x6D736100; // "\0asm" read little-endian
    private const uint Version = 1;

    private const byte CustomSectionId = 0;
    private const byte TypeSectionId = 1;
    private const byte ImportSectionId = 2;
    private const byte FunctionSectionId = 3;
    private const byte TableSectionId = 4;
    private const byte MemorySectionId = 5;
    private const byte GlobalSectionId = 6;
    private const byte ExportSectionId = 7;
    private const byte StartSectionId = 8;
    private const byte ElementSectionId = 9;
    private const byte CodeSectionId = 10;
    private const byte DataSectionId = 11;
    private const byte DataCountSectionId = 12;

    // Position of each non-custom section in the required order; the data count section sits between element and code.
    private static ReadOnlySpan<byte> SectionRank => [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 10];

    /// <summary>Decodes <paramref name="bytes"/>; the returned module keeps a reference to them.</summary>
    /// <exception cref="MalformedModuleException">The bytes are not a well-formed WebAssembly 2.0 module.</exception>
    public static ModuleInfo Parse(ReadOnlyMemory<byte> bytes)
    {
        var module = new ModuleInfo(bytes);
        var span = bytes.Span;
        var reader = new WasmReader(span);
        ReadHeader(ref reader);

        int lastRank = 0;
        int functionSectionOffset = 0;
        int codeCount = 0, codeCountOffset = 0;
        int dataCount = 0, dataCountOffset = 0;
        while (!reader.IsAtEnd)
        {
            int idOffset = reader.Offset;
            byte id = reader.ReadByte();
            if (id > DataCountSectionId) WasmReader.ThrowMalformed("malformed section id", idOffset);
            int size = reader.ReadLength();
            int start = reader.Offset;
            var section = new WasmReader(span.Slice(start, size), start, bounded: true);

            if (id != CustomSectionId)
            {
                // Each known section at most once, in the fixed order; custom sections may go anywhere.
                int rank = SectionRank[id];
                if (rank <= lastRank) WasmReader.ThrowMalformed("unexpected content after last section", idOffset);
                lastRank = rank;
            }

            switch (id)
            {
                case CustomSectionId: ReadCustomSection(module, ref section); break;
                case TypeSectionId: ReadTypeSection(module, ref section); break;
                case ImportSectionId: ReadImportSection(module, ref section); break;
                case FunctionSectionId:
                    functionSectionOffset = idOffset;
                    ReadFunctionSection(module, ref section);
                    break;
                case TableSectionId: ReadTableSection(module, ref section); break;
                case MemorySectionId: ReadMemorySection(module, ref section); break;
                case GlobalSectionId: ReadGlobalSection(module, ref section); break;
                case ExportSectionId: ReadExportSection(module, ref section); break;
                case StartSectionId:
                    module.StartFunctionOffset = section.Offset;
                    module.StartFunction = section.ReadVarU32();
                    break;
                case ElementSectionId: ReadElementSection(module, ref section); break;
                case DataCountSectionId:
                    module.DataCountOffset = section.Offset;
                    module.DataCount = section.ReadVarU32();
                    break;
                case CodeSectionId:
                    codeCountOffset = section.Offset;
                    codeCount = ReadCodeSection(module, ref section);
                    break;
                case DataSectionId:
                    dataCountOffset = section.Offset;
                    dataCount = ReadDataSection(module, ref section);
                    break;
            }

            if (!section.IsAtEnd) WasmReader.ThrowMalformed("section size mismatch", section.Offset);
            reader.Skip(size);
        }

        // Checked once everything is decoded; a missing section counts as empty.
        int definedFunctions = module.FunctionTypeIndices.Count - module.ImportedFunctionCount;
        if (codeCount != definedFunctions)
        {
            WasmReader.ThrowMalformed("function and code section have inconsistent lengths",
                codeCountOffset != 0 ? codeCountOffset : functionSectionOffset);
        }
        if (module.DataCount is uint declared && declared != (uint)dataCount)
        {
            WasmReader.ThrowMalformed("data count and data section have inconsistent lengths",
                dataCountOffset != 0 ? dataCountOffset : module.DataCountOffset);
        }

        return module;
    }

    private static void ReadHeader(ref WasmReader reader)
    {
        // A file shorter than the magic is "unexpected end", as the spec interpreter reports it.
        uint magic = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(reader.ReadBytes(4));
        if (magic != Magic) WasmReader.ThrowMalformed("magic header not detected", 0);
        uint version = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(reader.ReadBytes(4));
        if (version != Version) WasmReader.ThrowMalformed("unknown binary version", 4);
    }

    private static void ReadCustomSection(ModuleInfo module, ref WasmReader section)
    {
        // The custom section's name is part of the framing: a bad name makes the module malformed.
        string name = section.ReadName();
        int dataOffset = section.Offset;
        var payload = section.ReadBytes(section.Remaining);
        module.CustomSections.Add(new CustomSection(name, dataOffset, payload.Length));
        if (name == "name") NameSectionReader.Read(module, payload, dataOffset);
    }

    private static void ReadTypeSection(ModuleInfo module, ref WasmReader section)
    {
        int count = section.ReadLength();
        for (int i = 0; i < count; i++)
        {
            int at = section.Offset;
            byte form = section.ReadByte();
            // The spec interpreter reads the form as a one-byte signed LEB128, hence its wording for 0x80 and up.
            if (form >= 0x80) WasmReader.ThrowMalformed("integer representation too long", at);
            if (form != 0x60) WasmReader.ThrowMalformed("malformed function type", at);
            var parameters = ReadValTypes(ref section);
            var results = ReadValTypes(ref section);
            module.Types.Add(new FuncType(parameters, results));
        }
    }

    private static ValType[] ReadValTypes(ref WasmReader section)
    {
        int count = section.ReadLength();
        if (count == 0) return [];
        var types = new ValType[count];
        for (int i = 0; i < types.Length; i++) types[i] = section.ReadValType();
        return types;
    }

    private static void ReadImportSection(ModuleInfo module, ref WasmReader section)
    {
        int count = section.ReadLength();
        for (int i = 0; i < count; i++)
        {
            int at = section.Offset;
            string moduleName = section.ReadName();
            string name = section.ReadName();
            int kindOffset = section.Offset;
            byte kind = section.ReadByte();
            switch (kind)
            {
                case (byte)ExternKind.Func:
                {
                    uint typeIndex = section.ReadVarU32();
                    module.Imports.Add(new Import { Module = moduleName, Name = name, Kind = ExternKind.Func, FunctionTypeIndex = typeIndex, Offset = at });
                    module.FunctionTypeIndices.Add(typeIndex);
                    module.FunctionOffsets.Add(at);
                    module.ImportedFunctionCount++;
                    break;
                }
                case (byte)ExternKind.Table:
                {
                    var table = ReadTableType(ref section);
                    module.Imports.Add(new Import { Module = moduleName, Name = name, Kind = ExternKind.Table, Table = table, Offset = at });
                    module.Tables.Add(table);
                    module.TableOffsets.Add(at);
                    module.ImportedTableCount++;
                    break;
                }
                case (byte)ExternKind.Memory:
                {
                    var memory = ReadMemoryType(ref section);
                    module.Imports.Add(new Import { Module = moduleName, Name = name, Kind = ExternKind.Memory, Memory = memory, Offset = at });
                    module.Memories.Add(memory);
                    module.MemoryOffsets.Add(at);
                    module.ImportedMemoryCount++;
                    break;
                }
                case (byte)ExternKind.Global:
                {
                    var global = ReadGlobalType(ref section);
                    module.Imports.Add(new Import { Module = moduleName, Name = name, Kind = ExternKind.Global, Global = global, Offset = at });
                    module.Globals.Add(new GlobalInfo(global, null) { Offset = at });
                    module.ImportedGlobalCount++;
                    break;
                }
                default:
                    WasmReader.ThrowMalformed("malformed import kind", kindOffset);
                    break;
            }
        }
    }

    private static void ReadFunctionSection(ModuleInfo module, ref WasmReader section)
    {
        int count = section.ReadLength();
        for (int i = 0; i < count; i++)
        {
            module.FunctionOffsets.Add(section.Offset);
            module.FunctionTypeIndices.Add(section.ReadVarU32());
        }
    }

    private static void ReadTableSection(ModuleInfo module, ref WasmReader section)
    {
        int count = section.ReadLength();
        for (int i = 0; i < count; i++)
        {
            module.TableOffsets.Add(section.Offset);
            module.Tables.Add(ReadTableType(ref section));
        }
    }

    private static void ReadMemorySection(ModuleInfo module, ref WasmReader section)
    {
        int count = section.ReadLength();
        for (int i = 0; i < count; i++)
        {
            module.MemoryOffsets.Add(section.Offset);
            module.Memories.Add(ReadMemoryType(ref section));
        }
    }

    private static void ReadGlobalSection(ModuleInfo module, ref WasmReader section)
    {
        int count = section.ReadLength();
        for (int i = 0; i < count; i++)
        {
            int at = section.Offset;
            var type = ReadGlobalType(ref section);
            var init = ReadConstExpr(ref section);
            module.Globals.Add(new GlobalInfo(type, init) { Offset = at });
        }
    }

    private static void ReadExportSection(ModuleInfo module, ref WasmReader section)
    {
        int count = section.ReadLength();
        for (int i = 0; i < count; i++)
        {
            int at = section.Offset;
            string name = section.ReadName();
            int kindOffset = section.Offset;
            byte kind = section.ReadByte();
            if (kind > (byte)ExternKind.Global) WasmReader.ThrowMalformed("malformed export kind", kindOffset);
            uint index = section.ReadVarU32();
            module.Exports.Add(new Export(name, (ExternKind)kind, index, at));
        }
    }

    private static void ReadElementSection(ModuleInfo module, ref WasmReader section)
    {
        int count = section.ReadLength();
        for (int i = 0; i < count; i++)
        {
            int at = section.Offset;
            uint flags = section.ReadVarU32();
            if (flags > 7) WasmReader.ThrowMalformed("malformed elements segment kind", at);

            // Bit 0: passive or declarative (else active); bit 1: explicit table index (active) or declarative;
            // bit 2: items are expressions with a reference type (else function indices with an element kind).
            bool notActive = (flags & 1) != 0;
            bool explicitOrDeclarative = (flags & 2) != 0;
            bool usesExpressions = (flags & 4) != 0;
            var mode = !notActive ? SegmentMode.Active : explicitOrDeclarative ? SegmentMode.Declarative : SegmentMode.Passive;

            uint tableIndex = 0;
            ConstExpr? offset = null;
            if (mode == SegmentMode.Active)
            {
                if (explicitOrDeclarative) tableIndex = section.ReadVarU32();
                offset = ReadConstExpr(ref section);
            }

            // Flags 0 and 4 imply funcref; the others spell out the element kind or reference type.
            var elementType = ValType.FuncRef;
            if (mode != SegmentMode.Active || explicitOrDeclarative)
            {
                if (usesExpressions)
                {
                    elementType = section.ReadRefType();
                }
                else
                {
                    int kindOffset = section.Offset;
                    if (section.ReadByte() != 0x00) WasmReader.ThrowMalformed("malformed element kind", kindOffset);
                }
            }

            uint[]? indices = null;
            ConstExpr[]? expressions = null;
            if (usesExpressions)
            {
                int n = section.ReadLength();
                expressions = n == 0 ? [] : new ConstExpr[n];
                for (int j = 0; j < n; j++) expressions[j] = ReadConstExpr(ref section);
            }
            else
            {
                int n = section.ReadLength();
                indices = n == 0 ? [] : new uint[n];
                for (int j = 0; j < n; j++) indices[j] = section.ReadVarU32();
            }

            module.Elements.Add(new ElementSegment
            {
                Mode = mode,
                TableIndex = tableIndex,
                TableOffset = offset,
                ElementType = elementType,
                FunctionIndices = indices,
                Expressions = expressions,
                Offset = at,
            });
        }
    }

    private static int ReadCodeSection(ModuleInfo module, ref WasmReader section)
    {
        int count = section.ReadLength();
        for (int i = 0; i < count; i++)
        {
            int size = section.ReadLength();
            int bodyOffset = section.Offset;
            var body = new WasmReader(section.ReadBytes(size), bodyOffset, bounded: true);

            // Local declarations are decoded here so an absurd count is rejected before anything sizes arrays by it.
            int declCount = OperatorReader.ReadLocalDeclarations(ref body, locals: null, out uint localCount);
            module.FunctionBodies.Add(new FunctionBody(bodyOffset, size)
            {
                CodeOffset = body.Offset,
                LocalCount = localCount,
                LocalDeclCount = declCount,
            });
        }
        return count;
    }

    private static int ReadDataSection(ModuleInfo module, ref WasmReader section)
    {
        int count = section.ReadLength();
        for (int i = 0; i < count; i++)
        {
            int at = section.Offset;
            uint flags = section.ReadVarU32();
            SegmentMode mode;
            uint memoryIndex = 0;
            ConstExpr? offset = null;
            switch (flags)
            {
                case 0:
                    mode = SegmentMode.Active;
                    offset = ReadConstExpr(ref section);
                    break;
                case 1:
                    mode = SegmentMode.Passive;
                    break;
                case 2:
                    mode = SegmentMode.Active;
                    memoryIndex = section.ReadVarU32();
                    offset = ReadConstExpr(ref section);
                    break;
                default:
                    WasmReader.ThrowMalformed("malformed data segment kind", at);
                    return 0;
            }
            int length = section.ReadLength();
            int dataOffset = section.Offset;
            section.Skip(length);
            module.Data.Add(new DataSegment
            {
                Mode = mode,
                MemoryIndex = memoryIndex,
                MemoryOffset = offset,
                DataOffset = dataOffset,
                DataLength = length,
                Offset = at,
            });
        }
        return count;
    }

    private static WasmTableType ReadTableType(ref WasmReader reader)
    {
        var elementType = reader.ReadRefType();
        return new WasmTableType(elementType, ReadLimits(ref reader));
    }

    private static WasmMemoryType ReadMemoryType(ref WasmReader reader) => new(ReadLimits(ref reader));

    private static Limits ReadLimits(ref WasmReader reader)
    {
        int at = reader.Offset;
        byte flags = reader.ReadByte();
        // 2.0 knows only "min" (0) and "min max" (1); shared and 64-bit flags belong to later proposals.
        // The spec interpreter reads the flags as a one-byte LEB128, hence its wording.
        if (flags >= 0x80) WasmReader.ThrowMalformed("integer representation too long", at);
        if (flags > 1) WasmReader.ThrowMalformed("integer too large", at);
        uint min = reader.ReadVarU32();
        return flags == 0 ? new Limits(min, null) : new Limits(min, reader.ReadVarU32());
    }

    private static WasmGlobalType ReadGlobalType(ref WasmReader reader)
    {
        var type = reader.ReadValType();
        int at = reader.Offset;
        byte mutability = reader.ReadByte();
        if (mutability > 1) WasmReader.ThrowMalformed("malformed mutability", at);
        return new WasmGlobalType(type, mutability == 1);
    }

    /// <summary>
    /// Finds the extent of a constant expression: from the reader's position through the <c>end</c> that closes it.
    /// Operators are only decoded (with their immediates); whether they are allowed is the const-expr validator's call.
    /// An expression running past the section is "unexpected end of section or function".
    /// </summary>
    private static ConstExpr ReadConstExpr(ref WasmReader section)
    {
        int start = section.Offset;
        // The data count section comes after the sections holding constant expressions, so whether it exists is not
        // known yet: memory.init and data.drop (never constant anyway) are left to the const-expr validator.
        int length = OperatorReader.MeasureConstExpr(section.RemainingSpan, start, hasDataCountSection: true);
        section.Skip(length);
        return new ConstExpr(start, length);
    }
}
