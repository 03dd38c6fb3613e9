namespace Sharptime.ComponentModel.Binary;

/// <summary>
/// What a root component must not do for our component runtime to instantiate it, beyond the spec's validation rules.
/// These are the implementation limits Wasmtime enforces when it compiles a component (its inliner), adopted as ours
/// so that components run the same on both; each is a constant naming the limit, in Wasmtime's wording.
/// </summary>
/// <remarks>
/// Validation (<see cref="ComponentFrontEnd.DecodeAndValidate"/>) does not apply these limits, so tools that only read
/// a component (the WIT extractor) accept everything the spec accepts. Where the function or instance behind a root
/// export comes from is followed through imports, aliases and instances bundled at the root; the exports of instances
/// of nested components count as defined by them, which accepts some components Wasmtime would reject (those passing
/// an imported function through a nested component and exporting it again).
/// </remarks>
internal static class ImplementationLimits
{
    /// <summary>
    /// The host supplies functions, instances, modules and types, never components: a root component cannot import a
    /// component, nor alias one out of an imported instance (Wasmtime issue 4283).
    /// </summary>
    public const string RootComponentImport = "root-level component imports are not supported";

    /// <summary>The host has no way to receive a component: the root cannot export one, not even inside an instance.</summary>
    public const string RootComponentExport = "exporting a component from the root component is not supported";

    /// <summary>
    /// A root export must be a function the component implements (a lifted core function): exporting an imported
    /// function again would need an adapter between two host calls, which does not exist.
    /// </summary>
    public const string ReexportedImportFunction = "is a reexport of an imported function which is not implemented";

    /// <summary>Where a function or instance of the root comes from.</summary>
    private abstract record Origin;

    /// <summary>Imported from the host (directly or as an export of an imported instance); the type says what it holds.</summary>
    private sealed record Host(ExternType Type) : Origin;

    /// <summary>Defined inside the component: a lifted function, a component, an instance of a nested component.</summary>
    private sealed record Defined : Origin
    {
        public static readonly Defined Item = new();
    }

    /// <summary>An instance bundled from items of the root, which keep their own origins.</summary>
    private sealed record Bundle(Dictionary<string, (Sort Sort, Origin Origin)> Items) : Origin;

    /// <summary>Throws when the root component <paramref name="root"/> breaks one of the limits.</summary>
    /// <exception cref="InvalidModuleException">A limit is exceeded; the message is the limit's constant.</exception>
    public static void Check(ComponentInfo root)
    {
        var funcs = new List<Origin>();
        var instances = new List<Origin>();
        var components = new List<Origin>();
        // Replays the root's definitions in binary order, so each index space is rebuilt as the decoder built it.
        var steps = new List<(int Offset, Action Run)>();
        foreach (var imp in root.Imports)
        {
            steps.Add((imp.Offset, () =>
            {
                if (imp.Type.Sort == Sort.Component) Invalid(RootComponentImport, imp.Offset);
                Space(imp.Type.Sort)?.Add(new Host(imp.Type));
            }));
        }
        foreach (var alias in root.Aliases)
        {
            steps.Add((alias.Offset, () => Space(alias.Sort)?.Add(alias.Kind == AliasKind.InstanceExport
                ? Export(instances[(int)alias.Instance], alias.Name!, alias.Offset)
                : Defined.Item)));
        }
        foreach (var canon in root.Canons)
        {
            if (canon.Kind == CanonKind.Lift) steps.Add((canon.Offset, () => funcs.Add(Defined.Item)));
        }
        foreach (var nested in root.Components) steps.Add((nested.Offset, () => components.Add(Defined.Item)));
        foreach (var instance in root.Instances)
        {
            steps.Add((instance.Offset, () =>
            {
                if (instance.ComponentIndex is not null)
                {
                    instances.Add(Defined.Item);
                    return;
                }
                var items = new Dictionary<string, (Sort, Origin)>(StringComparer.Ordinal);
                foreach (var (name, sort, index) in instance.Items)
                {
                    if (Space(sort) is { } space) items[name] = (sort, space[(int)index]);
                }
                instances.Add(new Bundle(items));
            }));
        }
        foreach (var export in root.Exports)
        {
            steps.Add((export.Offset, () =>
            {
                var sort = export.Type.Sort;
                if (Space(sort) is not { } space) return;
                var origin = space[(int)export.SourceIndex];
                CheckExport(export.Name, sort, origin, export.Offset);
                space.Add(origin);
            }));
        }
        steps.Sort((a, b) => a.Offset.CompareTo(b.Offset));
        foreach (var (_, run) in steps) run();

        List<Origin>? Space(Sort sort) => sort switch
        {
            Sort.Func => funcs,
            Sort.Instance => instances,
            Sort.Component => components,
            _ => null,
        };
    }

    /// <summary>The origin of the export <paramref name="name"/> of an instance.</summary>
    private static Origin Export(Origin instance, string name, int at)
    {
        switch (instance)
        {
            case Host { Type.Instance: var type }:
            {
                var export = type.Find(name)!.Value;
                if (export.Sort == Sort.Component) Invalid(RootComponentImport, at);
                return new Host(export);
            }
            case Bundle bundle:
                return bundle.Items.TryGetValue(name, out var item) ? item.Origin : Defined.Item;
            default:
                return Defined.Item;
        }
    }

    /// <summary>Checks what a root export hands to the host, looking into exported instances.</summary>
    private static void CheckExport(string name, Sort sort, Origin origin, int at)
    {
        switch (sort)
        {
            case Sort.Component:
                Invalid(RootComponentExport, at);
                break;
            case Sort.Func when origin is Host:
                Invalid($"component export `{name}` {ReexportedImportFunction}", at);
                break;
            case Sort.Instance when origin is Host { Type.Instance: var type }:
                foreach (var item in type.Exports)
                {
                    if (item.Type.Sort == Sort.Component) Invalid(RootComponentImport, at);
                    CheckExport(item.Name, item.Type.Sort, new Host(item.Type), at);
                }
                break;
            case Sort.Instance when origin is Bundle bundle:
                foreach (var (itemName, (itemSort, item)) in bundle.Items) CheckExport(itemName, itemSort, item, at);
                break;
        }
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private static void Invalid(string reason, int at) => throw new InvalidModuleException(reason, at);
}
