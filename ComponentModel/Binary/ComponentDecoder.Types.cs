using Sharptime.Format;

namespace Sharptime.ComponentModel.Binary;

internal sealed partial class ComponentDecoder
{
    /// <summary>Size bound of every defined value type (Binary.md: elem_size(t) &lt; 2^28).</summary>
    private const ulong MaxValueTypeSize = 1UL << 28;

    // ---- Core types -----------------------------------------------------------------------------------------

    private void ReadCoreTypeDefinition(ref WasmReader reader, Scope scope, int depth) =>
        scope.Spaces.CoreTypes.Add(ReadCoreType(ref reader, scope.Spaces, depth, allowModule: true));

    private static CoreType ReadCoreType(ref WasmReader reader, IndexSpaces spaces, int depth, bool allowModule)
    {
        int at = reader.Offset;
        byte form = reader.ReadByte();
        switch (form)
        {
            case 0x60:
                return new CoreFunctionType(new FuncType(ReadCoreValTypes(ref reader), ReadCoreValTypes(ref reader)));
            case 0x50:
                if (!allowModule) Invalid("core module types cannot be nested", at);
                return ReadModuleType(ref reader, spaces, depth);
            case 0x00:
            {
                // A non-final `sub` takes a 0x00 prefix here, since a bare 0x50 is a module type (Binary.md).
                int subAt = reader.Offset;
                if (reader.ReadByte() != 0x50) Malformed("invalid leading byte after 0x00 for core type: expected 0x50 (sub)", subAt);
                return ReadCoreSubType(ref reader, isFinal: false, at);
            }
            case 0x4F:
                return ReadCoreSubType(ref reader, isFinal: true, at);
            case 0x4E or 0x5F or 0x5E:
                Malformed("core GC types (rec, struct, array) are not supported", at);
                return null;
            default:
                Malformed($"invalid leading byte (0x{form:x}) for core type", at);
                return null;
        }
    }

    /// <summary>
    /// A GC <c>sub</c> type after its opcode. Only the subset that needs no GC type system is supported: no declared
    /// supertypes and a function type, so the type is a function type that is final or not.
    /// </summary>
    private static CoreFunctionType ReadCoreSubType(ref WasmReader reader, bool isFinal, int at)
    {
        int supertypes = reader.ReadLength();
        if (supertypes != 0) Malformed("core GC subtypes with supertypes are not supported", at);
        int compAt = reader.Offset;
        byte form = reader.ReadByte();
        if (form is 0x5F or 0x5E) Malformed("core GC types (struct, array) are not supported", compAt);
        if (form != 0x60) Malformed($"invalid leading byte (0x{form:x}) for core composite type", compAt);
        return new CoreFunctionType(new FuncType(ReadCoreValTypes(ref reader), ReadCoreValTypes(ref reader)), isFinal);
    }

    private static ValType[] ReadCoreValTypes(ref WasmReader reader)
    {
        int count = reader.ReadLength();
        if (count == 0) return [];
        var types = new ValType[count];
        for (int i = 0; i < count; i++) types[i] = reader.ReadValType();
        return types;
    }

    /// <summary>A core module type: imports, exports, and its own core type index space (outer aliases may reach the enclosing one).</summary>
    private static CoreModuleType ReadModuleType(ref WasmReader reader, IndexSpaces enclosing, int depth)
    {
        var types = new IndexSpaces(enclosing, isComponent: false);
        var imports = new List<CoreImport>();
        var exports = new List<CoreExport>();
        var exportNames = new HashSet<string>();
        var importNames = new HashSet<(string, string)>();
        int count = reader.ReadLength();
        for (int i = 0; i < count; i++)
        {
            int at = reader.Offset;
            byte kind = reader.ReadByte();
            switch (kind)
            {
                case 0x00:
                {
                    string module = reader.ReadName();
                    string name = reader.ReadName();
                    if (!importNames.Add((module, name))) Invalid($"duplicate import name `{module}:{name}` in module type", at);
                    imports.Add(new CoreImport(module, name, ReadCoreExternType(ref reader, types)));
                    break;
                }
                case 0x01:
                    types.CoreTypes.Add(ReadCoreType(ref reader, types, depth + 1, allowModule: false));
                    break;
                case 0x02:
                {
                    int sortAt = reader.Offset;
                    var sort = ReadCoreSort(ref reader);
                    byte target = reader.ReadByte();
                    if (sort != Sort.CoreType || target != 0x01) Malformed("module type aliases must be outer aliases of core types", sortAt);
                    uint outer = reader.ReadVarU32();
                    int indexAt = reader.Offset;
                    uint index = reader.ReadVarU32();
                    if (outer > 1) Invalid("invalid outer alias count", sortAt);
                    var source = outer == 0 ? types : enclosing;
                    CheckIndex(source, Sort.CoreType, index, indexAt);
                    var type = source.CoreTypes[(int)index];
                    if (type is CoreModuleType) Invalid("cannot alias a core module type into a module type", at);
                    types.CoreTypes.Add(type);
                    break;
                }
                case 0x03:
                {
                    string name = reader.ReadName();
                    var type = ReadCoreExternType(ref reader, types);
                    if (!exportNames.Add(name)) Invalid($"duplicate export name `{name}` in module type", at);
                    exports.Add(new CoreExport(name, type));
                    break;
                }
                default:
                    Malformed($"invalid leading byte (0x{kind:x}) for module type declaration", at);
                    break;
            }
        }
        return new CoreModuleType([.. imports], [.. exports]);
    }

    /// <summary>A core <c>externtype</c> (importdesc) of a module type declaration.</summary>
    private static CoreExtern ReadCoreExternType(ref WasmReader reader, IndexSpaces types)
    {
        int at = reader.Offset;
        byte kind = reader.ReadByte();
        switch (kind)
        {
            case 0x00:
                return CoreExtern.Func(CoreFuncTypeAt(ref reader, types));
            case 0x01:
            {
                var element = reader.ReadRefType();
                return CoreExtern.OfTable(new WasmTableType(element, ReadLimits(ref reader, out _)));
            }
            case 0x02:
            {
                int limitsAt = reader.Offset;
                var limits = ReadLimits(ref reader, out byte flags);
                ulong maxPages = (flags & 4) != 0 ? 1UL << 48 : 1UL << 16;
                if (limits.Min > maxPages || limits.Max > maxPages) Invalid($"memory size must be at most {maxPages} pages", limitsAt);
                return CoreExtern.OfMemory(new WasmMemoryType(limits, Shared: (flags & 2) != 0, Is64: (flags & 4) != 0));
            }
            case 0x03:
            {
                var valType = reader.ReadValType();
                int mutAt = reader.Offset;
                byte mutability = reader.ReadByte();
                if (mutability > 1) Malformed("malformed mutability", mutAt);
                return CoreExtern.OfGlobal(new WasmGlobalType(valType, mutability == 1));
            }
            case 0x04:
            {
                int attrAt = reader.Offset;
                if (reader.ReadByte() != 0) Malformed("invalid tag attribute", attrAt);
                return CoreExtern.Tag(CoreFuncTypeAt(ref reader, types));
            }
            default:
                Malformed($"invalid leading byte (0x{kind:x}) for core extern type", at);
                return default;
        }
    }

    private static CoreFunctionType CoreFuncTypeAt(ref WasmReader reader, IndexSpaces types)
    {
        int at = reader.Offset;
        uint index = reader.ReadVarU32();
        CheckIndex(types, Sort.CoreType, index, at);
        if (types.CoreTypes[(int)index] is not CoreFunctionType f)
        {
            Invalid($"core type index {index} is not a function type", at);
            return null;
        }
        return f;
    }

    private static Limits ReadLimits(ref WasmReader reader, out byte flags)
    {
        int at = reader.Offset;
        flags = reader.ReadByte();
        if ((flags & ~0x07) != 0) Malformed("invalid limits flags", at);
        bool is64 = (flags & 4) != 0;
        ulong min = is64 ? reader.ReadVarU64() : reader.ReadVarU32();
        ulong? max = (flags & 1) != 0 ? (is64 ? reader.ReadVarU64() : reader.ReadVarU32()) : null;
        if (max is ulong m && m < min) Invalid("size minimum must not be greater than maximum", at);
        return new Limits(min, max);
    }

    // ---- Component types ------------------------------------------------------------------------------------

    private void ReadTypeDefinition(ref WasmReader reader, Scope scope, int depth) =>
        scope.Spaces.Types.Add(ReadDefType(ref reader, scope, depth));

    /// <summary>Reads a type definition and bounds its effective size.</summary>
    private static ComponentType ReadDefType(ref WasmReader reader, Scope scope, int depth)
    {
        int at = reader.Offset;
        var type = ReadDefTypeUnchecked(ref reader, scope, depth);
        if (type.Size > ComponentType.MaxSize) Invalid("effective type size exceeds the limit", at);
        return type;
    }

    /// <summary>Reads a <c>valtype</c>: a primitive, or an index that must name a defined value type.</summary>
    private static ValueType ReadValType(ref WasmReader reader, IndexSpaces spaces)
    {
        int at = reader.Offset;
        long value = reader.ReadVarS33();
        if (value < 0)
        {
            var primitive = PrimitiveType.FromCode((byte)(value & 0x7F));
            if (primitive is null) Malformed($"invalid leading byte (0x{value & 0x7F:x}) for primitive value type", at);
            return primitive;
        }
        if (value >= spaces.Types.Count) Invalid($"type index out of bounds: {value}", at);
        if (spaces.Types[(int)value] is not ValueType type)
        {
            Invalid($"type index {value} is not a defined type", at);
            return null;
        }
        return type;
    }

    private static ValueType? ReadOptionalValType(ref WasmReader reader, IndexSpaces spaces)
    {
        int at = reader.Offset;
        byte present = reader.ReadByte();
        if (present == 0x00) return null;
        if (present != 0x01) Malformed($"invalid leading byte (0x{present:x}) for optional value type", at);
        return ReadValType(ref reader, spaces);
    }

    /// <summary>A label (record field, case, flag, parameter): kebab-case and unique case-insensitively in <paramref name="seen"/>.</summary>
    private static string ReadLabel(ref WasmReader reader, HashSet<string> seen, string what)
    {
        int at = reader.Offset;
        string label = reader.ReadName();
        if (label.Length == 0) Invalid($"{what} name cannot be empty", at);
        if (ExternNames.CheckLabel(label) is string why) Invalid($"{what} name `{label}` is not in kebab case: {why}", at);
        if (!seen.Add(label)) Invalid($"{what} name `{label}` conflicts with previous {what} name", at);
        return label;
    }

    private static ComponentType ReadDefTypeUnchecked(ref WasmReader reader, Scope scope, int depth)
    {
        var spaces = scope.Spaces;
        int at = reader.Offset;
        byte form = reader.ReadByte();
        if (PrimitiveType.FromCode(form) is PrimitiveType primitive) return primitive;
        ValueType type;
        switch (form)
        {
            case 0x40 or 0x43:
                return ReadFunctionType(ref reader, spaces, isAsync: form == 0x43);
            case 0x41:
            case 0x42:
                if (depth + 1 > MaxNesting) Invalid("type declarators nested too deeply", at);
                return ReadDeclarators(ref reader, spaces, scope.Features, depth + 1, isComponent: form == 0x41);
            case 0x3F:
            {
                if (scope.Component is null) Invalid("resources can only be defined within a concrete component", at);
                int repAt = reader.Offset;
                var rep = reader.ReadValType();
                if (rep != ValType.I32) Invalid("resources can only be represented by `i32`", repAt);
                int dtorAt = reader.Offset;
                byte hasDtor = reader.ReadByte();
                uint? dtor = null;
                if (hasDtor == 0x01)
                {
                    int funcAt = reader.Offset;
                    uint f = reader.ReadVarU32();
                    CheckIndex(spaces, Sort.CoreFunc, f, funcAt);
                    var ft = spaces.CoreFuncs[(int)f];
                    if (ft.Params is not [ValType.I32] || ft.Results.Length != 0) Invalid("wrong signature for a destructor", funcAt);
                    dtor = f;
                }
                else if (hasDtor != 0x00)
                {
                    Malformed($"invalid leading byte (0x{hasDtor:x}) for optional destructor", dtorAt);
                }
                var resource = new ResourceType { Representation = rep, Destructor = dtor, IsDefined = true };
                scope.DefinedResources.Add(resource);
                return resource;
            }
            case 0x72:
            {
                int count = reader.ReadLength(2);
                if (count == 0) Invalid("record type must have at least one field", at);
                var fields = new LabeledType[count];
                var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                for (int i = 0; i < count; i++)
                {
                    string label = ReadLabel(ref reader, seen, "record field");
                    fields[i] = new LabeledType(label, ReadValType(ref reader, spaces));
                }
                type = new RecordType(fields);
                break;
            }
            case 0x71:
            {
                int count = reader.ReadLength(3);
                if (count == 0) Invalid("variant type must have at least one case", at);
                var cases = new VariantCase[count];
                var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                for (int i = 0; i < count; i++)
                {
                    string label = ReadLabel(ref reader, seen, "variant case");
                    var payload = ReadOptionalValType(ref reader, spaces);
                    int refinesAt = reader.Offset;
                    if (reader.ReadByte() != 0x00) Malformed("variant case refinement is not supported", refinesAt);
                    cases[i] = new VariantCase(label, payload);
                }
                type = new VariantType(cases);
                break;
            }
            case 0x70:
                type = new ListType(ReadValType(ref reader, spaces), null);
                break;
            case 0x67:
            {
                var element = ReadValType(ref reader, spaces);
                int lengthAt = reader.Offset;
                uint length = reader.ReadVarU32();
                if (length == 0) Invalid("fixed size list must have more than zero elements", lengthAt);
                type = new ListType(element, length);
                break;
            }
            case 0x6F:
            {
                int count = reader.ReadLength();
                if (count == 0) Invalid("tuple type must have at least one type", at);
                var types = new ValueType[count];
                for (int i = 0; i < count; i++) types[i] = ReadValType(ref reader, spaces);
                type = new TupleType(types);
                break;
            }
            case 0x6E:
            case 0x6D:
            {
                bool flags = form == 0x6E;
                int count = reader.ReadLength();
                if (count == 0) Invalid(flags ? "flags must have at least one entry" : "enum type must have at least one variant", at);
                if (flags && count > 32) Invalid("cannot have more than 32 flags", at);
                var labels = new string[count];
                var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                for (int i = 0; i < count; i++) labels[i] = ReadLabel(ref reader, seen, flags ? "flag" : "enum tag");
                type = flags ? new FlagsType(labels) : new EnumType(labels);
                break;
            }
            case 0x6B:
                type = new OptionType(ReadValType(ref reader, spaces));
                break;
            case 0x6A:
            {
                var ok = ReadOptionalValType(ref reader, spaces);
                type = new ResultType(ok, ReadOptionalValType(ref reader, spaces));
                break;
            }
            case 0x69:
            case 0x68:
            {
                int indexAt = reader.Offset;
                uint index = reader.ReadVarU32();
                CheckIndex(spaces, Sort.Type, index, indexAt);
                if (spaces.Types[(int)index] is not ResourceType resource)
                {
                    Invalid($"type index {index} is not a resource type", indexAt);
                    return null;
                }
                type = new HandleType(resource, isBorrow: form == 0x68);
                break;
            }
            case 0x66:
            case 0x65:
            {
                int payloadAt = reader.Offset;
                var payload = ReadOptionalValType(ref reader, spaces);
                if (payload is not null && payload.Facts.ContainsBorrow) Invalid("stream and future payloads cannot contain a borrow", payloadAt);
                if (form == 0x66 && payload is PrimitiveType { Kind: PrimitiveKind.Char }) Invalid("`stream<char>` is not supported at this time", payloadAt);
                type = new AsyncValueType(payload, isStream: form == 0x66);
                break;
            }
            case 0x63:
            {
                var key = ReadValType(ref reader, spaces);
                if (key is not PrimitiveType { Kind: not (PrimitiveKind.F32 or PrimitiveKind.F64 or PrimitiveKind.ErrorContext) })
                    Invalid("map key must be a primitive type other than a float or error-context", at);
                type = new MapType(key, ReadValType(ref reader, spaces));
                break;
            }
            default:
                Malformed($"invalid leading byte (0x{form:x}) for component defined type", at);
                return null;
        }
        var facts = CanonicalTypes.ComputeFacts(type);
        if (facts.Depth > CanonicalTypes.MaxDepth) Invalid("type nesting is too deep", at);
        if (facts.ElementSize >= MaxValueTypeSize) Invalid("value type exceeds maximum byte size", at);
        type.Facts = facts;
        return type;
    }

    private static ComponentFunctionType ReadFunctionType(ref WasmReader reader, IndexSpaces spaces, bool isAsync)
    {
        int count = reader.ReadLength(2);
        var parameters = new LabeledType[count];
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < count; i++)
        {
            string label = ReadLabel(ref reader, seen, "function parameter");
            parameters[i] = new LabeledType(label, ReadValType(ref reader, spaces));
        }
        int resultAt = reader.Offset;
        byte form = reader.ReadByte();
        ValueType? result = null;
        if (form == 0x00)
        {
            result = ReadValType(ref reader, spaces);
            if (result.Facts.ContainsBorrow) Invalid("function result cannot contain a `borrow` type", resultAt);
        }
        else if (form != 0x01 || reader.ReadByte() != 0x00)
        {
            // 0x01 0x00 is "no result"; named results are gone from the binary format.
            Malformed("invalid function result list", resultAt);
        }
        return new ComponentFunctionType(parameters, result, isAsync);
    }

    /// <summary>
    /// A component type (imports allowed) or instance type: declarators validated in a fresh index space whose
    /// parent is the enclosing scope (for outer aliases).
    /// </summary>
    private static ComponentType ReadDeclarators(ref WasmReader reader, IndexSpaces enclosing, ComponentFeatures features, int depth, bool isComponent)
    {
        var spaces = new IndexSpaces(enclosing, isComponent: false);
        var scope = new Scope(spaces, component: null, features, checkNames: isComponent);
        var declared = new List<ResourceType>();
        int count = reader.ReadLength();
        for (int i = 0; i < count; i++)
        {
            int at = reader.Offset;
            byte kind = reader.ReadByte();
            switch (kind)
            {
                case 0x00:
                    spaces.CoreTypes.Add(ReadCoreType(ref reader, spaces, depth, allowModule: true));
                    break;
                case 0x01:
                    spaces.Types.Add(ReadDefType(ref reader, scope, depth));
                    break;
                case 0x02:
                    ReadAlias(ref reader, scope, declarator: true);
                    break;
                case 0x03 when isComponent:
                case 0x04:
                {
                    bool isImport = kind == 0x03;
                    int nameAt = reader.Offset;
                    string name = ReadNameAttributes(ref reader, scope, out var implements, out _, out _);
                    var type = ReadExternType(ref reader, scope, name, declared);
                    if (type.Sort == Sort.Instance) type = FreshInstance(type);
                    CheckExtern(scope, isImport, name, implements, type, nameAt);
                    Push(spaces, type);
                    (isImport ? scope.Imports : scope.Exports).Add(new NamedExtern(name, type));
                    break;
                }
                default:
                    Malformed($"invalid leading byte (0x{kind:x}) for {(isComponent ? "component" : "instance")} type declarator", at);
                    break;
            }
        }
        return isComponent ? new ComponentTypeInfo([.. scope.Imports], [.. scope.Exports]) : new InstanceType([.. scope.Exports], [.. declared]);
    }

    /// <summary>Reads an <c>externtype</c>; a <c>(sub resource)</c> bound makes a fresh abstract resource.</summary>
    private static ExternType ReadExternType(ref WasmReader reader, Scope scope, string name, List<ResourceType>? declared = null)
    {
        var spaces = scope.Spaces;
        int at = reader.Offset;
        byte kind = reader.ReadByte();
        int indexAt;
        uint index;
        switch (kind)
        {
            case 0x00:
            {
                int coreAt = reader.Offset;
                if (reader.ReadByte() != 0x11) Malformed("invalid core sort in extern type: only modules", coreAt);
                indexAt = reader.Offset;
                index = reader.ReadVarU32();
                CheckIndex(spaces, Sort.CoreType, index, indexAt);
                if (spaces.CoreTypes[(int)index] is not CoreModuleType module)
                {
                    Invalid($"core type index {index} is not a module type", indexAt);
                    return default;
                }
                return new ExternType(Sort.CoreModule, module);
            }
            case 0x01:
                indexAt = reader.Offset;
                index = reader.ReadVarU32();
                CheckIndex(spaces, Sort.Type, index, indexAt);
                if (spaces.Types[(int)index] is not ComponentFunctionType f) { Invalid($"type index {index} is not a function type", indexAt); return default; }
                return new ExternType(Sort.Func, f);
            case 0x02:
            {
                int boundAt = reader.Offset;
                byte bound = reader.ReadByte();
                if (bound == 0x00)
                {
                    indexAt = reader.Offset;
                    index = reader.ReadVarU32();
                    CheckIndex(spaces, Sort.Value, index, indexAt);
                    return new ExternType(Sort.Value, spaces.Values[(int)index]);
                }
                if (bound != 0x01) Malformed($"invalid leading byte (0x{bound:x}) for value bound", boundAt);
                return new ExternType(Sort.Value, ReadValType(ref reader, spaces));
            }
            case 0x03:
            {
                int boundAt = reader.Offset;
                byte bound = reader.ReadByte();
                if (bound == 0x01)
                {
                    var fresh = new ResourceType { Name = name };
                    declared?.Add(fresh);
                    return new ExternType(Sort.Type, fresh);
                }
                if (bound != 0x00) Malformed($"invalid leading byte (0x{bound:x}) for type bound", boundAt);
                indexAt = reader.Offset;
                index = reader.ReadVarU32();
                CheckIndex(spaces, Sort.Type, index, indexAt);
                // The new type index is a new name for the type (nominal types get a new object).
                return new ExternType(Sort.Type, ResourceVisibility.Rename(spaces.Types[(int)index]));
            }
            case 0x04:
                indexAt = reader.Offset;
                index = reader.ReadVarU32();
                CheckIndex(spaces, Sort.Type, index, indexAt);
                if (spaces.Types[(int)index] is not ComponentTypeInfo c) { Invalid($"type index {index} is not a component type", indexAt); return default; }
                return new ExternType(Sort.Component, c);
            case 0x05:
                indexAt = reader.Offset;
                index = reader.ReadVarU32();
                CheckIndex(spaces, Sort.Type, index, indexAt);
                if (spaces.Types[(int)index] is not InstanceType inst) { Invalid($"type index {index} is not an instance type", indexAt); return default; }
                return new ExternType(Sort.Instance, inst);
            default:
                Malformed($"invalid leading byte (0x{kind:x}) for extern type", at);
                return default;
        }
    }
}
