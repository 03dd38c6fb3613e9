using Sharptime.ComponentModel.Binary;
using Sharptime.ComponentModel.Wit;
using ValueType = Sharptime.ComponentModel.Binary.ValueType;

namespace Sharptime.ComponentModel.Decoding;

/// <summary>
/// Describes a compiled component in WIT: one world, <c>root:component/root</c>, whose imports and exports mirror the
/// component's type. Instances named like interfaces (<c>ns:pkg/iface@ver</c>) become interfaces of packages named
/// after them; plain-named instances become inline interfaces; functions become world functions; named types become
/// type definitions (a type another interface already defined becomes a <c>use</c>); anonymous types print inline.
/// Resource functions are recognised by the <c>[constructor]r</c>, <c>[method]r.m</c> and <c>[static]r.s</c> names.
/// </summary>
public static class ComponentWorldExtractor
{
    /// <summary>True when the bytes start with a component preamble (not a core module).</summary>
    public static bool IsComponent(ReadOnlySpan<byte> bytes) => ComponentFrontEnd.IsComponent(bytes);

    /// <summary>
    /// Decodes and validates a component binary and describes it in WIT. The resolution's last package (its single
    /// root) is <c>root:component</c> with the world <c>root</c>; the packages of named interfaces come before it.
    /// </summary>
    /// <exception cref="NotSupportedException">The component imports or exports something WIT cannot describe.</exception>
    public static WitResolution Extract(ReadOnlyMemory<byte> bytes) => Extract(ComponentFrontEnd.DecodeAndValidate(bytes));

    /// <summary>
    /// Prints an extracted description the way wasm-tools lays it out: the root package first (<c>package
    /// root:component;</c> and its world), then every package of a named interface as a nested
    /// <c>package ns:pkg { ... }</c> block. The text resolves back to the same packages.
    /// </summary>
    public static string Print(WitResolution resolution)
    {
        if (resolution is null) throw new ArgumentNullException(nameof(resolution));
        var root = resolution.Roots[^1];
        var text = WitPrinter.Print(root);
        var others = resolution.Packages.Where(p => p != root).ToList();
        return others.Count == 0 ? text : text + "\n" + WitPrinter.Print(others);
    }

    internal static WitResolution Extract(ComponentInfo component) => new Extractor().Run(component.Type);

    private sealed class Extractor
    {
        private readonly WitPackage _root = new(new WitPackageName("root", "component", null));
        private readonly List<WitPackage> _packages = [];

        /// <summary>The first definition of each named type (resources by their canonical identity).</summary>
        private readonly Dictionary<object, WitTypeDef> _defined = new(ReferenceEqualityComparer.Instance);

        /// <summary>The types visible in the scope being filled (an interface or the world).</summary>
        private Dictionary<object, WitTypeDef> _scope = new(ReferenceEqualityComparer.Instance);

        public WitResolution Run(ComponentTypeInfo type)
        {
            var world = new WitWorld("root", _root);
            _root.WorldList.Add(world);
            var worldScope = new Dictionary<object, WitTypeDef>(ReferenceEqualityComparer.Instance);
            foreach (var item in type.Imports) WorldItem(world, item, world.ImportList, worldScope);
            foreach (var item in type.Exports) WorldItem(world, item, world.ExportList, worldScope);
            var packages = new List<WitPackage>(_packages) { _root };
            return new WitResolution(packages, [_root]);
        }

        private void WorldItem(WitWorld world, NamedExtern item, List<WitWorldItem> into, Dictionary<object, WitTypeDef> worldScope)
        {
            switch (item.Type.Sort)
            {
                case Sort.Instance:
                {
                    var (iface, isPath) = InterfaceFor(item.Name);
                    if (iface.TypeList.Count == 0 && iface.FunctionList.Count == 0) FillInterface(iface, item.Type.Instance);
                    into.Add(new WitWorldItem(isPath ? iface.QualifiedName! : item.Name, WitWorldItemKind.Interface) { Interface = iface });
                    break;
                }
                case Sort.Func:
                {
                    _scope = worldScope;
                    var resourceFunctions = new Dictionary<WitTypeDef, List<WitFunction>>();
                    var func = Function(item.Name, item.Type.Function, name => FindWorldType(world, name), resourceFunctions);
                    if (func is not null) into.Add(new WitWorldItem(item.Name, WitWorldItemKind.Function) { Function = func });
                    Attach(resourceFunctions);
                    break;
                }
                case Sort.Type:
                {
                    _scope = worldScope;
                    if (into == world.ExportList && ExportTwin(world, item) is { } twin)
                    {
                        // The export of an imported world type under the same name (how WIT world types are encoded):
                        // one definition, which exported functions refer to as well.
                        worldScope.TryAdd(Key(item.Type.Type), twin);
                        break;
                    }
                    if (into == world.ExportList && item.Type.Type is ResourceType)
                        throw new NotSupportedException($"`{item.Name}` is a resource exported by the component itself, which WIT cannot describe: worlds export resources only inside interfaces");
                    var def = TypeDef(item.Name, item.Type.Type);
                    def.OwnerWorld = world;
                    // WIT worlds hold types on the import side only.
                    world.ImportList.Add(new WitWorldItem(item.Name, WitWorldItemKind.Type) { Type = def });
                    break;
                }
                default:
                    throw new NotSupportedException($"`{item.Name}` is a {SortName(item.Type.Sort)}, which WIT cannot describe");
            }
        }

        /// <summary>
        /// The world type an exported type re-exports under the same name: the imported definition of the same resource,
        /// or of the type the export renames.
        /// </summary>
        private WitTypeDef? ExportTwin(WitWorld world, NamedExtern item)
        {
            if (FindWorldType(world, item.Name) is not { } imported) return null;
            for (object? current = item.Type.Type; current is not null; current = (current as ValueType)?.RenamedFrom)
            {
                if (_scope.TryGetValue(Key(current), out var def) && def == imported) return def;
            }
            return null;
        }

        private static WitTypeDef? FindWorldType(WitWorld world, string name)
        {
            foreach (var item in world.ImportList)
            {
                if (item.Kind == WitWorldItemKind.Type && item.Name == name) return item.Type;
            }
            return null;
        }

        private static string SortName(Sort sort) => sort switch
        {
            Sort.CoreModule => "core module",
            Sort.Component => "component",
            Sort.Value => "value",
            _ => sort.ToString().ToLowerInvariant(),
        };

        /// <summary>The interface for an instance name: a package's named interface, or a fresh inline one.</summary>
        private (WitInterface Interface, bool IsPath) InterfaceFor(string name)
        {
            int colon = name.IndexOf(':');
            int slash = name.IndexOf('/');
            if (colon <= 0 || slash < colon) return (new WitInterface(null, _root), false);
            string? version = null;
            int at = name.IndexOf('@');
            string path = name;
            if (at > slash)
            {
                version = name[(at + 1)..];
                path = name[..at];
            }
            var ns = path[..colon];
            var pkg = path[(colon + 1)..slash];
            var ifaceName = path[(slash + 1)..];
            var packageName = new WitPackageName(ns, pkg, version);
            var package = _packages.Find(p => p.Name.Equals(packageName));
            if (package is null)
            {
                package = new WitPackage(packageName);
                _packages.Add(package);
            }
            var iface = package.FindInterface(ifaceName);
            if (iface is null)
            {
                iface = new WitInterface(ifaceName, package);
                package.InterfaceList.Add(iface);
            }
            return (iface, true);
        }

        private void FillInterface(WitInterface iface, InstanceType instance)
        {
            _scope = new Dictionary<object, WitTypeDef>(ReferenceEqualityComparer.Instance);
            var resourceFunctions = new Dictionary<WitTypeDef, List<WitFunction>>();
            foreach (var export in instance.Exports)
            {
                switch (export.Type.Sort)
                {
                    case Sort.Type:
                    {
                        var def = TypeDef(export.Name, export.Type.Type);
                        def.OwnerInterface = iface;
                        iface.TypeList.Add(def);
                        break;
                    }
                    case Sort.Func:
                    {
                        var func = Function(export.Name, export.Type.Function, iface.FindType, resourceFunctions);
                        if (func is not null) iface.FunctionList.Add(func);
                        break;
                    }
                    default:
                        throw new NotSupportedException($"`{export.Name}` of interface `{iface}` is a {SortName(export.Type.Sort)}, which WIT cannot describe");
                }
            }
            Attach(resourceFunctions);
        }

        private static void Attach(Dictionary<WitTypeDef, List<WitFunction>> resourceFunctions)
        {
            foreach (var (resource, functions) in resourceFunctions)
            {
                resource.ResourceFunctions = [.. resource.ResourceFunctions, .. functions];
                resource.HasBody = true;
            }
        }

        private static object Key(object type) => type is ResourceType r ? r.Canonical : type;

        /// <summary>A named type exported from the current scope: its definition, or a <c>use</c> of an earlier one.</summary>
        private WitTypeDef TypeDef(string name, object type)
        {
            var key = Key(type);
            WitTypeDef def;
            if (_scope.TryGetValue(key, out var local))
            {
                def = new WitTypeDef(name, WitTypeDefKind.Alias) { AliasedType = new WitNamedType(local) };
            }
            else if (Earlier(type) is { } earlier)
            {
                def = new WitTypeDef(name, WitTypeDefKind.Use) { UsedType = earlier };
            }
            else
            {
                def = type switch
                {
                    ResourceType => new WitTypeDef(name, WitTypeDefKind.Resource),
                    RecordType r => new WitTypeDef(name, WitTypeDefKind.Record)
                    {
                        Fields = [.. r.Fields.Select(f => new WitField(f.Label, Type(f.Type), null))],
                    },
                    VariantType v => new WitTypeDef(name, WitTypeDefKind.Variant)
                    {
                        Cases = [.. v.Cases.Select(c => new WitCase(c.Label, c.Type is null ? null : Type(c.Type), null))],
                    },
                    EnumType e => new WitTypeDef(name, WitTypeDefKind.Enum) { Cases = [.. e.Labels.Select(l => new WitCase(l, null, null))] },
                    FlagsType f => new WitTypeDef(name, WitTypeDefKind.Flags) { Flags = [.. f.Labels.Select(l => new WitFlag(l, null))] },
                    ValueType t => new WitTypeDef(name, WitTypeDefKind.Alias) { AliasedType = Type(t) },
                    _ => throw new NotSupportedException($"type `{name}` is a {type.GetType().Name}, which WIT cannot describe"),
                };
                _defined.TryAdd(key, def);
            }
            _scope.TryAdd(key, def);
            return def;
        }

        /// <summary>
        /// The definition in a named interface this type (or a type it renames) already has, which the current scope
        /// can <c>use</c>.
        /// </summary>
        private WitTypeDef? Earlier(object type)
        {
            for (object? current = type; current is not null; current = (current as ValueType)?.RenamedFrom)
            {
                if (_defined.TryGetValue(Key(current), out var earlier) && earlier.OwnerInterface?.Name is not null) return earlier;
            }
            return null;
        }

        /// <summary>
        /// A function of the current scope. Resource functions are added to <paramref name="resourceFunctions"/> and
        /// give null; freestanding ones are returned.
        /// </summary>
        private WitFunction? Function(string name, ComponentFunctionType type, Func<string, WitTypeDef?> findType, Dictionary<WitTypeDef, List<WitFunction>> resourceFunctions)
        {
            var kind = WitFunctionKind.Freestanding;
            WitTypeDef? resource = null;
            string funcName = name;
            if (name.StartsWith("[async]", StringComparison.Ordinal)) funcName = name["[async]".Length..];
            else if (TrySplit(name, "[constructor]", out var r, out _)) (kind, resource, funcName) = (WitFunctionKind.Constructor, findType(r), "constructor");
            else if (TrySplit(name, "[method]", out r, out var m)) (kind, resource, funcName) = (WitFunctionKind.Method, findType(r), m);
            else if (TrySplit(name, "[static]", out r, out m)) (kind, resource, funcName) = (WitFunctionKind.Static, findType(r), m);
            if (kind != WitFunctionKind.Freestanding && resource is null)
                throw new NotSupportedException($"function `{name}` names a resource that is not defined next to it");

            var parameters = type.Params.AsEnumerable();
            if (kind == WitFunctionKind.Method) parameters = parameters.Skip(1);
            var func = new WitFunction(funcName, kind)
            {
                Resource = resource,
                IsAsync = type.IsAsync,
                Params = [.. parameters.Select(p => new WitParam(p.Label, Type(p.Type)))],
            };
            var result = type.Result is null ? null : Type(type.Result);
            // A constructor returning its own resource declares no result.
            if (kind == WitFunctionKind.Constructor && result is WitNamedType named && named.Definition == resource) result = null;
            func.Result = result;
            if (resource is null) return func;
            if (!resourceFunctions.TryGetValue(resource, out var list)) resourceFunctions[resource] = list = [];
            list.Add(func);
            return null;
        }

        private static bool TrySplit(string name, string prefix, out string resource, out string member)
        {
            resource = member = "";
            if (!name.StartsWith(prefix, StringComparison.Ordinal)) return false;
            var rest = name[prefix.Length..];
            if (prefix == "[constructor]")
            {
                resource = rest;
                return true;
            }
            int dot = rest.IndexOf('.');
            if (dot <= 0) return false;
            resource = rest[..dot];
            member = rest[(dot + 1)..];
            return true;
        }

        private WitTypeDef? Named(object type)
        {
            var key = Key(type);
            return _scope.TryGetValue(key, out var def) ? def : _defined.GetValueOrDefault(key);
        }

        /// <summary>A value type as written at a use site: named types by name, anonymous ones inline.</summary>
        private WitType Type(ValueType type)
        {
            if (Named(type) is { } named) return new WitNamedType(named);
            return type switch
            {
                PrimitiveType p => WitPrimitiveType.Get(p.Kind switch
                {
                    PrimitiveKind.Bool => WitPrimitiveKind.Bool,
                    PrimitiveKind.S8 => WitPrimitiveKind.S8,
                    PrimitiveKind.U8 => WitPrimitiveKind.U8,
                    PrimitiveKind.S16 => WitPrimitiveKind.S16,
                    PrimitiveKind.U16 => WitPrimitiveKind.U16,
                    PrimitiveKind.S32 => WitPrimitiveKind.S32,
                    PrimitiveKind.U32 => WitPrimitiveKind.U32,
                    PrimitiveKind.S64 => WitPrimitiveKind.S64,
                    PrimitiveKind.U64 => WitPrimitiveKind.U64,
                    PrimitiveKind.F32 => WitPrimitiveKind.F32,
                    PrimitiveKind.F64 => WitPrimitiveKind.F64,
                    PrimitiveKind.Char => WitPrimitiveKind.Char,
                    PrimitiveKind.String => WitPrimitiveKind.String,
                    _ => WitPrimitiveKind.ErrorContext,
                }),
                ListType l => new WitListType(Type(l.Element), l.Length),
                TupleType t => new WitTupleType([.. t.Types.Select(Type)]),
                OptionType o => new WitOptionType(Type(o.Some)),
                ResultType r => new WitResultType(r.Ok is null ? null : Type(r.Ok), r.Error is null ? null : Type(r.Error)),
                MapType m => new WitMapType(Type(m.Key), Type(m.Value)),
                AsyncValueType { IsStream: true } s => new WitStreamType(s.Payload is null ? null : Type(s.Payload)),
                AsyncValueType f => new WitFutureType(f.Payload is null ? null : Type(f.Payload)),
                // wasm-tools prints `own<r>` as plain `r`.
                HandleType { IsBorrow: false } h => new WitNamedType(Resource(h.Resource)),
                HandleType h => new WitHandleType(Resource(h.Resource), isBorrow: true),
                _ => throw new NotSupportedException($"an unnamed {type.GetType().Name.Replace("Type", "").ToLowerInvariant()} cannot be described in WIT; it needs a name"),
            };
        }

        private WitTypeDef Resource(ResourceType resource) =>
            Named(resource) ?? throw new NotSupportedException($"resource `{resource.Name ?? "?"}` has no name in scope");
    }
}
