using System.Text;
using Sharptime.ComponentModel.Wit;

namespace Sharptime.ComponentModel.Tests.Support;

/// <summary>
/// A structural dump of a resolved model, written independently of <see cref="WitPrinter"/>: two models are equal when
/// their dumps are. Named types are identified by owner and name, so identity survives a re-parse.
/// </summary>
internal static class ModelDump
{
    public static string Of(WitPackage package)
    {
        var sb = new StringBuilder();
        sb.Append("package ").Append(package.Name).Append(" docs=").Append(Q(package.Docs)).Append('\n');
        foreach (var i in package.Interfaces) Interface(sb, i, "  ");
        foreach (var w in package.Worlds)
        {
            sb.Append("  world ").Append(w.Name).Append(' ').Append(Stab(w.Stability)).Append(" docs=").Append(Q(w.Docs)).Append('\n');
            foreach (var item in w.Imports) Item(sb, "import", item);
            foreach (var item in w.Exports) Item(sb, "export", item);
        }
        return sb.ToString();
    }

    public static string Of(IEnumerable<WitPackage> packages) => string.Concat(packages.Select(Of));

    private static void Item(StringBuilder sb, string dir, WitWorldItem item)
    {
        sb.Append("    ").Append(dir).Append(' ').Append(item.Kind).Append(' ').Append(item.Name).Append(' ').Append(Stab(item.Stability))
            .Append(" docs=").Append(Q(item.Docs)).Append('\n');
        if (item.Interface is { Name: null } inline) Interface(sb, inline, "      ");
        else if (item.Interface is not null && !item.IsInterfacePath) sb.Append("      implements ").Append(item.Interface.QualifiedName).Append('\n');
        else if (item.Interface is not null) sb.Append("      -> ").Append(item.Interface.QualifiedName).Append('\n');
        if (item.Function is not null) Function(sb, item.Function, "      ");
        if (item.Type is not null) TypeDef(sb, item.Type, "      ");
    }

    private static void Interface(StringBuilder sb, WitInterface i, string indent)
    {
        sb.Append(indent).Append("interface ").Append(i.Name ?? "<inline>").Append(' ').Append(Stab(i.Stability)).Append(" docs=").Append(Q(i.Docs)).Append('\n');
        foreach (var t in i.Types) TypeDef(sb, t, indent + "  ");
        foreach (var f in i.Functions) Function(sb, f, indent + "  ");
    }

    private static void TypeDef(StringBuilder sb, WitTypeDef t, string indent)
    {
        sb.Append(indent).Append(t.Kind).Append(' ').Append(t.Name).Append(' ').Append(Stab(t.Stability)).Append(" docs=").Append(Q(t.Docs));
        switch (t.Kind)
        {
            case WitTypeDefKind.Use: sb.Append(" from ").Append(Ref(t.UsedType!)); break;
            case WitTypeDefKind.Alias: sb.Append(" = ").Append(Type(t.AliasedType!)); break;
        }
        sb.Append('\n');
        foreach (var f in t.Fields) sb.Append(indent).Append("  field ").Append(f.Name).Append(": ").Append(Type(f.Type)).Append(" docs=").Append(Q(f.Docs)).Append('\n');
        foreach (var c in t.Cases) sb.Append(indent).Append("  case ").Append(c.Name).Append(c.Type is null ? "" : "(" + Type(c.Type) + ")").Append(" docs=").Append(Q(c.Docs)).Append('\n');
        foreach (var f in t.Flags) sb.Append(indent).Append("  flag ").Append(f.Name).Append(" docs=").Append(Q(f.Docs)).Append('\n');
        foreach (var f in t.ResourceFunctions) Function(sb, f, indent + "  ");
    }

    private static void Function(StringBuilder sb, WitFunction f, string indent)
    {
        sb.Append(indent).Append(f.Kind).Append(f.IsAsync ? " async " : " ").Append(f.Name).Append('(')
            .Append(string.Join(", ", f.Params.Select(p => p.Name + ": " + Type(p.Type)))).Append(')')
            .Append(f.Result is null ? "" : " -> " + Type(f.Result)).Append(' ').Append(Stab(f.Stability))
            .Append(" docs=").Append(Q(f.Docs)).Append('\n');
    }

    private static string Ref(WitTypeDef t) =>
        (t.OwnerInterface is not null ? t.OwnerInterface.QualifiedName ?? "<inline>" : "<world>") + "#" + t.Name;

    private static string Type(WitType t) => t switch
    {
        WitPrimitiveType p => p.Kind.ToString(),
        WitNamedType n => "named(" + Ref(n.Definition) + ")",
        WitListType l => "list(" + Type(l.Element) + (l.Length is null ? "" : ";" + l.Length) + ")",
        WitTupleType tu => "tuple(" + string.Join(",", tu.Elements.Select(Type)) + ")",
        WitOptionType o => "option(" + Type(o.Some) + ")",
        WitMapType m => "map(" + Type(m.Key) + "," + Type(m.Value) + ")",
        WitResultType r => "result(" + (r.Ok is null ? "-" : Type(r.Ok)) + "," + (r.Error is null ? "-" : Type(r.Error)) + ")",
        WitHandleType h => (h.IsBorrow ? "borrow(" : "own(") + Ref(h.Resource) + ")",
        WitFutureType f => "future(" + (f.Element is null ? "-" : Type(f.Element)) + ")",
        WitStreamType s => "stream(" + (s.Element is null ? "-" : Type(s.Element)) + ")",
        _ => throw new InvalidOperationException(),
    };

    private static string Stab(WitStability s) => $"[since={s.Since},unstable={s.UnstableFeature},deprecated={s.Deprecated}]";

    private static string Q(string? s) => s is null ? "null" : "\"" + s.Replace("\n", "\\n") + "\"";
}
