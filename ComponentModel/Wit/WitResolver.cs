using System;
using System.Collections.Generic;
using System.Linq;
using Sharptime.ComponentModel.Wit.Syntax;

namespace Sharptime.ComponentModel.Wit;

/// <summary>Options for resolving WIT.</summary>
public sealed class WitOptions
{
    /// <summary>Features enabled for <c>@unstable(feature = ...)</c> items; items behind other features are dropped.</summary>
    public ISet<string> Features { get; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>When true, every <c>@unstable</c> item is kept.</summary>
    public bool AllFeatures { get; set; }
}

/// <summary>One WIT source file: its path (used in diagnostics) and its text.</summary>
public sealed class WitSource
{
    /// <summary>Creates a source.</summary>
    public WitSource(string path, string text)
    {
        Path = path ?? throw new ArgumentNullException(nameof(path));
        Text = text ?? throw new ArgumentNullException(nameof(text));
    }

    /// <summary>The path shown in diagnostics.</summary>
    public string Path { get; }

    /// <summary>The WIT text.</summary>
    public string Text { get; }
}

/// <summary>
/// Parses and resolves WIT packages. Add each package's files (all files of one directory form one package), then call
/// <see cref="Resolve"/>. Packages may refer to each other by name in any order of adding.
/// </summary>
public sealed class WitResolver
{
    private readonly WitOptions _options;
    private readonly List<Unit> _units = new List<Unit>();
    private readonly List<WitDiagnostic> _errors = new List<WitDiagnostic>();

    /// <summary>Creates a resolver.</summary>
    public WitResolver(WitOptions? options = null) => _options = options ?? new WitOptions();

    /// <summary>Parses and resolves one WIT text (which may hold nested <c>package ... { }</c> blocks).</summary>
    /// <exception cref="WitException">The text cannot be parsed or resolved.</exception>
    public static WitResolution ResolveText(string text, string path = "input.wit", WitOptions? options = null)
    {
        var resolver = new WitResolver(options);
        resolver.AddPackage(new[] { new WitSource(path, text) });
        return resolver.Resolve();
    }

    /// <summary>
    /// Adds the files of one package (they share one <c>package</c> name; at least one declares it, unless the files
    /// only hold nested package blocks). Syntax errors are reported by <see cref="Resolve"/>.
    /// </summary>
    /// <param name="files">The files of the package.</param>
    /// <param name="isDependency">True for packages found under <c>deps/</c>: they are not listed in <see cref="WitResolution.Roots"/>.</param>
    public void AddPackage(IEnumerable<WitSource> files, bool isDependency = false)
    {
        if (files is null) throw new ArgumentNullException(nameof(files));
        var parsed = new List<AstFile>();
        foreach (var file in files)
        {
            try
            {
                parsed.Add(WitParser.Parse(file.Path, file.Text));
            }
            catch (WitSyntaxError e)
            {
                _errors.Add(e.Diagnostic);
            }
        }
        AstPackageName? rootName = null;
        AstFile? rootFile = null;
        string? docs = null;
        foreach (var file in parsed)
        {
            if (file.Package is null) continue;
            if (rootName is null)
            {
                rootName = file.Package;
                rootFile = file;
            }
            else if (!rootName.ToName().Equals(file.Package.ToName()))
            {
                _errors.Add(file.Package.Pos.Error($"package `{file.Package.ToName()}` does not match package `{rootName.ToName()}` declared in {rootFile!.Path}"));
            }
            docs ??= file.PackageDocs;
        }
        var root = rootName is null ? null : new Unit(rootName, !isDependency) { Docs = docs };
        foreach (var file in parsed)
        {
            if (root is null && (file.Items.Count > 0 || file.TopUses.Count > 0))
            {
                var first = file.Items.Count > 0 ? file.Items[0].Pos : file.TopUses[0].Pos;
                _errors.Add(first.Error("no `package` declaration: expected `package namespace:name;` at the start of a file of this package"));
                continue;
            }
            root?.Files.Add(file);
            foreach (var item in file.Items) root?.Items.Add((item, file));
            foreach (var nested in file.Nested)
            {
                var unit = new Unit(nested.Name, !isDependency) { Docs = nested.Docs };
                unit.Files.Add(file);
                foreach (var item in nested.Items) unit.Items.Add((item, file));
                _units.Add(unit);
            }
        }
        if (root is not null) _units.Add(root);
    }

    /// <summary>Resolves every package added so far.</summary>
    /// <exception cref="WitException">Some WIT is malformed or refers to something that does not exist.</exception>
    public WitResolution Resolve()
    {
        if (_errors.Count > 0) throw new WitException(_errors);
        var session = new Session(_options, _units);
        return session.Run();
    }

    internal sealed class Unit
    {
        public Unit(AstPackageName name, bool isRoot)
        {
            NameAst = name;
            Name = name.ToName();
            IsRoot = isRoot;
        }

        public AstPackageName NameAst { get; }
        public WitPackageName Name { get; }
        public bool IsRoot { get; }
        public string? Docs { get; set; }
        public List<AstFile> Files { get; } = new List<AstFile>();
        public List<(AstNode Item, AstFile File)> Items { get; } = new List<(AstNode, AstFile)>();
        public WitPackage? Package { get; set; }
        public Dictionary<string, (AstInterface Ast, WitInterface Model)> Interfaces { get; } = new Dictionary<string, (AstInterface, WitInterface)>();
        public Dictionary<string, (AstWorld Ast, WitWorld Model)> Worlds { get; } = new Dictionary<string, (AstWorld, WitWorld)>();
    }

    private sealed class Session
    {
        /// <summary>Bounds the recursion through package, interface and world dependencies.</summary>
        private const int MaxDepth = 500;

        private readonly WitOptions _options;
        private readonly List<Unit> _units;
        private readonly List<WitDiagnostic> _errors = new List<WitDiagnostic>();
        private readonly HashSet<WitWorld> _worldsDone = new HashSet<WitWorld>();
        private readonly HashSet<WitWorld> _worldsInProgress = new HashSet<WitWorld>();
        private readonly HashSet<WitInterface> _interfacesDone = new HashSet<WitInterface>();
        private readonly List<(WitTypeDef Def, string Name, WitPos Pos)> _handleChecks = new List<(WitTypeDef, string, WitPos)>();

        public Session(WitOptions options, List<Unit> units)
        {
            _options = options;
            _units = units;
        }

        private bool Enabled(AstGate gate) =>
            gate.Unstable is null || _options.AllFeatures || _options.Features.Contains(gate.Unstable);

        private void Error(WitPos pos, string message) => _errors.Add(pos.Error(message));

        private void ThrowIfErrors()
        {
            if (_errors.Count > 0) throw new WitException(_errors);
        }

        public WitResolution Run()
        {
            var byName = new Dictionary<string, Unit>(StringComparer.Ordinal);
            foreach (var unit in _units)
            {
                var key = unit.Name.ToString();
                if (byName.TryGetValue(key, out var existing))
                {
                    Error(unit.NameAst.Pos, $"package `{key}` is defined more than once (also at {existing.NameAst.Pos.File}:{existing.NameAst.Pos.Line}:{existing.NameAst.Pos.Column})");
                    continue;
                }
                byName.Add(key, unit);
            }
            ThrowIfErrors();

            // Package dependencies.
            var deps = new Dictionary<Unit, List<(Unit Target, WitPos Pos)>>();
            foreach (var unit in byName.Values)
            {
                var list = new List<(Unit, WitPos)>();
                foreach (var path in PackagePaths(unit))
                {
                    var target = FindUnit(path.Package!, byName, report: true);
                    if (target is not null && target != unit) list.Add((target, path.Pos));
                }
                deps[unit] = list;
            }
            ThrowIfErrors();

            var order = new List<Unit>();
            var state = new Dictionary<Unit, int>();
            foreach (var unit in _units)
            {
                if (!byName.TryGetValue(unit.Name.ToString(), out var u) || u != unit) continue;
                Visit(unit, deps, state, order, new List<Unit>());
            }
            ThrowIfErrors();

            _byName = byName;
            foreach (var unit in order) ResolveUnit(unit);
            foreach (var (def, name, pos) in _handleChecks)
            {
                if (def.Definition.Kind != WitTypeDefKind.Resource) Error(pos, $"`{name}` is not a resource type");
            }
            ThrowIfErrors();
            var packages = order.Select(u => u.Package!).ToList();
            var roots = _units.Where(u => u.IsRoot && u.Package is not null).Select(u => u.Package!).ToList();
            return new WitResolution(packages, roots);
        }

        private Dictionary<string, Unit> _byName = new Dictionary<string, Unit>();

        private void Visit(Unit unit, Dictionary<Unit, List<(Unit Target, WitPos Pos)>> deps, Dictionary<Unit, int> state, List<Unit> order, List<Unit> stack)
        {
            state.TryGetValue(unit, out var s);
            if (s == 2) return;
            if (stack.Count > MaxDepth)
            {
                Error(unit.NameAst.Pos, $"packages depend on each other more than {MaxDepth} levels deep");
                state[unit] = 2;
                return;
            }
            stack.Add(unit);
            state[unit] = 1;
            foreach (var (target, pos) in deps[unit])
            {
                state.TryGetValue(target, out var t);
                if (t == 1)
                {
                    var cycle = stack.Skip(stack.IndexOf(target)).Select(u => u.Name.ToString()).Concat(new[] { target.Name.ToString() });
                    Error(pos, $"package dependency cycle: {string.Join(" -> ", cycle)}");
                    continue;
                }
                Visit(target, deps, state, order, stack);
            }
            stack.RemoveAt(stack.Count - 1);
            state[unit] = 2;
            order.Add(unit);
        }

        private Unit? FindUnit(AstPackageName name, Dictionary<string, Unit> byName, bool report)
        {
            var wanted = name.ToName();
            if (byName.TryGetValue(wanted.ToString(), out var exact)) return exact;
            if (wanted.Version is null)
            {
                var candidates = byName.Values.Where(u => u.Name.Namespace == wanted.Namespace && u.Name.Name == wanted.Name).ToList();
                if (candidates.Count == 1) return candidates[0];
                if (candidates.Count > 1)
                {
                    if (report) Error(name.Pos, $"package `{wanted}` is ambiguous: versions {string.Join(", ", candidates.Select(c => c.Name.Version))} are present; add `@version`");
                    return null;
                }
            }
            if (report) Error(name.Pos, $"package `{wanted}` not found");
            return null;
        }

        private IEnumerable<AstUsePath> PackagePaths(Unit unit)
        {
            foreach (var file in unit.Files)
                foreach (var use in file.TopUses)
                    if (use.Path.Package is not null && Enabled(use.Gate)) yield return use.Path;
            foreach (var (item, _) in unit.Items)
            {
                if (!Enabled(item.Gate)) continue;
                if (item is AstInterface iface)
                {
                    foreach (var p in InterfacePaths(iface)) yield return p;
                }
                else if (item is AstWorld world)
                {
                    foreach (var w in world.Items)
                    {
                        if (!Enabled(w.Gate)) continue;
                        AstUsePath? path = w switch
                        {
                            AstUse use => use.Path,
                            AstInclude include => include.Path,
                            AstExtern ext => ext.Path,
                            _ => null,
                        };
                        if (path?.Package is not null) yield return path;
                        if (w is AstExtern { Interface: not null } inline)
                            foreach (var p in InterfacePaths(inline.Interface)) yield return p;
                    }
                }
            }
        }

        private IEnumerable<AstUsePath> InterfacePaths(AstInterface iface)
        {
            foreach (var i in iface.Items)
                if (i is AstUse use && use.Path.Package is not null && Enabled(use.Gate)) yield return use.Path;
        }

        private void ResolveUnit(Unit unit)
        {
            var package = new WitPackage(unit.Name) { Docs = unit.Docs };
            unit.Package = package;
            foreach (var file in unit.Files)
            {
                var topNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                foreach (var top in file.TopUses)
                {
                    if (Enabled(top.Gate) && !topNames.Add(top.LocalName))
                        Error(top.Pos, $"`{top.LocalName}` is defined more than once by a top-level `use` in {file.Path}");
                }
            }
            if (unit.Name.Version is null && FirstGate(unit) is AstGate gate)
                Error(gate.Pos, $"package `{unit.Name}` uses feature gates, so it must have a version (`package {unit.Name}@x.y.z;`)");
            var names = new Dictionary<string, WitPos>(StringComparer.OrdinalIgnoreCase); // names are unique case-insensitively
            foreach (var (item, _) in unit.Items)
            {
                if (!Enabled(item.Gate)) continue;
                string name = item is AstInterface i ? i.Name! : ((AstWorld)item).Name;
                if (names.TryGetValue(name, out var first))
                {
                    Error(item.Pos, $"`{name}` is defined more than once in package `{unit.Name}`");
                    continue;
                }
                names.Add(name, item.Pos);
                if (item is AstInterface iface)
                {
                    var model = new WitInterface(name, package) { Docs = iface.Docs, Stability = iface.Gate.ToStability() };
                    unit.Interfaces.Add(name, (iface, model));
                    package.InterfaceList.Add(model);
                }
                else
                {
                    var world = (AstWorld)item;
                    var model = new WitWorld(name, package) { Docs = world.Docs, Stability = world.Gate.ToStability() };
                    unit.Worlds.Add(name, (world, model));
                    package.WorldList.Add(model);
                }
            }

            // Interfaces in dependency order within the package.
            var state = new Dictionary<string, int>();
            foreach (var name in unit.Interfaces.Keys.ToList()) VisitInterface(unit, name, state, new List<string>());
            foreach (var entry in unit.Worlds.Values) ResolveWorld(unit, entry.Ast, entry.Model);
        }

        private static AstGate? FirstGate(Unit unit)
        {
            AstGate? first = null;
            void Consider(AstNode node)
            {
                if (!node.Gate.IsPresent) return;
                var p = node.Gate.Pos;
                if (first is null || p.File == first.Pos.File && (p.Line < first.Pos.Line || p.Line == first.Pos.Line && p.Column < first.Pos.Column))
                    first = node.Gate;
            }
            void Walk(AstNode node)
            {
                Consider(node);
                var children = node switch
                {
                    AstInterface i => i.Items,
                    AstWorld w => w.Items,
                    AstTypeDecl t => t.Functions.Cast<AstNode>(),
                    AstExtern { Interface: not null } e => e.Interface.Items,
                    _ => Enumerable.Empty<AstNode>(),
                };
                foreach (var child in children) Walk(child);
            }
            foreach (var (item, _) in unit.Items) Walk(item);
            return first;
        }

        private void VisitInterface(Unit unit, string name, Dictionary<string, int> state, List<string> stack)
        {
            state.TryGetValue(name, out var s);
            if (s == 2) return;
            var (ast, model) = unit.Interfaces[name];
            state[name] = 1;
            if (stack.Count > MaxDepth)
            {
                Error(ast.Pos, $"interfaces depend on each other more than {MaxDepth} levels deep");
                state[name] = 2;
                return;
            }
            stack.Add(name);
            foreach (var item in ast.Items)
            {
                if (item is not AstUse use || !Enabled(use.Gate)) continue;
                var local = LocalInterfaceName(use.Path, ast.File, unit);
                if (local is null || !unit.Interfaces.ContainsKey(local)) continue;
                state.TryGetValue(local, out var t);
                if (t == 1)
                {
                    var cycle = stack.Skip(stack.IndexOf(local)).Concat(new[] { local });
                    Error(use.Path.Pos, $"interface dependency cycle: {string.Join(" -> ", cycle)}");
                    continue;
                }
                VisitInterface(unit, local, state, stack);
            }
            stack.RemoveAt(stack.Count - 1);
            state[name] = 2;
            ResolveInterfaceBody(unit, ast, model, null);
            _interfacesDone.Add(model);
        }

        /// <summary>The same-package interface a path names, or null when it names another package.</summary>
        private string? LocalInterfaceName(AstUsePath path, AstFile file, Unit unit, bool viaTopUse = false)
        {
            if (path.Package is not null)
                return path.Package.ToName().Equals(unit.Name) ? path.Name : null;
            foreach (var top in file.TopUses)
                if (!viaTopUse && Enabled(top.Gate) && top.LocalName == path.Name) return LocalInterfaceName(top.Path, file, unit, viaTopUse: true);
            return path.Name;
        }

        private (Unit? Unit, string? Name) Locate(AstUsePath path, AstFile file, Unit unit, int depth = 0)
        {
            if (path.Package is null)
            {
                if (depth == 0)
                {
                    foreach (var top in file.TopUses)
                        if (Enabled(top.Gate) && top.LocalName == path.Name) return Locate(top.Path, file, unit, 1);
                }
                return (unit, path.Name);
            }
            if (path.Package.ToName().Equals(unit.Name)) return (unit, path.Name);
            var target = FindUnit(path.Package, _byName, report: true);
            return (target, path.Name);
        }

        private WitInterface? ResolveInterfacePath(AstUsePath path, AstFile file, Unit unit)
        {
            var (target, name) = Locate(path, file, unit);
            if (target is null) return null;
            if (target.Interfaces.TryGetValue(name!, out var entry))
            {
                if (target == unit && !_interfacesDone.Contains(entry.Model)) return null; // a cycle, already reported
                return entry.Model;
            }
            Error(path.Pos, target == unit
                ? $"interface `{name}` not found in package `{unit.Name}`"
                : $"interface `{name}` not found in package `{target.Name}`");
            return null;
        }

        private sealed class Scope
        {
            public Dictionary<string, WitTypeDef> Types { get; } = new Dictionary<string, WitTypeDef>(StringComparer.Ordinal);
            public HashSet<string> Names { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        }

        private bool Declare(Scope scope, string name, WitPos pos, string where)
        {
            if (!scope.Names.Add(name))
            {
                Error(pos, $"`{name}` is defined more than once in {where}");
                return false;
            }
            return true;
        }

        private void ResolveInterfaceBody(Unit unit, AstInterface ast, WitInterface model, string? inlineName)
        {
            var scope = new Scope();
            var where = ast.Name is null ? $"interface `{inlineName}`" : $"interface `{ast.Name}`";
            var pending = new List<(AstTypeDecl, WitTypeDef)>();
            foreach (var item in ast.Items)
            {
                if (!Enabled(item.Gate)) continue;
                if (item is AstUse use)
                {
                    foreach (var def in ResolveUse(use, ast.File, unit, scope, where))
                    {
                        def.OwnerInterface = model;
                        model.TypeList.Add(def);
                    }
                }
                else if (item is AstTypeDecl decl)
                {
                    var def = CreateShell(decl);
                    def.OwnerInterface = model;
                    if (Declare(scope, decl.Name, decl.Pos, where)) scope.Types[decl.Name] = def;
                    model.TypeList.Add(def);
                    pending.Add((decl, def));
                }
                else if (item is AstFunc func)
                {
                    Declare(scope, func.Name, func.Pos, where);
                }
            }
            foreach (var (decl, def) in pending) FillTypeDef(decl, def, scope);
            CheckTypeCycles(pending, scope);
            foreach (var item in ast.Items)
            {
                if (item is AstFunc func && Enabled(func.Gate)) model.FunctionList.Add(ResolveFunction(func, scope, null));
            }
        }

        private IEnumerable<WitTypeDef> ResolveUse(AstUse use, AstFile file, Unit unit, Scope scope, string where)
        {
            var target = ResolveInterfacePath(use.Path, file, unit);
            var result = new List<WitTypeDef>();
            foreach (var name in use.Names)
            {
                WitTypeDef? source = null;
                if (target is not null)
                {
                    source = target.FindType(name.Name);
                    if (source is null) Error(name.Pos, $"type `{name.Name}` not found in interface `{use.Path}`");
                }
                if (!Declare(scope, name.LocalName, name.Pos, where) || source is null) continue;
                var def = new WitTypeDef(name.LocalName, WitTypeDefKind.Use) { UsedType = source, Docs = use.Docs, Stability = use.Gate.ToStability() };
                scope.Types[name.LocalName] = def;
                result.Add(def);
            }
            return result;
        }

        private static WitTypeDef CreateShell(AstTypeDecl decl)
        {
            var kind = decl.Kind switch
            {
                AstTypeDeclKind.Record => WitTypeDefKind.Record,
                AstTypeDeclKind.Variant => WitTypeDefKind.Variant,
                AstTypeDeclKind.Enum => WitTypeDefKind.Enum,
                AstTypeDeclKind.Flags => WitTypeDefKind.Flags,
                AstTypeDeclKind.Resource => WitTypeDefKind.Resource,
                _ => WitTypeDefKind.Alias,
            };
            return new WitTypeDef(decl.Name, kind) { Docs = decl.Docs, Stability = decl.Gate.ToStability(), HasBody = decl.HasBody };
        }

        private void FillTypeDef(AstTypeDecl decl, WitTypeDef def, Scope scope)
        {
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            string What() => decl.Kind switch
            {
                AstTypeDeclKind.Record => "field",
                AstTypeDeclKind.Flags => "flag",
                _ => "case",
            };
            foreach (var m in decl.Members)
                if (!seen.Add(m.Name)) Error(m.Pos, $"{What()} `{m.Name}` is defined more than once in `{decl.Name}`");
            switch (decl.Kind)
            {
                case AstTypeDeclKind.Record:
                    def.Fields = decl.Members.Select(m => new WitField(m.Name, ResolveType(m.Type!, scope), m.Docs)).ToList();
                    break;
                case AstTypeDeclKind.Variant:
                    def.Cases = decl.Members.Select(m => new WitCase(m.Name, m.Type is null ? null : ResolveType(m.Type, scope), m.Docs)).ToList();
                    break;
                case AstTypeDeclKind.Enum:
                    def.Cases = decl.Members.Select(m => new WitCase(m.Name, null, m.Docs)).ToList();
                    break;
                case AstTypeDeclKind.Flags:
                    if (decl.Members.Count > 32) Error(decl.Members[32].Pos, $"flags `{decl.Name}` has {decl.Members.Count} flags; at most 32 are allowed");
                    def.Flags = decl.Members.Select(m => new WitFlag(m.Name, m.Docs)).ToList();
                    break;
                case AstTypeDeclKind.Alias:
                    def.AliasedType = ResolveType(decl.Alias!, scope);
                    break;
                case AstTypeDeclKind.Resource:
                {
                    var functions = new List<WitFunction>();
                    var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                    foreach (var f in decl.Functions)
                    {
                        if (!Enabled(f.Gate)) continue;
                        if (!names.Add(f.Name))
                        {
                            Error(f.Pos, f.Kind == WitFunctionKind.Constructor
                                ? $"resource `{decl.Name}` has more than one constructor"
                                : $"`{f.Name}` is defined more than once in resource `{decl.Name}`");
                            continue;
                        }
                        functions.Add(ResolveFunction(f, scope, def));
                    }
                    def.ResourceFunctions = functions;
                    break;
                }
            }
        }

        private WitFunction ResolveFunction(AstFunc ast, Scope scope, WitTypeDef? resource)
        {
            var func = new WitFunction(ast.Name, ast.Kind)
            {
                Resource = resource,
                IsAsync = ast.Async,
                Docs = ast.Docs,
                Stability = ast.Gate.ToStability(),
            };
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            if (ast.Kind == WitFunctionKind.Method) seen.Add("self");
            var parameters = new List<WitParam>();
            foreach (var p in ast.Params)
            {
                if (!seen.Add(p.Name)) Error(p.Pos, $"parameter `{p.Name}` is defined more than once in `{ast.Name}`");
                parameters.Add(new WitParam(p.Name, ResolveType(p.Type, scope)));
            }
            func.Params = parameters;
            if (ast.Result is not null)
            {
                func.Result = ResolveType(ast.Result, scope);
                var borrowPos = FindBorrow(ast.Result);
                if (borrowPos is WitPos bp) Error(bp, $"function `{ast.Name}` cannot return a borrowed handle");
                else if (ContainsBorrow(func.Result, new HashSet<WitTypeDef>()))
                    Error(ast.Result.Pos, $"function `{ast.Name}` cannot return a borrowed handle (its result type contains a `borrow`)");
                if (ast.Kind == WitFunctionKind.Constructor && !IsConstructorResult(func.Result, resource!))
                    Error(ast.Result.Pos, $"the constructor of `{resource!.Name}` must return `{resource.Name}` or `result<{resource.Name}, E>`");
            }
            return func;
        }

        private static bool IsConstructorResult(WitType result, WitTypeDef resource)
        {
            bool IsSelf(WitType? t) => t is WitNamedType n && n.Definition == resource || t is WitHandleType { IsBorrow: false } h && h.Resource == resource;
            return IsSelf(result) || result is WitResultType r && IsSelf(r.Ok);
        }

        /// <summary>Looks through named types too (records, variants and aliases holding a <c>borrow</c>).</summary>
        private static bool ContainsBorrow(WitType result, HashSet<WitTypeDef> visited)
        {
            var work = new Stack<WitType>();
            work.Push(result);
            while (work.Count > 0)
            {
                switch (work.Pop())
                {
                    case WitHandleType h:
                        if (h.IsBorrow) return true;
                        break;
                    case WitListType l: work.Push(l.Element); break;
                    case WitOptionType o: work.Push(o.Some); break;
                    case WitMapType m: work.Push(m.Value); break;
                    case WitTupleType t:
                        foreach (var e in t.Elements) work.Push(e);
                        break;
                    case WitResultType r:
                        if (r.Ok is not null) work.Push(r.Ok);
                        if (r.Error is not null) work.Push(r.Error);
                        break;
                    case WitNamedType n:
                    {
                        var def = n.Definition;
                        for (int guard = 0; def.Kind == WitTypeDefKind.Use && def.UsedType is not null && guard < 10_000; guard++) def = def.UsedType;
                        if (!visited.Add(def)) break;
                        if (def.Kind == WitTypeDefKind.Record) foreach (var f in def.Fields) work.Push(f.Type);
                        else if (def.Kind == WitTypeDefKind.Variant) foreach (var c in def.Cases) { if (c.Type is not null) work.Push(c.Type); }
                        else if (def.Kind == WitTypeDefKind.Alias && def.AliasedType is not null) work.Push(def.AliasedType);
                        break;
                    }
                }
            }
            return false;
        }

        private static WitPos? FindBorrow(AstType type) => type switch
        {
            AstHandle { Borrow: true } h => h.Pos,
            AstList l => FindBorrow(l.Element),
            AstOption o => FindBorrow(o.Some),
            AstTuple t => t.Elements.Select(FindBorrow).FirstOrDefault(p => p is not null),
            AstResult r => (r.Ok is null ? null : FindBorrow(r.Ok)) ?? (r.Err is null ? null : FindBorrow(r.Err)),
            AstMap m => FindBorrow(m.Value),
            _ => null,
        };

        private WitType ResolveType(AstType type, Scope scope)
        {
            switch (type)
            {
                case AstPrimitive p:
                    return WitPrimitiveType.Get(p.Kind);
                case AstNamed n:
                    if (scope.Types.TryGetValue(n.Name, out var def)) return new WitNamedType(def);
                    Error(n.Pos, scope.Names.Contains(n.Name) ? $"`{n.Name}` is not a type" : $"type `{n.Name}` not defined");
                    return WitPrimitiveType.Get(WitPrimitiveKind.Bool);
                case AstHandle h:
                    if (scope.Types.TryGetValue(h.Name, out var res))
                    {
                        _handleChecks.Add((res, h.Name, h.Pos));
                        return new WitHandleType(res, h.Borrow);
                    }
                    Error(h.Pos, $"type `{h.Name}` not defined");
                    return WitPrimitiveType.Get(WitPrimitiveKind.Bool);
                case AstList l:
                    return new WitListType(ResolveType(l.Element, scope), l.Length);
                case AstTuple t:
                    return new WitTupleType(t.Elements.Select(e => ResolveType(e, scope)).ToList());
                case AstOption o:
                    return new WitOptionType(ResolveType(o.Some, scope));
                case AstResult r:
                    return new WitResultType(r.Ok is null ? null : ResolveType(r.Ok, scope), r.Err is null ? null : ResolveType(r.Err, scope));
                case AstMap m:
                    return new WitMapType(ResolveType(m.Key, scope), ResolveType(m.Value, scope));
                case AstFuture f:
                    return new WitFutureType(f.Element is null ? null : ResolveType(f.Element, scope));
                case AstStream s:
                    return new WitStreamType(s.Element is null ? null : ResolveType(s.Element, scope));
                default:
                    throw new InvalidOperationException("unknown type node");
            }
        }

        /// <summary>Reports types that contain themselves (other than through a handle).</summary>
        private void CheckTypeCycles(List<(AstTypeDecl Decl, WitTypeDef Def)> defs, Scope scope)
        {
            // Only this scope's own definitions can form a cycle (used types come from interfaces resolved earlier).
            // Iterative depth-first search in linear time: a type reached again while still on the path closes a cycle.
            var positions = new Dictionary<WitTypeDef, AstTypeDecl>();
            foreach (var (decl, def) in defs) positions[def] = decl;
            var state = new Dictionary<WitTypeDef, int>(); // 1 = on the path, 2 = done
            var reported = new HashSet<WitTypeDef>();
            foreach (var (_, root) in defs)
            {
                if (state.ContainsKey(root)) continue;
                var path = new Stack<(WitTypeDef Def, IEnumerator<WitTypeDef> Next)>();
                state[root] = 1;
                path.Push((root, Successors(root).GetEnumerator()));
                while (path.Count > 0)
                {
                    var (def, next) = path.Peek();
                    if (!next.MoveNext())
                    {
                        state[def] = 2;
                        path.Pop();
                        continue;
                    }
                    var target = next.Current;
                    if (!positions.ContainsKey(target)) continue;
                    state.TryGetValue(target, out var s);
                    if (s == 1)
                    {
                        if (reported.Add(target)) Error(positions[target].Pos, $"type `{target.Name}` refers to itself");
                    }
                    else if (s == 0)
                    {
                        state[target] = 1;
                        path.Push((target, Successors(target).GetEnumerator()));
                    }
                }
            }
        }

        private static IEnumerable<WitTypeDef> Successors(WitTypeDef def) => Children(def).SelectMany(NamedIn);

        private static IEnumerable<WitType> Children(WitTypeDef def)
        {
            switch (def.Kind)
            {
                case WitTypeDefKind.Record: return def.Fields.Select(f => f.Type);
                case WitTypeDefKind.Variant: return def.Cases.Where(c => c.Type is not null).Select(c => c.Type!);
                case WitTypeDefKind.Alias: return def.AliasedType is null ? Enumerable.Empty<WitType>() : new[] { def.AliasedType };
                default: return Enumerable.Empty<WitType>();
            }
        }

        private static IEnumerable<WitTypeDef> NamedIn(WitType type)
        {
            switch (type)
            {
                case WitNamedType n: return new[] { n.Definition };
                case WitListType l: return NamedIn(l.Element);
                case WitMapType m: return NamedIn(m.Value);
                case WitOptionType o: return NamedIn(o.Some);
                case WitTupleType t: return t.Elements.SelectMany(NamedIn);
                case WitResultType r: return (r.Ok is null ? Enumerable.Empty<WitTypeDef>() : NamedIn(r.Ok)).Concat(r.Error is null ? Enumerable.Empty<WitTypeDef>() : NamedIn(r.Error));
                default: return Enumerable.Empty<WitTypeDef>();
            }
        }

        private WitWorld? ResolveWorldPath(AstUsePath path, AstFile file, Unit unit)
        {
            var (target, name) = Locate(path, file, unit);
            if (target is null) return null;
            if (!target.Worlds.TryGetValue(name!, out var entry))
            {
                Error(path.Pos, $"world `{name}` not found in package `{target.Name}`");
                return null;
            }
            if (_worldsInProgress.Contains(entry.Model))
            {
                Error(path.Pos, $"world `{entry.Model.Name}` includes itself");
                return null;
            }
            if (_worldsInProgress.Count > MaxDepth)
            {
                Error(path.Pos, $"worlds include each other more than {MaxDepth} levels deep");
                return null;
            }
            if (!_worldsDone.Contains(entry.Model)) ResolveWorld(target, entry.Ast, entry.Model);
            return entry.Model;
        }

        private void ResolveWorld(Unit unit, AstWorld ast, WitWorld model)
        {
            if (_worldsDone.Contains(model) || _worldsInProgress.Contains(model)) return;
            _worldsInProgress.Add(model);
            var where = $"world `{ast.Name}`";
            var scope = new Scope();
            var typeItems = new Dictionary<AstNode, List<WitWorldItem>>();
            var pending = new List<(AstTypeDecl, WitTypeDef)>();
            foreach (var item in ast.Items)
            {
                if (!Enabled(item.Gate)) continue;
                if (item is AstUse use)
                {
                    var defs = ResolveUse(use, ast.File, unit, scope, where).ToList();
                    foreach (var d in defs) d.OwnerWorld = model;
                    typeItems[item] = defs.Select(d => new WitWorldItem(d.Name, WitWorldItemKind.Type) { Type = d, Docs = use.Docs, Stability = use.Gate.ToStability() }).ToList();
                }
                else if (item is AstTypeDecl decl)
                {
                    var def = CreateShell(decl);
                    def.OwnerWorld = model;
                    if (Declare(scope, decl.Name, decl.Pos, where)) scope.Types[decl.Name] = def;
                    pending.Add((decl, def));
                    typeItems[item] = new List<WitWorldItem> { new WitWorldItem(decl.Name, WitWorldItemKind.Type) { Type = def, Docs = decl.Docs, Stability = decl.Gate.ToStability() } };
                }
            }
            foreach (var (decl, def) in pending) FillTypeDef(decl, def, scope);
            CheckTypeCycles(pending, scope);

            var importNames = new HashSet<string>(scope.Names, StringComparer.OrdinalIgnoreCase);
            var exportNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var item in ast.Items)
            {
                if (!Enabled(item.Gate)) continue;
                if (typeItems.TryGetValue(item, out var types))
                {
                    model.ImportList.AddRange(types);
                    continue;
                }
                if (item is AstExtern ext)
                {
                    WitWorldItem? created = null;
                    switch (ext.Kind)
                    {
                        case AstExternKind.Path:
                        {
                            var iface = ResolveInterfacePath(ext.Path!, ast.File, unit);
                            if (iface is not null) created = new WitWorldItem(ext.Name.Length > 0 ? ext.Name : iface.QualifiedName!, WitWorldItemKind.Interface) { Interface = iface };
                            break;
                        }
                        case AstExternKind.Interface:
                        {
                            var iface = new WitInterface(null, model.Package) { Docs = ext.Docs, Stability = ext.Gate.ToStability() };
                            ResolveInterfaceBody(unit, ext.Interface!, iface, ext.Name);
                            created = new WitWorldItem(ext.Name, WitWorldItemKind.Interface) { Interface = iface };
                            break;
                        }
                        case AstExternKind.Function:
                            created = new WitWorldItem(ext.Name, WitWorldItemKind.Function) { Function = ResolveFunction(ext.Func!, scope, null) };
                            break;
                    }
                    if (created is null) continue;
                    created.Docs = ext.Docs;
                    created.Stability = ext.Gate.ToStability();
                    var names = ext.IsExport ? exportNames : importNames;
                    if (!names.Add(created.Name))
                    {
                        Error(ext.Kind == AstExternKind.Path ? ext.NamePos ?? ext.Path!.Pos : ext.Func?.Pos ?? ext.NamePos ?? ext.Pos,
                            $"{(ext.IsExport ? "export" : "import")} `{created.Name}` is defined more than once in {where}");
                        continue;
                    }
                    (ext.IsExport ? model.ExportList : model.ImportList).Add(created);
                }
                else if (item is AstInclude include)
                {
                    var included = ResolveWorldPath(include.Path, ast.File, unit);
                    if (included is null) continue;
                    var renames = new Dictionary<string, string>(StringComparer.Ordinal);
                    foreach (var w in include.With)
                    {
                        bool exists = included.Imports.Concat(included.Exports).Any(i => i.Name == w.Name && !i.IsInterfacePath);
                        if (!exists) Error(w.Pos, $"`{w.Name}` is not an import or export of world `{included.Name}`");
                        else if (renames.ContainsKey(w.Name)) Error(w.Pos, $"`{w.Name}` is renamed more than once");
                        else renames[w.Name] = w.As!;
                    }
                    var copies = RenamedTypes(included, renames, model);
                    Merge(included.Imports, model.ImportList, importNames, renames, copies, include, "import", where);
                    Merge(included.Exports, model.ExportList, exportNames, renames, copies, include, "export", where);
                }
            }
            if (!Elaborate(model)) Error(ast.Pos, $"the interfaces of world `{ast.Name}` depend on each other more than {MaxDepth * 4} levels deep");
            _worldsInProgress.Remove(model);
            _worldsDone.Add(model);
        }

        /// <summary>
        /// Completes a world: every named interface that an imported item depends on (through <c>use</c>) is imported
        /// before it, and every interface an exported interface depends on is imported unless it is exported too.
        /// </summary>
        /// <returns>False when the dependency chains are too deep to follow.</returns>
        private static bool Elaborate(WitWorld world)
        {
            bool tooDeep = false;
            var imports = new List<WitWorldItem>();
            var imported = new HashSet<WitInterface>();
            var importNames = new HashSet<string>(StringComparer.Ordinal);
            var exported = new HashSet<WitInterface>(world.ExportList.Where(e => e.IsInterfacePath).Select(e => e.Interface!));

            void AddDependencies(WitInterface iface, HashSet<WitInterface> visiting)
            {
                if (visiting.Count > MaxDepth * 4)
                {
                    tooDeep = true;
                    return;
                }
                if (!visiting.Add(iface)) return;
                foreach (var dep in Dependencies(iface)) AddInterface(dep, visiting);
            }

            void AddInterface(WitInterface iface, HashSet<WitInterface> visiting)
            {
                if (imported.Contains(iface)) return;
                AddDependencies(iface, visiting);
                if (!imported.Add(iface)) return;
                importNames.Add(iface.QualifiedName!);
                imports.Add(new WitWorldItem(iface.QualifiedName!, WitWorldItemKind.Interface) { Interface = iface });
            }

            foreach (var item in world.ImportList)
            {
                var visiting = new HashSet<WitInterface>();
                if (item.Kind == WitWorldItemKind.Interface)
                {
                    AddDependencies(item.Interface!, visiting);
                    if (item.IsInterfacePath && !imported.Add(item.Interface!)) continue;
                }
                else if (item.Kind == WitWorldItemKind.Type && item.Type!.Kind == WitTypeDefKind.Use && item.Type.UsedType!.OwnerInterface is { Name: not null } owner)
                {
                    AddInterface(owner, visiting);
                }
                importNames.Add(item.Name);
                imports.Add(item);
            }
            foreach (var item in world.ExportList)
            {
                if (item.Kind != WitWorldItemKind.Interface) continue;
                foreach (var dep in Dependencies(item.Interface!))
                {
                    if (!exported.Contains(dep)) AddInterface(dep, new HashSet<WitInterface>());
                }
            }
            world.ImportList.Clear();
            world.ImportList.AddRange(imports);
            return !tooDeep;
        }

        /// <summary>The named interfaces an interface's <c>use</c>s refer to, in order.</summary>
        private static IEnumerable<WitInterface> Dependencies(WitInterface iface)
        {
            var seen = new HashSet<WitInterface>();
            foreach (var type in iface.TypeList)
            {
                if (type.Kind != WitTypeDefKind.Use) continue;
                var owner = type.UsedType!.OwnerInterface;
                if (owner is not null && owner.Name is not null && owner != iface && seen.Add(owner)) yield return owner;
            }
        }

        /// <summary>
        /// When <c>include ... with</c> renames types of the included world, the including world gets copies: each
        /// renamed type under its new name, and every type that refers to a copied one (transitively) with its references
        /// updated, so the including world's types and functions name only its own definitions. Empty when no type is
        /// renamed (the included definitions are then shared).
        /// </summary>
        private static Dictionary<WitTypeDef, WitTypeDef> RenamedTypes(WitWorld included, Dictionary<string, string> renames, WitWorld into)
        {
            var copies = new Dictionary<WitTypeDef, WitTypeDef>();
            var types = included.Imports.Where(i => i.Kind == WitWorldItemKind.Type).Select(i => i.Type!).ToList();
            foreach (var def in types)
            {
                if (renames.TryGetValue(def.Name, out var name)) copies[def] = new WitTypeDef(name, def.Kind);
            }
            if (copies.Count == 0) return copies;
            // Whatever mentions a copied type is copied too, until nothing changes.
            for (bool changed = true; changed;)
            {
                changed = false;
                foreach (var def in types)
                {
                    if (copies.ContainsKey(def) || !Mentions(def, copies)) continue;
                    copies[def] = new WitTypeDef(def.Name, def.Kind);
                    changed = true;
                }
            }
            foreach (var pair in copies)
            {
                var (from, to) = (pair.Key, pair.Value);
                to.OwnerWorld = into;
                to.Docs = from.Docs;
                to.Stability = from.Stability;
                to.HasBody = from.HasBody;
                to.UsedType = from.UsedType;
                to.AliasedType = from.AliasedType is null ? null : Substitute(from.AliasedType, copies);
                to.Fields = from.Fields.Select(f => new WitField(f.Name, Substitute(f.Type, copies), f.Docs)).ToList();
                to.Cases = from.Cases.Select(c => new WitCase(c.Name, c.Type is null ? null : Substitute(c.Type, copies), c.Docs)).ToList();
                to.Flags = from.Flags;
                to.ResourceFunctions = from.ResourceFunctions.Select(f => Substitute(f, f.Name, copies)).ToList();
            }
            return copies;
        }

        private static bool Mentions(WitTypeDef def, Dictionary<WitTypeDef, WitTypeDef> copies) =>
            (def.AliasedType is not null && Mentions(def.AliasedType, copies))
            || def.Fields.Any(f => Mentions(f.Type, copies))
            || def.Cases.Any(c => c.Type is not null && Mentions(c.Type, copies))
            || def.ResourceFunctions.Any(f => Mentions(f, copies));

        private static bool Mentions(WitFunction f, Dictionary<WitTypeDef, WitTypeDef> copies) =>
            (f.Resource is not null && copies.ContainsKey(f.Resource))
            || f.Params.Any(p => Mentions(p.Type, copies))
            || (f.Result is not null && Mentions(f.Result, copies));

        private static bool Mentions(WitType type, Dictionary<WitTypeDef, WitTypeDef> copies) => type switch
        {
            WitNamedType n => copies.ContainsKey(n.Definition),
            WitHandleType h => copies.ContainsKey(h.Resource),
            WitListType l => Mentions(l.Element, copies),
            WitTupleType t => t.Elements.Any(e => Mentions(e, copies)),
            WitOptionType o => Mentions(o.Some, copies),
            WitResultType r => (r.Ok is not null && Mentions(r.Ok, copies)) || (r.Error is not null && Mentions(r.Error, copies)),
            WitMapType m => Mentions(m.Key, copies) || Mentions(m.Value, copies),
            WitFutureType f => f.Element is not null && Mentions(f.Element, copies),
            WitStreamType s => s.Element is not null && Mentions(s.Element, copies),
            _ => false,
        };

        /// <summary>The type with references to copied definitions replaced by the copies (the same object when none).</summary>
        private static WitType Substitute(WitType type, Dictionary<WitTypeDef, WitTypeDef> copies)
        {
            if (!Mentions(type, copies)) return type;
            WitType? Opt(WitType? t) => t is null ? null : Substitute(t, copies);
            return type switch
            {
                WitNamedType n => new WitNamedType(copies[n.Definition]),
                WitHandleType h => new WitHandleType(copies.TryGetValue(h.Resource, out var r) ? r : h.Resource, h.IsBorrow),
                WitListType l => new WitListType(Substitute(l.Element, copies), l.Length),
                WitTupleType t => new WitTupleType(t.Elements.Select(e => Substitute(e, copies)).ToList()),
                WitOptionType o => new WitOptionType(Substitute(o.Some, copies)),
                WitResultType r => new WitResultType(Opt(r.Ok), Opt(r.Error)),
                WitMapType m => new WitMapType(Substitute(m.Key, copies), Substitute(m.Value, copies)),
                WitFutureType f => new WitFutureType(Opt(f.Element)),
                WitStreamType s => new WitStreamType(Opt(s.Element)),
                _ => type,
            };
        }

        /// <summary>The function named <paramref name="name"/>, with references to copied definitions replaced.</summary>
        private static WitFunction Substitute(WitFunction f, string name, Dictionary<WitTypeDef, WitTypeDef> copies)
        {
            if (name == f.Name && !Mentions(f, copies)) return f;
            var copy = f.Renamed(name);
            if (f.Resource is not null && copies.TryGetValue(f.Resource, out var resource)) copy.Resource = resource;
            copy.Params = f.Params.Select(p => new WitParam(p.Name, Substitute(p.Type, copies))).ToList();
            copy.Result = f.Result is null ? null : Substitute(f.Result, copies);
            return copy;
        }

        private void Merge(IReadOnlyList<WitWorldItem> from, List<WitWorldItem> to, HashSet<string> names, Dictionary<string, string> renames,
            Dictionary<WitTypeDef, WitTypeDef> copies, AstInclude include, string what, string where)
        {
            foreach (var item in from)
            {
                var name = !item.IsInterfacePath && renames.TryGetValue(item.Name, out var renamed) ? renamed : item.Name;
                if (!names.Add(name))
                {
                    var existing = to.Find(i => i.Name == name);
                    if (item.IsInterfacePath && existing is not null && existing.Interface == item.Interface) continue;
                    Error(include.Path.Pos, $"{what} `{name}` from world `{include.Path}` conflicts with an existing {what} of {where}");
                    continue;
                }
                to.Add(new WitWorldItem(name, item.Kind)
                {
                    Interface = item.Interface,
                    Function = item.Function is null ? null : Substitute(item.Function, name, copies),
                    Type = item.Type is not null && copies.TryGetValue(item.Type, out var copy) ? copy : item.Type,
                    Docs = item.Docs,
                    Stability = item.Stability,
                });
            }
        }
    }
}
