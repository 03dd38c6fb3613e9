using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using Sharptime.Format;
using Sharptime.Validation;

namespace Sharptime.ComponentModel.Binary;

/// <summary>
/// Decodes and validates a component binary in one pass, the way the index spaces are defined: each definition is
/// decoded, checked against the index spaces built so far, and appended to them. Decoding errors throw
/// <see cref="MalformedModuleException"/>, rule violations <see cref="InvalidModuleException"/>, both with absolute
/// byte offsets into the outermost component.
/// </summary>
/// <remarks>
/// Recursion happens for nested components and for component/instance type declarators; both share the
/// <see cref="MaxNesting"/> bound. Value types never recurse while decoding (their indices point backwards).
/// </remarks>
internal sealed partial class ComponentDecoder
{
    /// <summary>Deepest nesting of components and type declarators accepted.</summary>
    public const int MaxNesting = 64;

    private const uint Magic = 0x6D736100; // "\0asm" read little-endian
    private const ushort ComponentVersion = 0x0D;
    private const ushort ComponentLayer = 1;

    private readonly ReadOnlyMemory<byte> _bytes;
    private readonly ComponentFeatures _features;

    private ComponentDecoder(ReadOnlyMemory<byte> bytes, ComponentFeatures features)
    {
        _bytes = bytes;
        _features = features;
    }

    /// <summary>True when the first 8 bytes are a component preamble (magic, any version, layer 1).</summary>
    public static bool IsComponent(ReadOnlySpan<byte> bytes) =>
        bytes.Length >= 8 && BinaryPrimitives.ReadUInt32LittleEndian(bytes) == Magic
        && BinaryPrimitives.ReadUInt16LittleEndian(bytes[6..]) == ComponentLayer;

    public static ComponentInfo Decode(ReadOnlyMemory<byte> bytes, ComponentFeatures features = ComponentFeatures.All)
    {
        var decoder = new ComponentDecoder(bytes, features);
        var reader = new WasmReader(bytes.Span);
        return decoder.ReadComponent(ref reader, parent: null, depth: 0);
    }

    [DoesNotReturn]
    private static void Malformed(string reason, int offset) => throw new MalformedModuleException(reason, offset);

    [DoesNotReturn]
    private static void Invalid(string reason, int offset) => throw new InvalidModuleException(reason, offset);

    /// <summary>Per-scope validation state that is not part of the resulting model.</summary>
    private sealed class Scope(IndexSpaces spaces, ComponentInfo? component, ComponentFeatures features, bool checkNames = true)
    {
        /// <summary>The optional features enabled for the whole component.</summary>
        public ComponentFeatures Features { get; } = features;

        /// <summary>
        /// Whether imports and exports must only use named types: in components and component types; instance types
        /// and bundled instances are checked where they are imported or exported.
        /// </summary>
        public bool CheckNames { get; } = checkNames;

        public IndexSpaces Spaces { get; } = spaces;

        /// <summary>The component being decoded, or null in a type declarator.</summary>
        public ComponentInfo? Component { get; } = component;

        public HashSet<string> ImportKeys { get; } = [];
        public HashSet<string> ExportKeys { get; } = [];
        public List<NamedExtern> Imports { get; } = [];
        public List<NamedExtern> Exports { get; } = [];

        /// <summary>Resources imported under a plain label, for <c>[constructor]</c>/<c>[method]</c>/<c>[static]</c> import names.</summary>
        public Dictionary<string, ResourceType> ImportedResourceNames { get; } = [];

        /// <summary>Resources exported under a plain label, for annotated export names.</summary>
        public Dictionary<string, ResourceType> ExportedResourceNames { get; } = [];

        /// <summary>Types named by imports: the only nominal types later imports may use.</summary>
        public HashSet<object> ImportedNames { get; } = new(ReferenceEqualityComparer.Instance);

        /// <summary>Types named by imports or exports: the only nominal types exports may use.</summary>
        public HashSet<object> Names { get; } = new(ReferenceEqualityComparer.Instance);

        /// <summary>Resources defined by this component: the only ones resource.new/rep may name.</summary>
        public HashSet<ResourceType> DefinedResources { get; } = new(ReferenceEqualityComparer.Instance);

        /// <summary>Whether each value has been consumed (values must be used exactly once).</summary>
        public List<bool> ValueConsumed { get; } = [];
    }

    private ComponentInfo ReadComponent(ref WasmReader reader, IndexSpaces? parent, int depth)
    {
        int start = reader.Offset;
        ReadPreamble(ref reader);
        var spaces = new IndexSpaces(parent, isComponent: true);
        var component = new ComponentInfo(_bytes, spaces, start);
        var scope = new Scope(spaces, component, _features);

        while (!reader.IsAtEnd)
        {
            int idOffset = reader.Offset;
            byte id = reader.ReadByte();
            int size = reader.ReadLength();
            int sectionStart = reader.Offset;
            var section = new WasmReader(reader.RemainingSpan[..size], sectionStart, bounded: true);
            switch (id)
            {
                case 0: ReadCustomSection(ref section, component); break;
                case 1: ReadCoreModule(sectionStart, size, scope); section.Skip(size); break;
                case 2: ReadVector(ref section, scope, depth, ReadCoreInstance); break;
                case 3: ReadVector(ref section, scope, depth, ReadCoreTypeDefinition); break;
                case 4:
                {
                    if (depth + 1 > MaxNesting) Invalid("components nested too deeply", idOffset);
                    var nested = ReadComponent(ref section, spaces, depth + 1);
                    component.Components.Add(nested);
                    spaces.Components.Add(nested.Type);
                    break;
                }
                case 5: ReadVector(ref section, scope, depth, ReadInstance); break;
                case 6: ReadVector(ref section, scope, depth, ReadAliasDefinition); break;
                case 7: ReadVector(ref section, scope, depth, ReadTypeDefinition); break;
                case 8: ReadVector(ref section, scope, depth, ReadCanon); break;
                case 9: ReadStart(ref section, scope); break;
                case 10: ReadVector(ref section, scope, depth, ReadImport); break;
                case 11: ReadVector(ref section, scope, depth, ReadExport); break;
                case 12: ReadVector(ref section, scope, depth, ReadValue); break;
                default: Malformed($"unknown section id 0x{id:x}", idOffset); break;
            }
            if (!section.IsAtEnd) Malformed("section size mismatch: unexpected data at the end of the section", section.Offset);
            reader.Skip(size);
        }

        for (int i = 0; i < scope.ValueConsumed.Count; i++)
        {
            if (!scope.ValueConsumed[i]) Invalid($"value index {i} was not used as part of an instantiation, start function, or export", reader.Offset);
        }
        component.Type = new ComponentTypeInfo([.. scope.Imports], [.. scope.Exports]);
        return component;
    }

    private static void ReadPreamble(ref WasmReader reader)
    {
        int at = reader.Offset;
        var header = reader.ReadBytes(8);
        if (BinaryPrimitives.ReadUInt32LittleEndian(header) != Magic) Malformed("magic header not detected", at);
        ushort version = BinaryPrimitives.ReadUInt16LittleEndian(header[4..]);
        ushort layer = BinaryPrimitives.ReadUInt16LittleEndian(header[6..]);
        if (layer != ComponentLayer)
        {
            Malformed(layer == 0 ? "expected a component, found a core module" : $"unknown binary layer 0x{layer:x}", at + 6);
        }
        if (version != ComponentVersion) Malformed($"unknown component binary version 0x{version:x}", at + 4);
    }

    private delegate void ItemReader(ref WasmReader reader, Scope scope, int depth);

    private static void ReadVector(ref WasmReader reader, Scope scope, int depth, ItemReader item)
    {
        int count = reader.ReadLength();
        for (int i = 0; i < count; i++) item(ref reader, scope, depth);
    }

    private static void ReadCustomSection(ref WasmReader section, ComponentInfo component)
    {
        string name = section.ReadName();
        int dataOffset = section.Offset;
        int length = section.Remaining;
        if (name == ComponentNames.SectionName && component.Names is null && !component.CustomSections.Exists(c => c.Name == name))
            component.Names = ComponentNames.TryRead(section.RemainingSpan);
        section.Skip(length);
        component.CustomSections.Add(new ComponentCustomSection(name, dataOffset, length));
    }

    // ---- Core modules and instances ---------------------------------------------------------------------------

    private void ReadCoreModule(int start, int size, Scope scope)
    {
        ModuleInfo module;
        try
        {
            module = WasmFrontEnd.DecodeAndValidate(_bytes.Slice(start, size));
        }
        catch (MalformedModuleException e)
        {
            // The core front end reports offsets within the module; make them absolute.
            throw new MalformedModuleException(e.Reason, (e.ByteOffset ?? 0) + start);
        }
        catch (InvalidModuleException e)
        {
            throw new InvalidModuleException(e.Reason, e.ByteOffset + start, e.FunctionIndex);
        }
        // Inside a component, module imports are satisfied by name, so a (module, name) pair may appear only once.
        var seen = new HashSet<(string, string)>();
        foreach (var imp in module.Imports)
        {
            if (!seen.Add((imp.Module, imp.Name))) Invalid($"duplicate import name `{imp.Module}:{imp.Name}`", imp.Offset + start);
        }
        var type = ModuleType(module);
        scope.Component!.CoreModules.Add(new CoreModuleDefinition(module, type, start));
        scope.Spaces.CoreModules.Add(type);
    }

    /// <summary>The type of a decoded core module: its imports and exports with their core types.</summary>
    private static CoreModuleType ModuleType(ModuleInfo module)
    {
        var imports = new CoreImport[module.Imports.Count];
        for (int i = 0; i < imports.Length; i++)
        {
            var imp = module.Imports[i];
            var type = imp.Kind switch
            {
                ExternKind.Func => CoreExtern.Func(module.Types[(int)imp.FunctionTypeIndex]),
                ExternKind.Table => CoreExtern.OfTable(imp.Table),
                ExternKind.Memory => CoreExtern.OfMemory(imp.Memory),
                _ => CoreExtern.OfGlobal(imp.Global),
            };
            imports[i] = new CoreImport(imp.Module, imp.Name, type);
        }
        var exports = new CoreExport[module.Exports.Count];
        for (int i = 0; i < exports.Length; i++)
        {
            var exp = module.Exports[i];
            int index = (int)exp.Index;
            var type = exp.Kind switch
            {
                ExternKind.Func => CoreExtern.Func(module.FunctionType(exp.Index)),
                ExternKind.Table => CoreExtern.OfTable(module.Tables[index]),
                ExternKind.Memory => CoreExtern.OfMemory(module.Memories[index]),
                _ => CoreExtern.OfGlobal(module.Globals[index].Type),
            };
            exports[i] = new CoreExport(exp.Name, type);
        }
        return new CoreModuleType(imports, exports);
    }

    private static Sort ReadCoreSort(ref WasmReader reader)
    {
        int at = reader.Offset;
        byte b = reader.ReadByte();
        switch (b)
        {
            case 0x00: return Sort.CoreFunc;
            case 0x01: return Sort.CoreTable;
            case 0x02: return Sort.CoreMemory;
            case 0x03: return Sort.CoreGlobal;
            case 0x04: return Sort.CoreTag;
            case 0x10: return Sort.CoreType;
            case 0x11: return Sort.CoreModule;
            case 0x12: return Sort.CoreInstance;
            default: Malformed($"invalid leading byte (0x{b:x}) for core sort", at); return default;
        }
    }

    private static Sort ReadSort(ref WasmReader reader)
    {
        int at = reader.Offset;
        byte b = reader.ReadByte();
        switch (b)
        {
            case 0x00: return ReadCoreSort(ref reader);
            case 0x01: return Sort.Func;
            case 0x02: return Sort.Value;
            case 0x03: return Sort.Type;
            case 0x04: return Sort.Component;
            case 0x05: return Sort.Instance;
            default: Malformed($"invalid leading byte (0x{b:x}) for sort", at); return default;
        }
    }

    private static void CheckIndex(IndexSpaces spaces, Sort sort, uint index, int at)
    {
        if (index >= (uint)spaces.Count(sort)) Invalid($"{TypeMatcher.SortName(sort)} index out of bounds: {index}", at);
    }

    /// <summary>The core type of a core item, for bundling into a core instance.</summary>
    private static CoreExtern CoreItem(IndexSpaces spaces, Sort sort, uint index, int at)
    {
        CheckIndex(spaces, sort, index, at);
        int i = (int)index;
        switch (sort)
        {
            case Sort.CoreFunc: return CoreExtern.Func(spaces.CoreFuncs[i]);
            case Sort.CoreTable: return CoreExtern.OfTable(spaces.CoreTables[i]);
            case Sort.CoreMemory: return CoreExtern.OfMemory(spaces.CoreMemories[i]);
            case Sort.CoreGlobal: return CoreExtern.OfGlobal(spaces.CoreGlobals[i]);
            case Sort.CoreTag: return CoreExtern.Tag(spaces.CoreTags[i]);
            default: Invalid($"a core instance cannot export a {TypeMatcher.SortName(sort)}", at); return default;
        }
    }

    private void ReadCoreInstance(ref WasmReader reader, Scope scope, int depth)
    {
        var spaces = scope.Spaces;
        int at = reader.Offset;
        byte kind = reader.ReadByte();
        if (kind == 0x00)
        {
            int moduleAt = reader.Offset;
            uint moduleIndex = reader.ReadVarU32();
            CheckIndex(spaces, Sort.CoreModule, moduleIndex, moduleAt);
            int count = reader.ReadLength();
            var args = new (string, uint)[count];
            var names = new HashSet<string>();
            for (int i = 0; i < count; i++)
            {
                int argAt = reader.Offset;
                string name = reader.ReadName();
                int sortAt = reader.Offset;
                byte sort = reader.ReadByte();
                if (sort != 0x12) Malformed($"invalid leading byte (0x{sort:x}) for core instantiation argument", sortAt);
                uint instance = reader.ReadVarU32();
                CheckIndex(spaces, Sort.CoreInstance, instance, argAt);
                if (!names.Add(name)) Invalid($"duplicate module instantiation argument named `{name}`", argAt);
                args[i] = (name, instance);
            }
            var module = spaces.CoreModules[(int)moduleIndex];
            foreach (var imp in module.Imports)
            {
                CoreInstanceType? provider = null;
                foreach (var (name, instance) in args)
                {
                    if (name == imp.Module) { provider = spaces.CoreInstances[(int)instance]; break; }
                }
                if (provider is null) Invalid($"missing module instantiation argument named `{imp.Module}`", at);
                if (provider.Find(imp.Name) is not CoreExtern actual)
                {
                    Invalid($"module instantiation argument `{imp.Module}` does not export an item named `{imp.Name}`", at);
                    return;
                }
                if (!TypeMatcher.CoreExternMatches(actual, imp.Type))
                {
                    Invalid($"type mismatch for export `{imp.Name}` of module instantiation argument `{imp.Module}`", at);
                }
            }
            scope.Component!.CoreInstances.Add(new CoreInstanceDefinition(at) { ModuleIndex = moduleIndex, Arguments = args });
            spaces.CoreInstances.Add(new CoreInstanceType(module.Exports));
        }
        else if (kind == 0x01)
        {
            int count = reader.ReadLength();
            var items = new (string, Sort, uint)[count];
            var exports = new CoreExport[count];
            var names = new HashSet<string>();
            for (int i = 0; i < count; i++)
            {
                int itemAt = reader.Offset;
                string name = reader.ReadName();
                var sort = ReadCoreSort(ref reader);
                uint index = reader.ReadVarU32();
                var type = CoreItem(spaces, sort, index, itemAt);
                if (!names.Add(name)) Invalid($"export name `{name}` already defined", itemAt);
                items[i] = (name, sort, index);
                exports[i] = new CoreExport(name, type);
            }
            scope.Component!.CoreInstances.Add(new CoreInstanceDefinition(at) { Exports = items });
            spaces.CoreInstances.Add(new CoreInstanceType(exports));
        }
        else
        {
            Malformed($"invalid leading byte (0x{kind:x}) for core instance", at);
        }
    }

    // ---- Component instances ----------------------------------------------------------------------------------

    /// <summary>The type of a component-level item; core items other than modules have none.</summary>
    private static ExternType Item(Scope scope, Sort sort, uint index, int at)
    {
        var spaces = scope.Spaces;
        CheckIndex(spaces, sort, index, at);
        int i = (int)index;
        switch (sort)
        {
            case Sort.Func: return new ExternType(sort, spaces.Funcs[i]);
            case Sort.Value: return new ExternType(sort, spaces.Values[i]);
            case Sort.Type: return new ExternType(sort, spaces.Types[i]);
            case Sort.Component: return new ExternType(sort, spaces.Components[i]);
            case Sort.Instance: return new ExternType(sort, spaces.Instances[i]);
            case Sort.CoreModule: return new ExternType(sort, spaces.CoreModules[i]);
            default: Invalid($"a {TypeMatcher.SortName(sort)} cannot be used here: only modules among core sorts", at); return default;
        }
    }

    /// <summary>Marks a value consumed; values must be used exactly once.</summary>
    private static void ConsumeValue(Scope scope, uint index, int at)
    {
        if (scope.ValueConsumed[(int)index]) Invalid($"value index {index} cannot be used more than once", at);
        scope.ValueConsumed[(int)index] = true;
    }

    private void ReadInstance(ref WasmReader reader, Scope scope, int depth)
    {
        var spaces = scope.Spaces;
        int at = reader.Offset;
        byte kind = reader.ReadByte();
        if (kind == 0x00)
        {
            int componentAt = reader.Offset;
            uint componentIndex = reader.ReadVarU32();
            CheckIndex(spaces, Sort.Component, componentIndex, componentAt);
            int count = reader.ReadLength();
            var items = new (string, Sort, uint)[count];
            var args = new Dictionary<string, ExternType>(count);
            for (int i = 0; i < count; i++)
            {
                int argAt = reader.Offset;
                string name = reader.ReadName();
                var sort = ReadSort(ref reader);
                uint index = reader.ReadVarU32();
                var type = Item(scope, sort, index, argAt);
                if (!args.TryAdd(name, type)) Invalid($"instantiation argument `{name}` conflicts with previous argument", argAt);
                if (sort == Sort.Value) ConsumeValue(scope, index, argAt);
                items[i] = (name, sort, index);
            }
            var instance = Instantiate(spaces.Components[(int)componentIndex], args, at);
            scope.Component!.Instances.Add(new InstanceDefinition(at) { ComponentIndex = componentIndex, Items = items });
            spaces.Instances.Add(instance);
        }
        else if (kind == 0x01)
        {
            int count = reader.ReadLength();
            var items = new (string, Sort, uint)[count];
            var exports = new NamedExtern[count];
            // The bundle is its own naming scope for annotated names and uniqueness.
            var bundle = new Scope(spaces, component: null, scope.Features, checkNames: false);
            for (int i = 0; i < count; i++)
            {
                int itemAt = reader.Offset;
                var name = ReadNameAttributes(ref reader, scope, out var implements, out _, out _);
                var sort = ReadSort(ref reader);
                uint index = reader.ReadVarU32();
                var type = Item(scope, sort, index, itemAt);
                // A bundled resource gets a new name, as an export does; bundled value types keep their objects, since
                // other bundled items refer to them as they are.
                if (sort == Sort.Type && type.Type is ResourceType r) type = new ExternType(Sort.Type, r.Alias());
                CheckExtern(bundle, isImport: false, name, implements, type, itemAt);
                if (sort == Sort.Value) ConsumeValue(scope, index, itemAt);
                items[i] = (name, sort, index);
                exports[i] = new NamedExtern(name, type);
            }
            scope.Component!.Instances.Add(new InstanceDefinition(at) { Items = items });
            spaces.Instances.Add(new InstanceType(exports));
        }
        else
        {
            Malformed($"invalid leading byte (0x{kind:x}) for instance", at);
        }
    }

    /// <summary>
    /// Checks the arguments of an instantiation against the component type's imports and returns the instance type:
    /// the component's exports with its imported resources replaced by the arguments' and exported resources fresh.
    /// </summary>
    private static InstanceType Instantiate(ComponentTypeInfo component, Dictionary<string, ExternType> args, int at)
    {
        var subst = new TypeSubstitution();
        foreach (var imp in component.Imports)
        {
            if (!args.TryGetValue(imp.Name, out var arg)) { Invalid($"missing import named `{imp.Name}`", at); return null; }
            // Imported abstract resources take the identity of what is supplied; later imports see the substitution.
            TypeMatcher.Unify(imp.Type, arg, subst, 0);
            if (TypeMatcher.Extern(arg, subst.Apply(imp.Type)) is string why) Invalid($"type mismatch for import `{imp.Name}`: {why}", at);
            TypeMatcher.Unify(imp.Type, arg, subst, 0, named: true);
        }
        foreach (var exp in component.Exports) subst.Freshen(exp.Type, 0);
        var exports = new NamedExtern[component.Exports.Length];
        for (int i = 0; i < exports.Length; i++) exports[i] = new NamedExtern(component.Exports[i].Name, subst.Apply(component.Exports[i].Type));
        return new InstanceType(exports);
    }

    // ---- Aliases ------------------------------------------------------------------------------------------------

    private void ReadAliasDefinition(ref WasmReader reader, Scope scope, int depth) => ReadAlias(ref reader, scope, declarator: false);

    private static void ReadAlias(ref WasmReader reader, Scope scope, bool declarator)
    {
        var spaces = scope.Spaces;
        int at = reader.Offset;
        var sort = ReadSort(ref reader);
        int targetAt = reader.Offset;
        byte target = reader.ReadByte();
        AliasDefinition definition;
        switch (target)
        {
            case 0x00:
            {
                int instanceAt = reader.Offset;
                uint instance = reader.ReadVarU32();
                string name = reader.ReadName();
                if (declarator && sort is not (Sort.Instance or Sort.Type)) Invalid("export aliases in type declarators may only alias instances and types", at);
                CheckIndex(spaces, Sort.Instance, instance, instanceAt);
                if (spaces.Instances[(int)instance].Find(name) is not ExternType type)
                {
                    Invalid($"instance {instance} has no export named `{name}`", at);
                    return;
                }
                if (type.Sort != sort) Invalid($"export `{name}` for instance {instance} is not a {TypeMatcher.SortName(sort)}", at);
                if (sort == Sort.Value) scope.ValueConsumed.Add(false);
                Push(spaces, type);
                definition = new AliasDefinition(sort, AliasKind.InstanceExport, instance, name, 0, 0, (uint)spaces.Count(sort) - 1, at);
                break;
            }
            case 0x01:
            {
                int instanceAt = reader.Offset;
                uint instance = reader.ReadVarU32();
                string name = reader.ReadName();
                if (declarator) Invalid("core export aliases are not allowed in type declarators", at);
                if (sort is not (Sort.CoreFunc or Sort.CoreTable or Sort.CoreMemory or Sort.CoreGlobal or Sort.CoreTag))
                    Invalid($"a core export alias cannot alias a {TypeMatcher.SortName(sort)}", at);
                CheckIndex(spaces, Sort.CoreInstance, instance, instanceAt);
                if (spaces.CoreInstances[(int)instance].Find(name) is not CoreExtern type)
                {
                    Invalid($"core instance {instance} has no export named `{name}`", at);
                    return;
                }
                PushCore(spaces, sort, type, name, instance, at);
                definition = new AliasDefinition(sort, AliasKind.CoreInstanceExport, instance, name, 0, 0, (uint)spaces.Count(sort) - 1, at);
                break;
            }
            case 0x02:
            {
                uint count = reader.ReadVarU32();
                int indexAt = reader.Offset;
                uint index = reader.ReadVarU32();
                if (sort is not (Sort.CoreType or Sort.Type or Sort.CoreModule or Sort.Component))
                    Malformed($"invalid leading byte for component outer alias kind: {TypeMatcher.SortName(sort)}", at);
                if (declarator && sort is not (Sort.CoreType or Sort.Type))
                    Invalid("outer aliases in type declarators may only refer to types or core types", at);
                var target2 = spaces;
                bool crossesComponent = false;
                for (uint i = 0; i < count; i++)
                {
                    if (target2.IsComponent) crossesComponent = true;
                    target2 = target2.Parent;
                    if (target2 is null) { Invalid("invalid outer alias count", at); return; }
                }
                CheckIndex(target2, sort, index, indexAt);
                int idx = (int)index;
                switch (sort)
                {
                    case Sort.CoreType: spaces.CoreTypes.Add(target2.CoreTypes[idx]); break;
                    case Sort.CoreModule: spaces.CoreModules.Add(target2.CoreModules[idx]); break;
                    case Sort.Component: spaces.Components.Add(target2.Components[idx]); break;
                    default:
                    {
                        var type = target2.Types[idx];
                        // Resources are generative: their definitions cannot be seen from other components.
                        if (crossesComponent && ResourceVisibility.UsesDefinedResource(type))
                            Invalid("cannot alias outer type which transitively refers to resources not defined in the current component", at);
                        spaces.Types.Add(type);
                        break;
                    }
                }
                definition = new AliasDefinition(sort, AliasKind.Outer, 0, null, count, index, (uint)spaces.Count(sort) - 1, at);
                break;
            }
            default:
                Malformed($"invalid leading byte (0x{target:x}) for alias target", targetAt);
                return;
        }
        scope.Component?.Aliases.Add(definition);
    }

    /// <summary>Appends an item of a component-level sort to its index space.</summary>
    private static void Push(IndexSpaces spaces, ExternType type)
    {
        switch (type.Sort)
        {
            case Sort.Func: spaces.Funcs.Add(type.Function); break;
            case Sort.Value: spaces.Values.Add(type.Value); break;
            case Sort.Type: spaces.Types.Add((ComponentType)type.Type); break;
            case Sort.Component: spaces.Components.Add(type.Component); break;
            case Sort.Instance: spaces.Instances.Add(type.Instance); break;
            case Sort.CoreModule: spaces.CoreModules.Add(type.Module); break;
        }
    }

    private static void PushCore(IndexSpaces spaces, Sort sort, CoreExtern type, string name, uint instance, int at)
    {
        bool ok = sort switch
        {
            Sort.CoreFunc => type.Kind == ExternKind.Func && !type.IsTag,
            Sort.CoreTag => type.IsTag,
            Sort.CoreTable => type.Kind == ExternKind.Table,
            Sort.CoreMemory => type.Kind == ExternKind.Memory,
            _ => type.Kind == ExternKind.Global,
        };
        if (!ok) Invalid($"export `{name}` for core instance {instance} is not a {TypeMatcher.SortName(sort)}", at);
        switch (sort)
        {
            case Sort.CoreFunc: spaces.CoreFuncs.Add(type.Function!); break;
            case Sort.CoreTag: spaces.CoreTags.Add(type.Function!); break;
            case Sort.CoreTable: spaces.CoreTables.Add(type.Table); break;
            case Sort.CoreMemory: spaces.CoreMemories.Add(type.Memory); break;
            default: spaces.CoreGlobals.Add(type.Global); break;
        }
    }

    // ---- Start, imports, exports, values ------------------------------------------------------------------------

    private static void ReadStart(ref WasmReader reader, Scope scope)
    {
        var spaces = scope.Spaces;
        int at = reader.Offset;
        uint func = reader.ReadVarU32();
        CheckIndex(spaces, Sort.Func, func, at);
        int count = reader.ReadLength();
        var args = new uint[count];
        for (int i = 0; i < count; i++)
        {
            int argAt = reader.Offset;
            args[i] = reader.ReadVarU32();
            CheckIndex(spaces, Sort.Value, args[i], argAt);
        }
        int resultsAt = reader.Offset;
        uint results = reader.ReadVarU32();
        var type = spaces.Funcs[(int)func];
        if (type.Params.Length != count) Invalid($"component start function requires {type.Params.Length} arguments but was given {count}", at);
        for (int i = 0; i < count; i++)
        {
            if (!TypeMatcher.Value(spaces.Values[(int)args[i]], type.Params[i].Type)) Invalid($"type mismatch for start function argument {i}", at);
            ConsumeValue(scope, args[i], at);
        }
        uint expected = type.Result is null ? 0u : 1u;
        if (results != expected) Invalid($"component start function has a result count of {expected} but the function type has a result count of {results}", resultsAt);
        if (type.Result is not null)
        {
            spaces.Values.Add(type.Result);
            scope.ValueConsumed.Add(false);
        }
        scope.Component!.Starts.Add(new StartDefinition(func, args, results, at));
    }

    /// <summary>Reads <c>nameattributes</c>: a name and, in the 0x02 form, its attributes (each kind at most once).</summary>
    private static string ReadNameAttributes(ref WasmReader reader, Scope scope, out string? implements, out string? versionSuffix, out string? externalId)
    {
        implements = versionSuffix = externalId = null;
        int at = reader.Offset;
        byte form = reader.ReadByte();
        if (form > 0x02) Malformed($"invalid leading byte (0x{form:x}) for component external name", at);
        string name = reader.ReadName();
        if (form != 0x02) return name;
        int count = reader.ReadLength();
        for (int i = 0; i < count; i++)
        {
            int attrAt = reader.Offset;
            byte kind = reader.ReadByte();
            string value = reader.ReadName();
            switch (kind)
            {
                case 0x00:
                    if ((scope.Features & ComponentFeatures.Implements) == 0)
                        Invalid("`implements` attributes are not enabled (the `cm-implements` feature is not active)", attrAt);
                    if (implements is not null) Invalid("duplicate `implements` attribute", attrAt);
                    if (ExternNames.Check(value, out var k, out _) is string e || k != ExternNameKind.Interface)
                        Invalid($"`{value}` must be an interface name", attrAt);
                    implements = value;
                    break;
                case 0x01:
                    if (versionSuffix is not null) Invalid("duplicate `versionsuffix` attribute", attrAt);
                    versionSuffix = value;
                    break;
                case 0x02:
                    if (externalId is not null) Invalid("duplicate `external-id` attribute", attrAt);
                    externalId = value;
                    break;
                default:
                    Malformed($"invalid leading byte (0x{kind:x}) for name attribute", attrAt);
                    break;
            }
        }
        return name;
    }

    private static ExternNameKind CheckExternName(string name, int at)
    {
        if (ExternNames.Check(name, out var kind, out _) is string why) Invalid($"`{name}` is not a valid extern name: {why}", at);
        return kind;
    }

    /// <summary>
    /// Checks an import or export name in a scope: validity, strong uniqueness, and the rules of annotated names
    /// (<c>[constructor]</c>, <c>[method]</c>, <c>[static]</c>) against the scope's resources.
    /// </summary>
    private static void CheckExtern(Scope scope, bool isImport, string name, string? implements, ExternType type, int at, string? versionSuffix = null)
    {
        var kind = CheckExternName(name, at);
        if (versionSuffix is not null && ExternNames.CheckVersionSuffix(name, versionSuffix) is string bad) Invalid($"invalid version suffix: {bad}", at);
        var keys = isImport ? scope.ImportKeys : scope.ExportKeys;
        if (!keys.Add(ExternNames.UniquenessKey(name)))
            Invalid($"{(isImport ? "import" : "export")} name `{name}` conflicts with previous name", at);
        if (implements is not null && (type.Sort != Sort.Instance || kind != ExternNameKind.Label))
            Invalid("only instances can have an `implements` attribute, and only under a plain name", at);
        var resourceNames = isImport ? scope.ImportedResourceNames : scope.ExportedResourceNames;
        if (kind == ExternNameKind.Label && type.Sort == Sort.Type && type.Type is ResourceType r) resourceNames[name] = r;
        if (scope.CheckNames)
        {
            // Imports see only types named by imports; exports see types named by imports and exports.
            var visible = isImport ? scope.ImportedNames : scope.Names;
            if (ResourceVisibility.FindHidden(type, visible.Contains) is not null)
                Invalid($"{TypeMatcher.SortName(type.Sort)} not valid to be used as {(isImport ? "import" : "export")}: it uses a type that is not {(isImport ? "imported" : "imported or exported")} before", at);
            if (isImport) ResourceVisibility.CollectIntroduced(type, scope.ImportedNames);
            ResourceVisibility.CollectIntroduced(type, scope.Names);
        }
        if (kind is ExternNameKind.Constructor or ExternNameKind.Method or ExternNameKind.Static)
        {
            if (type.Sort != Sort.Func) Invalid($"`{name}` is not a func, but annotated names only name functions", at);
            ExternNames.Check(name, out _, out var resourceName);
            // The function's shape first, then whether it names the resource the annotation names.
            var f = type.Function;
            HandleType? handle = null;
            if (kind == ExternNameKind.Constructor)
            {
                if (f.Result is null) Invalid($"function `{name}` should return one value", at);
                var result = f.Result is ResultType { Ok: ValueType ok } ? ok : f.Result;
                if (result is not HandleType { IsBorrow: false } own) Invalid($"function `{name}` should return `(own $T)`", at);
                else handle = own;
            }
            else if (kind == ExternNameKind.Method)
            {
                if (f.Params.Length == 0) Invalid($"function `{name}` should have at least one argument", at);
                if (f.Params[0].Label != "self") Invalid($"function `{name}` should have a first argument called `self`", at);
                if (f.Params[0].Type is not HandleType { IsBorrow: true } borrow) Invalid($"function `{name}` should take a first argument of `(borrow $T)`", at);
                else handle = borrow;
            }
            if (!resourceNames.TryGetValue(resourceName!, out var resource))
            {
                Invalid($"resource name `{resourceName}` is not known in this context", at);
                return;
            }
            // The handle must use the name the resource has in this scope.
            if (handle is not null && !ReferenceEquals(handle.Resource, resource))
                Invalid($"function `{name}` does not match expected resource name `{resourceName}`: resource used in function does not have a name in this context", at);
        }
    }

    private void ReadImport(ref WasmReader reader, Scope scope, int depth)
    {
        int at = reader.Offset;
        string name = ReadNameAttributes(ref reader, scope, out var implements, out var version, out var externalId);
        var type = FreshInstance(ReadExternType(ref reader, scope, name));
        CheckExtern(scope, isImport: true, name, implements, type, at, version);
        Push(scope.Spaces, type);
        if (type.Sort == Sort.Value) scope.ValueConsumed.Add(false);
        scope.Imports.Add(new NamedExtern(name, type));
        scope.Component!.Imports.Add(new ExternDefinition(name, type, (uint)scope.Spaces.Count(type.Sort) - 1, at)
        {
            Implements = implements,
            VersionSuffix = version,
            ExternalId = externalId,
        });
    }

    /// <summary>
    /// Each import of an instance type gets its own copy of the resources the type declares, so two imports of one
    /// instance type have distinct resources.
    /// </summary>
    private static ExternType FreshInstance(ExternType type)
    {
        if (type.Sort != Sort.Instance) return type;
        var subst = new TypeSubstitution();
        subst.Freshen(type, 0, declaredOnly: true);
        return subst.Apply(type);
    }

    private void ReadExport(ref WasmReader reader, Scope scope, int depth)
    {
        int at = reader.Offset;
        string name = ReadNameAttributes(ref reader, scope, out var implements, out var version, out var externalId);
        int itemAt = reader.Offset;
        var sort = ReadSort(ref reader);
        uint index = reader.ReadVarU32();
        var type = Item(scope, sort, index, itemAt);
        int ascriptionAt = reader.Offset;
        byte hasAscription = reader.ReadByte();
        if (hasAscription == 0x01)
        {
            var ascribed = ReadExternType(ref reader, scope, name);
            // A (sub resource) ascription hides which resource is exported: the export is a new abstract resource.
            bool hidesResource = ascribed.Sort == Sort.Type && ascribed.Type is ResourceType && type.Type is ResourceType;
            if (!hidesResource && TypeMatcher.Extern(type, ascribed) is string why) Invalid($"type mismatch in export `{name}`: {why}", ascriptionAt);
            type = ascribed;
        }
        else if (hasAscription == 0x00 && type.Sort == Sort.Type)
        {
            // The export's new type index is a new name for the type.
            type = new ExternType(Sort.Type, ResourceVisibility.Rename((ComponentType)type.Type));
        }
        else if (hasAscription != 0x00)
        {
            Malformed($"invalid leading byte (0x{hasAscription:x}) for optional export type", ascriptionAt);
        }
        CheckExtern(scope, isImport: false, name, implements, type, at, version);
        if (sort == Sort.Value) ConsumeValue(scope, index, at);
        Push(scope.Spaces, type);
        if (sort == Sort.Value) scope.ValueConsumed.Add(true);
        scope.Exports.Add(new NamedExtern(name, type));
        scope.Component!.Exports.Add(new ExternDefinition(name, type, (uint)scope.Spaces.Count(sort) - 1, at)
        {
            SourceIndex = index,
            Implements = implements,
            VersionSuffix = version,
            ExternalId = externalId,
        });
    }

    /// <summary>Value definitions (🪙): the type and the encoded value's bytes; the value itself is not decoded.</summary>
    private void ReadValue(ref WasmReader reader, Scope scope, int depth)
    {
        var type = ReadValType(ref reader, scope.Spaces);
        reader.ReadByteVector();
        scope.Spaces.Values.Add(type);
        scope.ValueConsumed.Add(false);
    }
}
