using Sharptime.Format;

namespace Sharptime.ComponentModel.Binary;

/// <summary>
/// Type matching for instantiation arguments and export ascriptions (Explainer.md "Subtyping"): value and function
/// types match structurally (resources by identity), instance types by width subtyping, component types
/// contravariantly in imports. Recursion is bounded: value types by their depth, declarator types by nesting limits
/// enforced when they were decoded.
/// </summary>
internal static class TypeMatcher
{
    /// <summary>Whether <paramref name="actual"/> can be used where <paramref name="expected"/> is required; null if so, else why not.</summary>
    public static string? Extern(ExternType actual, ExternType expected, int depth = 0)
    {
        if (depth > ComponentDecoder.MaxNesting) return "type nesting too deep";
        if (actual.Sort != expected.Sort) return $"expected {SortName(expected.Sort)}, found {SortName(actual.Sort)}";
        return expected.Sort switch
        {
            Sort.Func => Function(actual.Function, expected.Function) ? null : "type mismatch in function",
            Sort.Value => Value(actual.Value, expected.Value) ? null : "type mismatch in value",
            Sort.Type => Type((ComponentType)actual.Type, (ComponentType)expected.Type, depth + 1),
            Sort.Instance => Instance(actual.Instance, expected.Instance, depth + 1),
            Sort.Component => Component(actual.Component, expected.Component, depth + 1),
            Sort.CoreModule => Module(actual.Module, expected.Module),
            _ => null,
        };
    }

    public static string? Type(ComponentType actual, ComponentType expected, int depth)
    {
        if (ReferenceEquals(actual, expected)) return null;
        return (actual, expected) switch
        {
            (ValueType a, ValueType e) => Value(a, e) ? null : "type mismatch in defined value type",
            (ComponentFunctionType a, ComponentFunctionType e) => Function(a, e) ? null : "type mismatch in function type",
            (InstanceType a, InstanceType e) => Instance(a, e, depth),
            (ComponentTypeInfo a, ComponentTypeInfo e) => Component(a, e, depth),
            (ResourceType a, ResourceType e) => ReferenceEquals(a.Canonical, e.Canonical) ? null : "resource types are not the same",
            _ => "expected a different kind of type",
        };
    }

    public static string? Instance(InstanceType actual, InstanceType expected, int depth)
    {
        // Abstract resources the expected type exports stand for whatever the actual instance exports under that name.
        var subst = new TypeSubstitution();
        foreach (var e in expected.Exports)
        {
            if (actual.Find(e.Name) is ExternType a) Unify(e.Type, a, subst, depth);
        }
        foreach (var e in expected.Exports)
        {
            if (actual.Find(e.Name) is not ExternType a) return $"missing expected export `{e.Name}`";
            if (Extern(a, subst.Apply(e.Type), depth) is string why) return $"type mismatch in instance export `{e.Name}`: {why}";
        }
        return null;
    }

    public static string? Component(ComponentTypeInfo actual, ComponentTypeInfo expected, int depth)
    {
        // The actual component's imported resources are supplied by the expected type's imports of the same name;
        // the expected type's exported resources are whatever the actual component exports.
        var importSubst = new TypeSubstitution();
        foreach (var a in actual.Imports)
        {
            if (FindNamed(expected.Imports, a.Name) is ExternType e) Unify(a.Type, e, importSubst, depth);
        }
        var exportSubst = new TypeSubstitution();
        foreach (var e in expected.Exports)
        {
            if (FindNamed(actual.Exports, e.Name) is ExternType a) Unify(e.Type, importSubst.Apply(a), exportSubst, depth);
        }
        // Every import the actual component needs must be provided by what the expected type imports.
        foreach (var a in actual.Imports)
        {
            if (FindNamed(expected.Imports, a.Name) is not ExternType p) return $"missing expected import `{a.Name}`";
            if (Extern(p, importSubst.Apply(a.Type), depth) is string why) return $"type mismatch in import `{a.Name}`: {why}";
        }
        foreach (var e in expected.Exports)
        {
            if (FindNamed(actual.Exports, e.Name) is not ExternType f) return $"missing expected export `{e.Name}`";
            if (Extern(importSubst.Apply(f), exportSubst.Apply(e.Type), depth) is string why) return $"type mismatch in export `{e.Name}`: {why}";
        }
        return null;
    }

    private static ExternType? FindNamed(NamedExtern[] items, string name)
    {
        foreach (var item in items)
        {
            if (item.Name == name) return item.Type;
        }
        return null;
    }

    /// <summary>
    /// Maps the abstract resources <paramref name="from"/> declares (as a type, or as exports of an instance, at any
    /// depth) to the resources <paramref name="to"/> has in the same places.
    /// </summary>
    /// <remarks>
    /// With <paramref name="named"/>, named value types are mapped too; that is only done once the types are known
    /// to match, or the match would compare a type with itself.
    /// </remarks>
    public static void Unify(ExternType from, ExternType to, TypeSubstitution subst, int depth, bool named = false)
    {
        if (depth > ComponentDecoder.MaxNesting || from.Sort != to.Sort) return;
        if (from.Sort == Sort.Type)
        {
            if (from.Type is ResourceType { IsDefined: false } r && to.Type is ResourceType a && !ReferenceEquals(r.Canonical, a.Canonical) && !subst.Contains(r))
                subst.Add(r, a);
            else if (named && from.Type is ValueType v && ResourceVisibility.NeedsName(v) && to.Type is ValueType w && !ReferenceEquals(v, w))
                subst.AddNamed(v, w);
        }
        else if (from.Sort == Sort.Instance)
        {
            foreach (var e in from.Instance.Exports)
            {
                if (to.Instance.Find(e.Name) is ExternType a) Unify(e.Type, a, subst, depth + 1, named);
            }
        }
    }

    public static string? Module(CoreModuleType actual, CoreModuleType expected)
    {
        foreach (var a in actual.Imports)
        {
            CoreExtern? provided = null;
            foreach (var e in expected.Imports)
            {
                if (e.Module == a.Module && e.Name == a.Name) { provided = e.Type; break; }
            }
            if (provided is not CoreExtern p) return $"missing expected import `{a.Module}::{a.Name}`";
            if (!CoreExternMatches(p, a.Type)) return $"type mismatch in import `{a.Module}::{a.Name}`";
        }
        foreach (var e in expected.Exports)
        {
            CoreExtern? found = null;
            foreach (var a in actual.Exports)
            {
                if (a.Name == e.Name) { found = a.Type; break; }
            }
            if (found is not CoreExtern f) return $"missing expected export `{e.Name}`";
            if (!CoreExternMatches(f, e.Type)) return $"type mismatch in export `{e.Name}`";
        }
        return null;
    }

    /// <summary>Core extern subtyping (import matching of the core spec).</summary>
    public static bool CoreExternMatches(CoreExtern actual, CoreExtern expected)
    {
        // Without declared supertypes (which are not supported) a final and a non-final function type never match.
        if (actual.Kind != expected.Kind || actual.IsTag != expected.IsTag || actual.NonFinal != expected.NonFinal) return false;
        return expected.Kind switch
        {
            ExternKind.Func => actual.Function!.Equals(expected.Function),
            ExternKind.Table => actual.Table.ElementType == expected.Table.ElementType && Limits(actual.Table.Limits, expected.Table.Limits),
            ExternKind.Memory => actual.Memory.Is64 == expected.Memory.Is64 && actual.Memory.Shared == expected.Memory.Shared
                && Limits(actual.Memory.Limits, expected.Memory.Limits),
            _ => actual.Global == expected.Global,
        };
    }

    private static bool Limits(Limits actual, Limits expected) =>
        actual.Min >= expected.Min && (expected.Max is not ulong em || (actual.Max is ulong am && am <= em));

    public static bool Function(ComponentFunctionType a, ComponentFunctionType e)
    {
        if (ReferenceEquals(a, e)) return true;
        if (a.IsAsync != e.IsAsync || a.Params.Length != e.Params.Length) return false;
        for (int i = 0; i < a.Params.Length; i++)
        {
            if (a.Params[i].Label != e.Params[i].Label || !Value(a.Params[i].Type, e.Params[i].Type)) return false;
        }
        return OptionalValue(a.Result, e.Result);
    }

    private static bool OptionalValue(ValueType? a, ValueType? e) =>
        a is null ? e is null : e is not null && Value(a, e);

    /// <summary>Structural equality of value types; resources by identity. Recursion depth is the types' nesting depth.</summary>
    /// <remarks>
    /// Types are DAGs (a type index may be used many times), so pairs already found equal are remembered: without
    /// that, two distinct but equal types built by doubling would take exponential time to compare.
    /// </remarks>
    public static bool Value(ValueType a, ValueType e) => new ValueComparer().Equal(a, e);

    private sealed class ValueComparer
    {
        private readonly HashSet<(ValueType, ValueType)> _equal = new(PairComparer.Instance);

        public bool Equal(ValueType a, ValueType e)
        {
            if (ReferenceEquals(a, e) || _equal.Contains((a, e))) return true;
            if (!Structural(a, e)) return false;
            _equal.Add((a, e));
            return true;
        }

        private bool Optional(ValueType? a, ValueType? e) => a is null ? e is null : e is not null && Equal(a, e);

        private bool Structural(ValueType a, ValueType e)
        {
            switch (a, e)
            {
                case (RecordType x, RecordType y):
                    if (x.Fields.Length != y.Fields.Length) return false;
                    for (int i = 0; i < x.Fields.Length; i++)
                    {
                        if (x.Fields[i].Label != y.Fields[i].Label || !Equal(x.Fields[i].Type, y.Fields[i].Type)) return false;
                    }
                    return true;
                case (VariantType x, VariantType y):
                    if (x.Cases.Length != y.Cases.Length) return false;
                    for (int i = 0; i < x.Cases.Length; i++)
                    {
                        if (x.Cases[i].Label != y.Cases[i].Label || !Optional(x.Cases[i].Type, y.Cases[i].Type)) return false;
                    }
                    return true;
                case (ListType x, ListType y):
                    return x.Length == y.Length && Equal(x.Element, y.Element);
                case (TupleType x, TupleType y):
                    if (x.Types.Length != y.Types.Length) return false;
                    for (int i = 0; i < x.Types.Length; i++)
                    {
                        if (!Equal(x.Types[i], y.Types[i])) return false;
                    }
                    return true;
                case (FlagsType x, FlagsType y):
                    return x.Labels.AsSpan().SequenceEqual(y.Labels);
                case (EnumType x, EnumType y):
                    return x.Labels.AsSpan().SequenceEqual(y.Labels);
                case (OptionType x, OptionType y):
                    return Equal(x.Some, y.Some);
                case (ResultType x, ResultType y):
                    return Optional(x.Ok, y.Ok) && Optional(x.Error, y.Error);
                case (HandleType x, HandleType y):
                    return x.IsBorrow == y.IsBorrow && ReferenceEquals(x.Resource.Canonical, y.Resource.Canonical);
                case (AsyncValueType x, AsyncValueType y):
                    return x.IsStream == y.IsStream && Optional(x.Payload, y.Payload);
                case (MapType x, MapType y):
                    return Equal(x.Key, y.Key) && Equal(x.Value, y.Value);
                default:
                    return false;
            }
        }
    }

    /// <summary>Compares pairs of types by reference.</summary>
    private sealed class PairComparer : IEqualityComparer<(ValueType, ValueType)>
    {
        public static readonly PairComparer Instance = new();

        public bool Equals((ValueType, ValueType) x, (ValueType, ValueType) y) =>
            ReferenceEquals(x.Item1, y.Item1) && ReferenceEquals(x.Item2, y.Item2);

        public int GetHashCode((ValueType, ValueType) obj) =>
            HashCode.Combine(System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj.Item1),
                System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj.Item2));
    }

    public static string SortName(Sort sort) => sort switch
    {
        Sort.CoreFunc => "core func",
        Sort.CoreTable => "core table",
        Sort.CoreMemory => "core memory",
        Sort.CoreGlobal => "core global",
        Sort.CoreTag => "core tag",
        Sort.CoreType => "core type",
        Sort.CoreModule => "module",
        Sort.CoreInstance => "core instance",
        Sort.Func => "func",
        Sort.Value => "value",
        Sort.Type => "type",
        Sort.Component => "component",
        _ => "instance",
    };
}
