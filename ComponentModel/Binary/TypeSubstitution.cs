namespace Sharptime.ComponentModel.Binary;

/// <summary>
/// Replaces imported types inside types: instantiating a component type substitutes the resources (and named
/// value types) its imports declare with the arguments' types, and gives each instantiation fresh copies of the
/// resources it exports. Unchanged types are returned as they are (no copy); a memo keeps shared subtrees shared.
/// </summary>
internal sealed class TypeSubstitution
{
    // Resources are keyed by their canonical object, named value types by their own object.
    private readonly Dictionary<object, ComponentType> _map = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<object, object> _memo = new(ReferenceEqualityComparer.Instance);

    public bool IsEmpty => _map.Count == 0;

    // Keys are canonical resources: every name (alias) of a resource is replaced alike.
    public void Add(ResourceType from, ResourceType to)
    {
        _map[from.Canonical] = to;
        _memo.Clear();
    }

    public bool Contains(ResourceType r) => _map.ContainsKey(r.Canonical);

    /// <summary>Replaces a named value type (an imported record, variant, enum or flags) with the argument's.</summary>
    public void AddNamed(ValueType from, ValueType to)
    {
        if (_map.TryAdd(from, to)) _memo.Clear();
    }

    /// <summary>
    /// Gives every resource exported (directly or through nested instance exports) a fresh identity; with
    /// <paramref name="declaredOnly"/>, only the abstract resources instance types declare themselves.
    /// </summary>
    public void Freshen(ExternType type, int depth, bool declaredOnly = false)
    {
        if (depth > ComponentDecoder.MaxNesting) return;
        if (type.Type is ResourceType r && type.Sort == Sort.Type)
        {
            if (!declaredOnly && !Contains(r)) Add(r, new ResourceType { Name = r.Name });
        }
        else if (type.Sort == Sort.Instance)
        {
            var instance = type.Instance;
            foreach (var e in instance.Exports)
            {
                if (declaredOnly && e.Type.Sort == Sort.Type && e.Type.Type is ResourceType d && instance.Declares(d) && !Contains(d))
                    Add(d, new ResourceType { Name = d.Name });
                Freshen(e.Type, depth + 1, declaredOnly);
            }
        }
    }

    public ExternType Apply(ExternType type) =>
        IsEmpty ? type : new ExternType(type.Sort, type.Type is ComponentType t ? Apply(t, 0) : type.Type);

    public ComponentType Apply(ComponentType type, int depth)
    {
        if (IsEmpty) return type;
        if (type is PrimitiveType) return type;
        if (type is ResourceType r) return _map.TryGetValue(r.Canonical, out var to) ? to : r;
        if (_map.TryGetValue(type, out var named)) return named;
        if (_memo.TryGetValue(type, out var done)) return (ComponentType)done;
        if (depth > CanonicalTypes.MaxDepth + ComponentDecoder.MaxNesting) return type;
        ComponentType result = type switch
        {
            ValueType v => ApplyValue(v, depth),
            ComponentFunctionType f => ApplyFunction(f, depth),
            InstanceType i => new InstanceType(ApplyExterns(i.Exports, depth), ApplyDeclared(i.Declared)),
            ComponentTypeInfo c => new ComponentTypeInfo(ApplyExterns(c.Imports, depth), ApplyExterns(c.Exports, depth)),
            _ => type,
        };
        _memo[type] = result;
        return result;
    }

    private ResourceType[] ApplyDeclared(ResourceType[] declared)
    {
        if (declared.Length == 0) return declared;
        var result = new ResourceType[declared.Length];
        for (int i = 0; i < result.Length; i++) result[i] = _map.TryGetValue(declared[i].Canonical, out var to) && to is ResourceType tr ? tr : declared[i];
        return result;
    }

    private NamedExtern[] ApplyExterns(NamedExtern[] items, int depth)
    {
        var result = new NamedExtern[items.Length];
        for (int i = 0; i < items.Length; i++)
        {
            var t = items[i].Type;
            result[i] = new NamedExtern(items[i].Name,
                new ExternType(t.Sort, t.Type is ComponentType ct ? Apply(ct, depth + 1) : t.Type));
        }
        return result;
    }

    private ComponentFunctionType ApplyFunction(ComponentFunctionType f, int depth)
    {
        bool changed = false;
        var ps = new LabeledType[f.Params.Length];
        for (int i = 0; i < ps.Length; i++)
        {
            var t = V(f.Params[i].Type, depth);
            changed |= !ReferenceEquals(t, f.Params[i].Type);
            ps[i] = new LabeledType(f.Params[i].Label, t);
        }
        var result = f.Result is null ? null : V(f.Result, depth);
        changed |= !ReferenceEquals(result, f.Result);
        return changed ? new ComponentFunctionType(ps, result, f.IsAsync) : f;
    }

    private ValueType V(ValueType t, int depth) => (ValueType)Apply(t, depth + 1);

    private ValueType? VOpt(ValueType? t, int depth) => t is null ? null : V(t, depth);

    private ValueType ApplyValue(ValueType type, int depth)
    {
        ValueType rebuilt;
        switch (type)
        {
            case HandleType h:
                var res = (ResourceType)Apply(h.Resource, depth + 1);
                if (ReferenceEquals(res, h.Resource)) return h;
                rebuilt = new HandleType(res, h.IsBorrow);
                break;
            case RecordType r:
            {
                var fields = new LabeledType[r.Fields.Length];
                bool changed = false;
                for (int i = 0; i < fields.Length; i++)
                {
                    var t = V(r.Fields[i].Type, depth);
                    changed |= !ReferenceEquals(t, r.Fields[i].Type);
                    fields[i] = new LabeledType(r.Fields[i].Label, t);
                }
                if (!changed) return r;
                rebuilt = new RecordType(fields);
                break;
            }
            case VariantType v:
            {
                var cases = new VariantCase[v.Cases.Length];
                bool changed = false;
                for (int i = 0; i < cases.Length; i++)
                {
                    var t = VOpt(v.Cases[i].Type, depth);
                    changed |= !ReferenceEquals(t, v.Cases[i].Type);
                    cases[i] = new VariantCase(v.Cases[i].Label, t);
                }
                if (!changed) return v;
                rebuilt = new VariantType(cases);
                break;
            }
            case TupleType t:
            {
                var types = new ValueType[t.Types.Length];
                bool changed = false;
                for (int i = 0; i < types.Length; i++)
                {
                    types[i] = V(t.Types[i], depth);
                    changed |= !ReferenceEquals(types[i], t.Types[i]);
                }
                if (!changed) return t;
                rebuilt = new TupleType(types);
                break;
            }
            case ListType l:
            {
                var e = V(l.Element, depth);
                if (ReferenceEquals(e, l.Element)) return l;
                rebuilt = new ListType(e, l.Length);
                break;
            }
            case OptionType o:
            {
                var s = V(o.Some, depth);
                if (ReferenceEquals(s, o.Some)) return o;
                rebuilt = new OptionType(s);
                break;
            }
            case ResultType r:
            {
                var ok = VOpt(r.Ok, depth);
                var err = VOpt(r.Error, depth);
                if (ReferenceEquals(ok, r.Ok) && ReferenceEquals(err, r.Error)) return r;
                rebuilt = new ResultType(ok, err);
                break;
            }
            case AsyncValueType a:
            {
                var p = VOpt(a.Payload, depth);
                if (ReferenceEquals(p, a.Payload)) return a;
                rebuilt = new AsyncValueType(p, a.IsStream);
                break;
            }
            case MapType m:
            {
                var k = V(m.Key, depth);
                var v = V(m.Value, depth);
                if (ReferenceEquals(k, m.Key) && ReferenceEquals(v, m.Value)) return m;
                rebuilt = new MapType(k, v);
                break;
            }
            default:
                return type;
        }
        // Substituting resources changes no size, depth or flattening.
        rebuilt.Facts = type.Facts;
        return rebuilt;
    }
}
