using System;
using System.Collections.Generic;

namespace Sharptime.ComponentModel.Wit;

/// <summary>The result of resolving a set of WIT packages: every package, dependencies before dependents.</summary>
public sealed class WitResolution
{
    internal WitResolution(IReadOnlyList<WitPackage> packages, IReadOnlyList<WitPackage> roots)
    {
        Packages = packages;
        Roots = roots;
    }

    /// <summary>Every package, in topological order: a package comes after every package it refers to.</summary>
    public IReadOnlyList<WitPackage> Packages { get; }

    /// <summary>The packages that were added directly (not found under a <c>deps/</c> folder), in the order added.</summary>
    public IReadOnlyList<WitPackage> Roots { get; }

    /// <summary>
    /// Selects a world the way WIT tooling conventionally does: with no name, the single world of the (last) root
    /// package; with a plain name such as <c>command</c>, that world of the last root package; with a path such as
    /// <c>wasi:cli/command@0.2.0</c> (or without the version when only one is present), that world of any package.
    /// Returns null when there is no such world, or no single one.
    /// </summary>
    public WitWorld? FindWorld(string? name = null)
    {
        var root = Roots.Count > 0 ? Roots[Roots.Count - 1] : null;
        if (name is null) return root is not null && root.Worlds.Count == 1 ? root.Worlds[0] : null;
        int slash = name.IndexOf('/');
        if (slash < 0) return root?.FindWorld(name);
        var world = name.Substring(slash + 1);
        var package = name.Substring(0, slash);
        int at = world.IndexOf('@');
        if (at >= 0)
        {
            package += world.Substring(at);
            world = world.Substring(0, at);
        }
        return FindPackage(package)?.FindWorld(world);
    }

    /// <summary>Finds a package by name, e.g. <c>wasi:io@0.2.0</c> or <c>wasi:io</c> (when only one version is present).</summary>
    public WitPackage? FindPackage(string name)
    {
        WitPackage? found = null;
        foreach (var package in Packages)
        {
            if (package.Name.ToString() == name) return package;
            if (package.Name.Namespace + ":" + package.Name.Name == name)
            {
                if (found is not null) return null;
                found = package;
            }
        }
        return found;
    }
}

/// <summary>A package name: <c>namespace:name@version</c>.</summary>
public sealed class WitPackageName : IEquatable<WitPackageName>
{
    /// <summary>Creates a package name.</summary>
    public WitPackageName(string @namespace, string name, string? version)
    {
        Namespace = @namespace;
        Name = name;
        Version = version;
    }

    /// <summary>The namespace, e.g. <c>wasi</c>.</summary>
    public string Namespace { get; }

    /// <summary>The name within the namespace, e.g. <c>io</c>.</summary>
    public string Name { get; }

    /// <summary>The semantic version, e.g. <c>0.2.0</c>, or null when the package is unversioned.</summary>
    public string? Version { get; }

    /// <summary>The name as written in WIT, e.g. <c>wasi:io@0.2.0</c>.</summary>
    public override string ToString() => Version is null ? $"{Namespace}:{Name}" : $"{Namespace}:{Name}@{Version}";

    /// <inheritdoc />
    public bool Equals(WitPackageName? other) =>
        other is not null && Namespace == other.Namespace && Name == other.Name && Version == other.Version;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as WitPackageName);

    /// <inheritdoc />
    public override int GetHashCode() => ToString().GetHashCode();
}

/// <summary>The feature-gate attributes on an item: <c>@since</c>, <c>@unstable</c>, <c>@deprecated</c>.</summary>
public sealed class WitStability : IEquatable<WitStability>
{
    /// <summary>No gate at all.</summary>
    public static readonly WitStability None = new WitStability(null, null, null);

    /// <summary>Creates a gate description.</summary>
    public WitStability(string? since, string? unstableFeature, string? deprecated)
    {
        Since = since;
        UnstableFeature = unstableFeature;
        Deprecated = deprecated;
    }

    /// <summary>The version from <c>@since(version = ...)</c>, or null.</summary>
    public string? Since { get; }

    /// <summary>The feature from <c>@unstable(feature = ...)</c>, or null when the item is not unstable.</summary>
    public string? UnstableFeature { get; }

    /// <summary>The version from <c>@deprecated(version = ...)</c>, or null.</summary>
    public string? Deprecated { get; }

    /// <summary>True when no attribute is present.</summary>
    public bool IsNone => Since is null && UnstableFeature is null && Deprecated is null;

    /// <inheritdoc />
    public bool Equals(WitStability? other) =>
        other is not null && Since == other.Since && UnstableFeature == other.UnstableFeature && Deprecated == other.Deprecated;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as WitStability);

    /// <inheritdoc />
    public override int GetHashCode() => (Since ?? "").GetHashCode() ^ (UnstableFeature ?? "").GetHashCode() * 7 ^ (Deprecated ?? "").GetHashCode() * 13;
}

/// <summary>A resolved package: its interfaces and worlds.</summary>
public sealed class WitPackage
{
    internal WitPackage(WitPackageName name) => Name = name;

    /// <summary>The package name.</summary>
    public WitPackageName Name { get; }

    /// <summary>Documentation on the <c>package</c> declaration, or null.</summary>
    public string? Docs { get; internal set; }

    /// <summary>The named interfaces, in source order.</summary>
    public IReadOnlyList<WitInterface> Interfaces => InterfaceList;

    /// <summary>The worlds, in source order.</summary>
    public IReadOnlyList<WitWorld> Worlds => WorldList;

    internal List<WitInterface> InterfaceList { get; } = new List<WitInterface>();
    internal List<WitWorld> WorldList { get; } = new List<WitWorld>();

    /// <summary>Finds an interface by name.</summary>
    public WitInterface? FindInterface(string name) => InterfaceList.Find(i => i.Name == name);

    /// <summary>Finds a world by name.</summary>
    public WitWorld? FindWorld(string name) => WorldList.Find(w => w.Name == name);

    /// <inheritdoc />
    public override string ToString() => Name.ToString();
}

/// <summary>A resolved interface: named (in a package) or inline (inside a world import or export).</summary>
public sealed class WitInterface
{
    internal WitInterface(string? name, WitPackage package)
    {
        Name = name;
        Package = package;
    }

    /// <summary>The interface name, or null for an inline interface of a world.</summary>
    public string? Name { get; }

    /// <summary>The package the interface belongs to.</summary>
    public WitPackage Package { get; }

    /// <summary>Documentation, or null.</summary>
    public string? Docs { get; internal set; }

    /// <summary>Feature gates on the interface.</summary>
    public WitStability Stability { get; internal set; } = WitStability.None;

    /// <summary>The types defined or imported with <c>use</c>, in source order.</summary>
    public IReadOnlyList<WitTypeDef> Types => TypeList;

    /// <summary>The freestanding functions, in source order.</summary>
    public IReadOnlyList<WitFunction> Functions => FunctionList;

    internal List<WitTypeDef> TypeList { get; } = new List<WitTypeDef>();
    internal List<WitFunction> FunctionList { get; } = new List<WitFunction>();

    /// <summary>Finds a type by name.</summary>
    public WitTypeDef? FindType(string name) => TypeList.Find(t => t.Name == name);

    /// <summary>Finds a freestanding function by name.</summary>
    public WitFunction? FindFunction(string name) => FunctionList.Find(f => f.Name == name);

    /// <summary>The interface identity as used in WIT paths, e.g. <c>wasi:io/streams@0.2.0</c>; inline interfaces have none.</summary>
    public string? QualifiedName => Name is null
        ? null
        : Package.Name.Version is null
            ? $"{Package.Name.Namespace}:{Package.Name.Name}/{Name}"
            : $"{Package.Name.Namespace}:{Package.Name.Name}/{Name}@{Package.Name.Version}";

    /// <inheritdoc />
    public override string ToString() => QualifiedName ?? "interface { ... }";
}

/// <summary>A resolved world: what a component imports and exports.</summary>
public sealed class WitWorld
{
    internal WitWorld(string name, WitPackage package)
    {
        Name = name;
        Package = package;
    }

    /// <summary>The world name.</summary>
    public string Name { get; }

    /// <summary>The package the world belongs to.</summary>
    public WitPackage Package { get; }

    /// <summary>Documentation, or null.</summary>
    public string? Docs { get; internal set; }

    /// <summary>Feature gates on the world.</summary>
    public WitStability Stability { get; internal set; } = WitStability.None;

    /// <summary>The imports (interfaces, functions and types), <c>include</c>s merged in, in source order.</summary>
    public IReadOnlyList<WitWorldItem> Imports => ImportList;

    /// <summary>The exports (interfaces and functions), <c>include</c>s merged in, in source order.</summary>
    public IReadOnlyList<WitWorldItem> Exports => ExportList;

    internal List<WitWorldItem> ImportList { get; } = new List<WitWorldItem>();
    internal List<WitWorldItem> ExportList { get; } = new List<WitWorldItem>();

    /// <inheritdoc />
    public override string ToString() => $"{Package.Name}/{Name}";
}

/// <summary>What a world item is.</summary>
public enum WitWorldItemKind
{
    /// <summary>An interface, by path or inline.</summary>
    Interface,

    /// <summary>A function.</summary>
    Function,

    /// <summary>A type (defined in the world or brought in with <c>use</c>); imports only.</summary>
    Type,
}

/// <summary>One import or export of a world.</summary>
public sealed class WitWorldItem
{
    internal WitWorldItem(string name, WitWorldItemKind kind)
    {
        Name = name;
        Kind = kind;
    }

    /// <summary>
    /// The item's name: the qualified interface name (e.g. <c>wasi:io/streams@0.2.0</c>) for an interface imported by
    /// path, otherwise the plain name written in the world (also for <c>import name: some-interface;</c>).
    /// </summary>
    public string Name { get; }

    /// <summary>What the item is.</summary>
    public WitWorldItemKind Kind { get; }

    /// <summary>The interface, for <see cref="WitWorldItemKind.Interface"/>.</summary>
    public WitInterface? Interface { get; internal set; }

    /// <summary>The function, for <see cref="WitWorldItemKind.Function"/>.</summary>
    public WitFunction? Function { get; internal set; }

    /// <summary>The type, for <see cref="WitWorldItemKind.Type"/>.</summary>
    public WitTypeDef? Type { get; internal set; }

    /// <summary>True when the interface was imported by path rather than declared inline.</summary>
    public bool IsInterfacePath => Kind == WitWorldItemKind.Interface && Interface is not null && Interface.Name is not null && Name == Interface.QualifiedName;

    /// <summary>Documentation on the import or export statement, or null.</summary>
    public string? Docs { get; internal set; }

    /// <summary>Feature gates on the import or export statement.</summary>
    public WitStability Stability { get; internal set; } = WitStability.None;

    /// <inheritdoc />
    public override string ToString() => Name;
}

/// <summary>The kinds of named type definitions.</summary>
public enum WitTypeDefKind
{
    /// <summary><c>record</c>.</summary>
    Record,

    /// <summary><c>variant</c>.</summary>
    Variant,

    /// <summary><c>enum</c>.</summary>
    Enum,

    /// <summary><c>flags</c>.</summary>
    Flags,

    /// <summary><c>resource</c>.</summary>
    Resource,

    /// <summary><c>type name = T;</c>.</summary>
    Alias,

    /// <summary>A type brought in from another interface with <c>use</c>; see <see cref="WitTypeDef.UsedType"/>.</summary>
    Use,
}

/// <summary>A named type in an interface or world.</summary>
public sealed class WitTypeDef
{
    internal WitTypeDef(string name, WitTypeDefKind kind)
    {
        Name = name;
        Kind = kind;
    }

    /// <summary>The name in the owning interface or world (after any <c>as</c> rename).</summary>
    public string Name { get; }

    /// <summary>What kind of definition this is.</summary>
    public WitTypeDefKind Kind { get; }

    /// <summary>The owning interface (null when owned by a world).</summary>
    public WitInterface? OwnerInterface { get; internal set; }

    /// <summary>The owning world (null when owned by an interface).</summary>
    public WitWorld? OwnerWorld { get; internal set; }

    /// <summary>Documentation, or null.</summary>
    public string? Docs { get; internal set; }

    /// <summary>Feature gates.</summary>
    public WitStability Stability { get; internal set; } = WitStability.None;

    /// <summary>Record fields (for <see cref="WitTypeDefKind.Record"/>).</summary>
    public IReadOnlyList<WitField> Fields { get; internal set; } = Array.Empty<WitField>();

    /// <summary>Cases of a variant or enum (enum cases have no payload).</summary>
    public IReadOnlyList<WitCase> Cases { get; internal set; } = Array.Empty<WitCase>();

    /// <summary>Flag names (for <see cref="WitTypeDefKind.Flags"/>).</summary>
    public IReadOnlyList<WitFlag> Flags { get; internal set; } = Array.Empty<WitFlag>();

    /// <summary>Resource constructor, methods and static functions (for <see cref="WitTypeDefKind.Resource"/>).</summary>
    public IReadOnlyList<WitFunction> ResourceFunctions { get; internal set; } = Array.Empty<WitFunction>();

    /// <summary>
    /// True when the resource was declared with a body (<c>resource r { }</c>) rather than <c>resource r;</c>.
    /// Only affects printing.
    /// </summary>
    public bool HasBody { get; internal set; }

    /// <summary>The aliased type (for <see cref="WitTypeDefKind.Alias"/>).</summary>
    public WitType? AliasedType { get; internal set; }

    /// <summary>The original definition (for <see cref="WitTypeDefKind.Use"/>), itself possibly another use.</summary>
    public WitTypeDef? UsedType { get; internal set; }

    /// <summary>
    /// Follows <c>use</c>s and aliases of named types to the definition that gives this type its shape. (Alias cycles,
    /// which resolution reports as errors, stop at the first repeated definition.)
    /// </summary>
    public WitTypeDef Definition
    {
        get
        {
            var current = this;
            HashSet<WitTypeDef>? seen = null;
            for (int steps = 0; ; steps++)
            {
                WitTypeDef? next =
                    current.Kind == WitTypeDefKind.Use ? current.UsedType
                    : current.Kind == WitTypeDefKind.Alias && current.AliasedType is WitNamedType named ? named.Definition
                    : null;
                if (next is null) return current;
                if (steps >= 64)
                {
                    seen ??= new HashSet<WitTypeDef>();
                    if (!seen.Add(current)) return current;
                }
                current = next;
            }
        }
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}

/// <summary>A record field.</summary>
public sealed class WitField
{
    internal WitField(string name, WitType type, string? docs)
    {
        Name = name;
        Type = type;
        Docs = docs;
    }

    /// <summary>The field name.</summary>
    public string Name { get; }

    /// <summary>The field type.</summary>
    public WitType Type { get; }

    /// <summary>Documentation, or null.</summary>
    public string? Docs { get; }
}

/// <summary>A variant or enum case.</summary>
public sealed class WitCase
{
    internal WitCase(string name, WitType? type, string? docs)
    {
        Name = name;
        Type = type;
        Docs = docs;
    }

    /// <summary>The case name.</summary>
    public string Name { get; }

    /// <summary>The payload type, or null when the case has none (always null for enums).</summary>
    public WitType? Type { get; }

    /// <summary>Documentation, or null.</summary>
    public string? Docs { get; }
}

/// <summary>A flag of a <c>flags</c> type.</summary>
public sealed class WitFlag
{
    internal WitFlag(string name, string? docs)
    {
        Name = name;
        Docs = docs;
    }

    /// <summary>The flag name.</summary>
    public string Name { get; }

    /// <summary>Documentation, or null.</summary>
    public string? Docs { get; }
}

/// <summary>What a function is.</summary>
public enum WitFunctionKind
{
    /// <summary>A function of an interface or world.</summary>
    Freestanding,

    /// <summary>A resource <c>constructor</c>.</summary>
    Constructor,

    /// <summary>A resource method: takes an implicit <c>self: borrow&lt;R&gt;</c> (not listed in <see cref="WitFunction.Params"/>).</summary>
    Method,

    /// <summary>A resource <c>static</c> function.</summary>
    Static,
}

/// <summary>A function: freestanding, or a constructor, method or static function of a resource.</summary>
public sealed class WitFunction
{
    internal WitFunction(string name, WitFunctionKind kind)
    {
        Name = name;
        Kind = kind;
    }

    /// <summary>The function name (<c>constructor</c> for constructors).</summary>
    public string Name { get; }

    /// <summary>What the function is.</summary>
    public WitFunctionKind Kind { get; }

    /// <summary>The resource, for constructors, methods and static functions.</summary>
    public WitTypeDef? Resource { get; internal set; }

    /// <summary>True for <c>async func</c>.</summary>
    public bool IsAsync { get; internal set; }

    /// <summary>The declared parameters (a method's implicit <c>self</c> is not listed).</summary>
    public IReadOnlyList<WitParam> Params { get; internal set; } = Array.Empty<WitParam>();

    /// <summary>
    /// The declared result type, or null when there is none. A constructor without a declared result returns
    /// <c>own&lt;R&gt;</c>; this property is then null.
    /// </summary>
    public WitType? Result { get; internal set; }

    /// <summary>Documentation, or null.</summary>
    public string? Docs { get; internal set; }

    /// <summary>Feature gates.</summary>
    public WitStability Stability { get; internal set; } = WitStability.None;

    /// <inheritdoc />
    public override string ToString() => Name;

    internal WitFunction Renamed(string name) => new WitFunction(name, Kind)
    {
        Resource = Resource,
        IsAsync = IsAsync,
        Params = Params,
        Result = Result,
        Docs = Docs,
        Stability = Stability,
    };
}

/// <summary>A named function parameter.</summary>
public sealed class WitParam
{
    internal WitParam(string name, WitType type)
    {
        Name = name;
        Type = type;
    }

    /// <summary>The parameter name.</summary>
    public string Name { get; }

    /// <summary>The parameter type.</summary>
    public WitType Type { get; }
}

/// <summary>A WIT type as written where a type is used (parameter, field, alias target...).</summary>
public abstract class WitType
{
    private protected WitType()
    {
    }

    /// <summary>The type as WIT text (named types by their local name).</summary>
    public override string ToString() => WitPrinter.TypeToString(this);
}

/// <summary>The built-in types without parameters.</summary>
public enum WitPrimitiveKind
{
    /// <summary><c>bool</c>.</summary>
    Bool,
    /// <summary><c>s8</c>.</summary>
    S8,
    /// <summary><c>s16</c>.</summary>
    S16,
    /// <summary><c>s32</c>.</summary>
    S32,
    /// <summary><c>s64</c>.</summary>
    S64,
    /// <summary><c>u8</c>.</summary>
    U8,
    /// <summary><c>u16</c>.</summary>
    U16,
    /// <summary><c>u32</c>.</summary>
    U32,
    /// <summary><c>u64</c>.</summary>
    U64,
    /// <summary><c>f32</c>.</summary>
    F32,
    /// <summary><c>f64</c>.</summary>
    F64,
    /// <summary><c>char</c>.</summary>
    Char,
    /// <summary><c>string</c>.</summary>
    String,
    /// <summary><c>error-context</c>.</summary>
    ErrorContext,
}

/// <summary>A built-in type without parameters.</summary>
public sealed class WitPrimitiveType : WitType
{
    private static readonly WitPrimitiveType[] All = CreateAll();

    private WitPrimitiveType(WitPrimitiveKind kind) => Kind = kind;

    /// <summary>Which primitive.</summary>
    public WitPrimitiveKind Kind { get; }

    /// <summary>The shared instance for <paramref name="kind"/>.</summary>
    public static WitPrimitiveType Get(WitPrimitiveKind kind) => All[(int)kind];

    private static WitPrimitiveType[] CreateAll()
    {
        var all = new WitPrimitiveType[(int)WitPrimitiveKind.ErrorContext + 1];
        for (int i = 0; i < all.Length; i++) all[i] = new WitPrimitiveType((WitPrimitiveKind)i);
        return all;
    }
}

/// <summary><c>list&lt;T&gt;</c>, or the fixed-size <c>list&lt;T, N&gt;</c>.</summary>
public sealed class WitListType : WitType
{
    internal WitListType(WitType element, uint? length)
    {
        Element = element;
        Length = length;
    }

    /// <summary>The element type.</summary>
    public WitType Element { get; }

    /// <summary>The fixed length, or null for a variable-length list.</summary>
    public uint? Length { get; }
}

/// <summary><c>tuple&lt;...&gt;</c>.</summary>
public sealed class WitTupleType : WitType
{
    internal WitTupleType(IReadOnlyList<WitType> elements) => Elements = elements;

    /// <summary>The element types.</summary>
    public IReadOnlyList<WitType> Elements { get; }
}

/// <summary><c>option&lt;T&gt;</c>.</summary>
public sealed class WitOptionType : WitType
{
    internal WitOptionType(WitType some) => Some = some;

    /// <summary>The payload type.</summary>
    public WitType Some { get; }
}

/// <summary><c>result</c>, <c>result&lt;T&gt;</c>, <c>result&lt;_, E&gt;</c> or <c>result&lt;T, E&gt;</c>.</summary>
public sealed class WitResultType : WitType
{
    internal WitResultType(WitType? ok, WitType? error)
    {
        Ok = ok;
        Error = error;
    }

    /// <summary>The success payload, or null.</summary>
    public WitType? Ok { get; }

    /// <summary>The error payload, or null.</summary>
    public WitType? Error { get; }
}

/// <summary><c>map&lt;K, V&gt;</c>: a list of key-value pairs that bindings present as a dictionary.</summary>
public sealed class WitMapType : WitType
{
    internal WitMapType(WitType key, WitType value)
    {
        Key = key;
        Value = value;
    }

    /// <summary>The key type: an integer, <c>bool</c>, <c>char</c> or <c>string</c>.</summary>
    public WitType Key { get; }

    /// <summary>The value type.</summary>
    public WitType Value { get; }
}

/// <summary><c>own&lt;R&gt;</c> or <c>borrow&lt;R&gt;</c>.</summary>
public sealed class WitHandleType : WitType
{
    internal WitHandleType(WitTypeDef resource, bool isBorrow)
    {
        Resource = resource;
        IsBorrow = isBorrow;
    }

    /// <summary>The resource type as named at the use site (may be a <c>use</c> or alias of the resource).</summary>
    public WitTypeDef Resource { get; }

    /// <summary>True for <c>borrow</c>, false for <c>own</c>.</summary>
    public bool IsBorrow { get; }
}

/// <summary><c>future&lt;T&gt;</c> or <c>future</c>.</summary>
public sealed class WitFutureType : WitType
{
    internal WitFutureType(WitType? element) => Element = element;

    /// <summary>The payload, or null for <c>future</c>.</summary>
    public WitType? Element { get; }
}

/// <summary><c>stream&lt;T&gt;</c> or <c>stream</c>.</summary>
public sealed class WitStreamType : WitType
{
    internal WitStreamType(WitType? element) => Element = element;

    /// <summary>The element type, or null for <c>stream</c>.</summary>
    public WitType? Element { get; }
}

/// <summary>A reference to a named type (record, variant, alias, resource...).</summary>
public sealed class WitNamedType : WitType
{
    internal WitNamedType(WitTypeDef definition) => Definition = definition;

    /// <summary>The named type, as visible at the use site.</summary>
    public WitTypeDef Definition { get; }
}
