using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Sharptime.ComponentModel.Wit.Syntax;

namespace Sharptime.ComponentModel.Wit;

/// <summary>Writes resolved WIT back as text. The output is deterministic and parses back to an equal model.</summary>
public static class WitPrinter
{
    /// <summary>Prints one package as a WIT file (<c>package ns:name@ver;</c> followed by its interfaces and worlds).</summary>
    public static string Print(WitPackage package)
    {
        if (package is null) throw new ArgumentNullException(nameof(package));
        var w = new Writer(package);
        w.Docs(package.Docs);
        w.Line($"package {PackageName(package.Name)};");
        w.Body(package);
        return w.ToString();
    }

    /// <summary>Prints several packages into one WIT text, each as a nested <c>package ns:name@ver { ... }</c> block.</summary>
    public static string Print(IEnumerable<WitPackage> packages)
    {
        if (packages is null) throw new ArgumentNullException(nameof(packages));
        var sb = new StringBuilder();
        foreach (var package in packages)
        {
            var w = new Writer(package);
            w.Docs(package.Docs);
            w.Line($"package {PackageName(package.Name)} {{");
            w.Indent++;
            w.Body(package);
            w.Indent--;
            w.Line("}");
            if (sb.Length > 0) sb.Append('\n');
            sb.Append(w);
        }
        return sb.ToString();
    }

    internal static string TypeToString(WitType type) => Writer.Type(type);

    private static string PackageName(WitPackageName name) =>
        WitLexer.Escape(name.Namespace) + ":" + WitLexer.Escape(name.Name) + (name.Version is null ? "" : "@" + name.Version);

    private sealed class Writer
    {
        private readonly StringBuilder _sb = new StringBuilder();
        private readonly WitPackage _package;

        public Writer(WitPackage package) => _package = package;

        public int Indent { get; set; }

        public override string ToString() => _sb.ToString();

        public void Line(string text)
        {
            if (text.Length > 0) _sb.Append(' ', Indent * 2).Append(text);
            _sb.Append('\n');
        }

        public void Docs(string? docs)
        {
            if (docs is null) return;
            foreach (var line in docs.Split('\n')) Line(line.Length == 0 ? "///" : "/// " + line);
        }

        public void Gate(WitStability s)
        {
            if (s.Since is not null) Line($"@since(version = {s.Since})");
            if (s.UnstableFeature is not null) Line($"@unstable(feature = {WitLexer.Escape(s.UnstableFeature)})");
            if (s.Deprecated is not null) Line($"@deprecated(version = {s.Deprecated})");
        }

        public void Body(WitPackage package)
        {
            foreach (var iface in package.Interfaces)
            {
                Line("");
                Docs(iface.Docs);
                Gate(iface.Stability);
                Line($"interface {Id(iface.Name!)} {{");
                Indent++;
                InterfaceItems(iface);
                Indent--;
                Line("}");
            }
            foreach (var world in package.Worlds)
            {
                Line("");
                Docs(world.Docs);
                Gate(world.Stability);
                Line($"world {Id(world.Name)} {{");
                Indent++;
                StartBody();
                foreach (var item in world.Imports)
                {
                    Separate(IsCompact(item));
                    WorldItem("import", item);
                }
                foreach (var item in world.Exports)
                {
                    Separate(IsCompact(item));
                    WorldItem("export", item);
                }
                Indent--;
                Line("}");
            }
        }

        private void WorldItem(string keyword, WitWorldItem item)
        {
            switch (item.Kind)
            {
                case WitWorldItemKind.Type:
                    TypeDef(item.Type!);
                    break;
                case WitWorldItemKind.Function:
                    Docs(item.Docs);
                    Gate(item.Stability);
                    Line($"{keyword} {Id(item.Name)}: {FuncSignature(item.Function!)};");
                    break;
                case WitWorldItemKind.Interface when item.IsInterfacePath:
                    Docs(item.Docs);
                    Gate(item.Stability);
                    Line($"{keyword} {InterfacePath(item.Interface!)};");
                    break;
                case WitWorldItemKind.Interface when item.Interface!.Name is not null:
                    Docs(item.Docs);
                    Gate(item.Stability);
                    Line($"{keyword} {Id(item.Name)}: {InterfacePath(item.Interface)};");
                    break;
                default:
                    Docs(item.Docs);
                    Gate(item.Stability);
                    Line($"{keyword} {Id(item.Name)}: interface {{");
                    Indent++;
                    InterfaceItems(item.Interface!);
                    Indent--;
                    Line("}");
                    _firstInBody = false;
                    _previousCompact = false;
                    break;
            }
        }

        private string InterfacePath(WitInterface iface)
        {
            if (iface.Package == _package) return Id(iface.Name!);
            var p = iface.Package.Name;
            return $"{Id(p.Namespace)}:{Id(p.Name)}/{Id(iface.Name!)}" + (p.Version is null ? "" : "@" + p.Version);
        }

        private bool _firstInBody;
        private bool _previousCompact;

        private void StartBody() => _firstInBody = true;

        /// <summary>Separates items with a blank line, except runs of one-line items without docs.</summary>
        private void Separate(bool compact)
        {
            if (!_firstInBody && !(compact && _previousCompact)) Line("");
            _firstInBody = false;
            _previousCompact = compact;
        }

        private static bool IsCompact(WitTypeDef def) =>
            def.Docs is null && (def.Kind is WitTypeDefKind.Use or WitTypeDefKind.Alias ||
                                 def.Kind == WitTypeDefKind.Resource && !def.HasBody && def.ResourceFunctions.Count == 0);

        private static bool IsCompact(WitWorldItem item) => item.Kind switch
        {
            WitWorldItemKind.Type => IsCompact(item.Type!),
            WitWorldItemKind.Interface => item.Docs is null && item.Interface!.Name is not null,
            _ => item.Docs is null,
        };

        private void InterfaceItems(WitInterface iface)
        {
            StartBody();
            foreach (var type in iface.Types)
            {
                Separate(IsCompact(type));
                TypeDef(type);
            }
            foreach (var func in iface.Functions)
            {
                Separate(func.Docs is null);
                Docs(func.Docs);
                Gate(func.Stability);
                Line($"{Id(func.Name)}: {FuncSignature(func)};");
            }
        }

        private void TypeDef(WitTypeDef def)
        {
            Docs(def.Docs);
            Gate(def.Stability);
            var name = Id(def.Name);
            switch (def.Kind)
            {
                case WitTypeDefKind.Use:
                {
                    var source = def.UsedType!;
                    var owner = source.OwnerInterface;
                    var path = owner is null || owner.Name is null ? "?" : InterfacePath(owner);
                    Line(source.Name == def.Name ? $"use {path}.{{{name}}};" : $"use {path}.{{{Id(source.Name)} as {name}}};");
                    break;
                }
                case WitTypeDefKind.Alias:
                    Line($"type {name} = {Type(def.AliasedType!)};");
                    break;
                case WitTypeDefKind.Record:
                    Line($"record {name} {{");
                    Indent++;
                    foreach (var f in def.Fields)
                    {
                        Docs(f.Docs);
                        Line($"{Id(f.Name)}: {Type(f.Type)},");
                    }
                    Indent--;
                    Line("}");
                    break;
                case WitTypeDefKind.Variant:
                case WitTypeDefKind.Enum:
                    Line($"{(def.Kind == WitTypeDefKind.Enum ? "enum" : "variant")} {name} {{");
                    Indent++;
                    foreach (var c in def.Cases)
                    {
                        Docs(c.Docs);
                        Line(c.Type is null ? $"{Id(c.Name)}," : $"{Id(c.Name)}({Type(c.Type)}),");
                    }
                    Indent--;
                    Line("}");
                    break;
                case WitTypeDefKind.Flags:
                    Line($"flags {name} {{");
                    Indent++;
                    foreach (var f in def.Flags)
                    {
                        Docs(f.Docs);
                        Line($"{Id(f.Name)},");
                    }
                    Indent--;
                    Line("}");
                    break;
                case WitTypeDefKind.Resource:
                    if (!def.HasBody && def.ResourceFunctions.Count == 0)
                    {
                        Line($"resource {name};");
                        break;
                    }
                    Line($"resource {name} {{");
                    Indent++;
                    foreach (var f in def.ResourceFunctions)
                    {
                        Docs(f.Docs);
                        Gate(f.Stability);
                        switch (f.Kind)
                        {
                            case WitFunctionKind.Constructor:
                                Line($"constructor({Params(f)})" + (f.Result is null ? "" : " -> " + Type(f.Result)) + ";");
                                break;
                            case WitFunctionKind.Static:
                                Line($"{Id(f.Name)}: static {FuncSignature(f)};");
                                break;
                            default:
                                Line($"{Id(f.Name)}: {FuncSignature(f)};");
                                break;
                        }
                    }
                    Indent--;
                    Line("}");
                    break;
            }
        }

        private static string Params(WitFunction f) => string.Join(", ", f.Params.Select(p => $"{Id(p.Name)}: {Type(p.Type)}"));

        private static string FuncSignature(WitFunction f) =>
            (f.IsAsync ? "async " : "") + $"func({Params(f)})" + (f.Result is null ? "" : " -> " + Type(f.Result));

        internal static string Id(string id) => WitLexer.Escape(id);

        internal static string Type(WitType type) => type switch
        {
            WitPrimitiveType p => p.Kind switch
            {
                WitPrimitiveKind.ErrorContext => "error-context",
                _ => p.Kind.ToString().ToLowerInvariant(),
            },
            WitNamedType n => Id(n.Definition.Name),
            WitListType l => l.Length is null ? $"list<{Type(l.Element)}>" : $"list<{Type(l.Element)}, {l.Length.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)}>",
            WitTupleType t => $"tuple<{string.Join(", ", t.Elements.Select(Type))}>",
            WitOptionType o => $"option<{Type(o.Some)}>",
            WitMapType m => $"map<{Type(m.Key)}, {Type(m.Value)}>",
            WitResultType r => r.Ok is null && r.Error is null ? "result"
                : r.Error is null ? $"result<{Type(r.Ok!)}>"
                : r.Ok is null ? $"result<_, {Type(r.Error)}>"
                : $"result<{Type(r.Ok)}, {Type(r.Error)}>",
            WitHandleType h => $"{(h.IsBorrow ? "borrow" : "own")}<{Id(h.Resource.Name)}>",
            WitFutureType f => f.Element is null ? "future" : $"future<{Type(f.Element)}>",
            WitStreamType s => s.Element is null ? "stream" : $"stream<{Type(s.Element)}>",
            _ => "?",
        };
    }
}
