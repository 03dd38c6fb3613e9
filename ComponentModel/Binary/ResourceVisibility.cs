namespace Sharptime.ComponentModel.Binary;

/// <summary>
/// Finds types that need a name but have none where a type is used. Resources, records, variants, enums and flags
/// are nominal for bindings: an import may only use ones imported before it, an export only ones imported or
/// exported before it (Binary.md, "Import and Export Definitions"; a type gets its name through the new type index
/// the import or export creates). An outer alias may not carry resources defined by another component. Types a
/// type declares itself (type exports of an instance type, type imports and exports of a component type) are
/// named inside it.
/// </summary>
internal sealed class ResourceVisibility
{
    private readonly Func<object, bool> _visible;
    private readonly List<HashSet<object>> _declared = [];
    private readonly HashSet<object> _seen = new(ReferenceEqualityComparer.Instance);
    private object? _found;

    /// <summary>When set, nominal value types are walked into instead of being checked for a name.</summary>
    private bool _deep;

    private ResourceVisibility(Func<object, bool> visible) => _visible = visible;

    /// <summary>Whether a type uses (at any depth) a resource defined by a component (for outer aliases).</summary>
    public static bool UsesDefinedResource(ComponentType type)
    {
        if (type is ResourceType { IsDefined: true }) return true;
        var walker = new ResourceVisibility(static o => o is not ResourceType { IsDefined: true }) { _deep = true };
        walker.Type(type, 0);
        return walker._found is not null;
    }

    /// <summary>The first type needing a name that <paramref name="type"/> uses without one, or null.</summary>
    public static object? FindHidden(ExternType type, Func<object, bool> visible)
    {
        var walker = new ResourceVisibility(visible);
        if (type.Sort == Sort.Type)
        {
            // A type import/export names the type itself; what it is made of must be named already.
            switch (type.Type)
            {
                case ResourceType:
                    return null;
                case ValueType v when NeedsName(v):
                    walker.Children(v);
                    return walker._found;
            }
        }
        walker.Extern(type, 0);
        return walker._found;
    }

    /// <summary>The value types bindings generators give names: they must be named by an import or export.</summary>
    public static bool NeedsName(ValueType type) => type is RecordType or VariantType or EnumType or FlagsType;

    /// <summary>
    /// A new name for a type: a new object for resources and nominal value types (equal to the original for type
    /// checking), the same object for everything else.
    /// </summary>
    public static ComponentType Rename(ComponentType type)
    {
        switch (type)
        {
            case ResourceType r: return r.Alias();
            case RecordType r: return new RecordType(r.Fields) { Facts = r.Facts, RenamedFrom = r };
            case VariantType v: return new VariantType(v.Cases) { Facts = v.Facts, RenamedFrom = v };
            case EnumType e: return new EnumType(e.Labels) { Facts = e.Facts, RenamedFrom = e };
            case FlagsType f: return new FlagsType(f.Labels) { Facts = f.Facts, RenamedFrom = f };
            default: return type;
        }
    }

    /// <summary>Adds the types an import or export names (the type itself, or the types an instance exports).</summary>
    public static void CollectIntroduced(ExternType type, HashSet<object> into, int depth = 0)
    {
        if (depth > ComponentDecoder.MaxNesting) return;
        if (type.Sort == Sort.Type) into.Add(type.Type);
        else if (type.Sort == Sort.Instance)
        {
            foreach (var e in type.Instance.Exports) CollectIntroduced(e.Type, into, depth + 1);
        }
    }

    private bool IsVisible(object r)
    {
        if (_visible(r)) return true;
        if (_deep) return false;
        foreach (var set in _declared)
        {
            if (set.Contains(r)) return true;
        }
        return false;
    }

    private void Extern(ExternType type, int depth)
    {
        if (_found is not null || depth > ComponentDecoder.MaxNesting) return;
        // A type export inside an instance or component type names the type there; its parts must be named already.
        if (type.Sort == Sort.Type && type.Type is ValueType v && NeedsName(v) && !_deep)
        {
            if (_seen.Add(v)) Children(v);
            return;
        }
        if (type.Type is ComponentType t) Type(t, depth);
    }

    private void Type(ComponentType type, int depth)
    {
        if (_found is not null) return;
        switch (type)
        {
            case ResourceType r:
                if (!IsVisible(r)) _found = r;
                break;
            case ValueType v:
                Value(v);
                break;
            case ComponentFunctionType f:
                foreach (var p in f.Params) Value(p.Type);
                if (f.Result is not null) Value(f.Result);
                break;
            case InstanceType i:
            {
                var declared = new HashSet<object>(ReferenceEqualityComparer.Instance);
                foreach (var e in i.Exports) CollectIntroduced(e.Type, declared);
                _declared.Add(declared);
                foreach (var e in i.Exports) Extern(e.Type, depth + 1);
                _declared.RemoveAt(_declared.Count - 1);
                break;
            }
            case ComponentTypeInfo c:
            {
                var declared = new HashSet<object>(ReferenceEqualityComparer.Instance);
                foreach (var e in c.Imports) CollectIntroduced(e.Type, declared);
                foreach (var e in c.Exports) CollectIntroduced(e.Type, declared);
                _declared.Add(declared);
                foreach (var e in c.Imports) Extern(e.Type, depth + 1);
                foreach (var e in c.Exports) Extern(e.Type, depth + 1);
                _declared.RemoveAt(_declared.Count - 1);
                break;
            }
        }
    }

    /// <summary>Walks a value type; recursion is bounded by the type's depth, and shared subtrees are visited once.</summary>
    private void Value(ValueType type)
    {
        if (_found is not null || type is PrimitiveType || !_seen.Add(type)) return;
        if (NeedsName(type) && !_deep)
        {
            // A named type's contents were checked when it got its name.
            if (!IsVisible(type)) _found = type;
            return;
        }
        Children(type);
    }

    private void Children(ValueType type)
    {
        switch (type)
        {
            case HandleType h:
                if (!IsVisible(h.Resource)) _found = h.Resource;
                break;
            case RecordType r:
                foreach (var f in r.Fields) Value(f.Type);
                break;
            case VariantType v:
                foreach (var c in v.Cases)
                {
                    if (c.Type is not null) Value(c.Type);
                }
                break;
            case TupleType t:
                foreach (var e in t.Types) Value(e);
                break;
            case ListType l:
                Value(l.Element);
                break;
            case OptionType o:
                Value(o.Some);
                break;
            case ResultType res:
                if (res.Ok is not null) Value(res.Ok);
                if (res.Error is not null) Value(res.Error);
                break;
            case AsyncValueType a:
                if (a.Payload is not null) Value(a.Payload);
                break;
            case MapType m:
                Value(m.Key);
                Value(m.Value);
                break;
        }
    }
}
