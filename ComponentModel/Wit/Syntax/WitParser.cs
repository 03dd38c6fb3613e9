using System.Collections.Generic;

namespace Sharptime.ComponentModel.Wit.Syntax;

/// <summary>Recursive-descent parser from tokens to the syntax tree of one file.</summary>
internal sealed class WitParser
{
    private const int MaxTypeDepth = 100;

    private readonly List<Token> _tokens;
    private int _index;
    private AstFile _file = null!;

    private WitParser(List<Token> tokens) => _tokens = tokens;

    public static AstFile Parse(string path, string text)
    {
        var parser = new WitParser(WitLexer.Tokenize(path, text));
        return parser.ParseFile(path);
    }

    private Token Peek => _tokens[_index];

    private Token PeekAt(int offset) => _tokens[System.Math.Min(_index + offset, _tokens.Count - 1)];

    private Token Next()
    {
        var t = _tokens[_index];
        if (_index < _tokens.Count - 1) _index++;
        return t;
    }

    private static WitSyntaxError Fail(Token at, string message) => new WitSyntaxError(at.Pos.Error(message));

    private WitSyntaxError Expected(string what) => Fail(Peek, $"expected {what}, found {Peek.Describe()}");

    private Token Expect(string symbol)
    {
        if (!Peek.IsSymbol(symbol)) throw Expected($"`{symbol}`");
        return Next();
    }

    private bool Eat(string symbol)
    {
        if (!Peek.IsSymbol(symbol)) return false;
        Next();
        return true;
    }

    private bool EatKeyword(string keyword)
    {
        if (!Peek.IsKeyword(keyword)) return false;
        Next();
        return true;
    }

    private void ExpectKeyword(string keyword)
    {
        if (!EatKeyword(keyword)) throw Expected($"`{keyword}`");
    }

    private string ExpectId(string what = "an identifier")
    {
        var t = Peek;
        if (t.Kind != TokenKind.Id) throw Expected(what);
        if (!t.Escaped && WitLexer.Keywords.Contains(t.Text))
            throw Fail(t, $"expected {what}, found keyword `{t.Text}` (write `%{t.Text}` to use it as a name)");
        Next();
        return t.Text;
    }

    private AstFile ParseFile(string path)
    {
        _file = new AstFile { Path = path };
        bool first = true;
        while (Peek.Kind != TokenKind.Eof)
        {
            var start = Peek;
            int startIndex = _index;
            var gate = ParseGate();
            if (Peek.IsKeyword("package"))
            {
                if (!gate.ToStability().IsNone) throw Fail(start, "attributes are not allowed on a package declaration");
                var pkgToken = Next();
                var name = ParsePackageName();
                if (Eat("{"))
                {
                    var nested = new AstNestedPackage { Name = name, Pos = pkgToken.Pos, Docs = start.Docs };
                    while (!Eat("}"))
                    {
                        if (Peek.Kind == TokenKind.Eof) throw Expected("`}`");
                        var item = ParsePackageItem(allowUse: false);
                        nested.Items.Add(item);
                    }
                    _file.Nested.Add(nested);
                }
                else
                {
                    if (!first) throw Fail(pkgToken, "the `package` declaration must come first in a file");
                    Expect(";");
                    _file.Package = name;
                    _file.PackageDocs = start.Docs;
                }
                first = false;
                continue;
            }
            first = false;
            _index = startIndex;
            var top = ParsePackageItem(allowUse: true);
            if (top is AstTopUse use) _file.TopUses.Add(use);
            else _file.Items.Add(top);
        }
        return _file;
    }

    private AstNode ParsePackageItem(bool allowUse)
    {
        var start = Peek;
        var gate = ParseGate();
        var docs = start.Docs ?? Peek.Docs;
        AstNode node;
        if (Peek.IsKeyword("interface"))
        {
            var kw = Next();
            var name = ExpectId("an interface name");
            var iface = new AstInterface { Name = name, File = _file, Pos = kw.Pos };
            ParseInterfaceBody(iface);
            node = iface;
        }
        else if (Peek.IsKeyword("world"))
        {
            var kw = Next();
            var world = new AstWorld { Name = ExpectId("a world name"), File = _file, Pos = kw.Pos };
            ParseWorldBody(world);
            node = world;
        }
        else if (allowUse && Peek.IsKeyword("use"))
        {
            var kw = Next();
            var use = new AstTopUse { Pos = kw.Pos, Path = ParseUsePath() };
            if (EatKeyword("as")) use.As = ExpectId();
            Expect(";");
            node = use;
        }
        else
        {
            throw Expected(allowUse ? "`interface`, `world`, `use` or `package`" : "`interface` or `world`");
        }
        node.Docs = docs;
        node.Gate = gate;
        return node;
    }

    private AstPackageName ParsePackageName()
    {
        var pos = Peek.Pos;
        var ns = ExpectId("a package namespace");
        Expect(":");
        var name = ExpectId("a package name");
        var result = new AstPackageName { Namespace = ns, Name = name, Pos = pos };
        if (Peek.IsSymbol("@")) result.Version = ParseAtVersion();
        return result;
    }

    private string ParseAtVersion()
    {
        Expect("@");
        return ParseVersion();
    }

    private string ParseVersion()
    {
        var t = Peek;
        if (t.Kind != TokenKind.Version && t.Kind != TokenKind.Integer) throw Expected("a version");
        Next();
        var problem = WitLexer.CheckVersion(t.Text);
        if (problem is not null) throw Fail(t, problem);
        return t.Text;
    }

    private AstUsePath ParseUsePath()
    {
        var pos = Peek.Pos;
        var first = ExpectId("an interface name");
        if (!Eat(":")) return new AstUsePath { Name = first, Pos = pos };
        var pkg = ExpectId("a package name");
        Expect("/");
        var name = ExpectId("an interface name");
        var path = new AstUsePath { Name = name, Pos = pos, Package = new AstPackageName { Namespace = first, Name = pkg, Pos = pos } };
        if (Peek.IsSymbol("@")) path.Package.Version = ParseAtVersion();
        return path;
    }

    private AstGate ParseGate()
    {
        var gate = new AstGate();
        while (Peek.IsSymbol("@"))
        {
            if (!gate.IsPresent) gate.Pos = Peek.Pos;
            gate.IsPresent = true;
            Next();
            var attrToken = Peek;
            var attr = ExpectId("an attribute name");
            Expect("(");
            switch (attr)
            {
                case "since":
                    if (gate.Since is not null) throw Fail(attrToken, "duplicate `@since` attribute");
                    ExpectKey("version");
                    gate.Since = ParseVersion();
                    break;
                case "unstable":
                    if (gate.Unstable is not null) throw Fail(attrToken, "duplicate `@unstable` attribute");
                    ExpectKey("feature");
                    gate.Unstable = ExpectId("a feature name");
                    break;
                case "deprecated":
                    if (gate.Deprecated is not null) throw Fail(attrToken, "duplicate `@deprecated` attribute");
                    ExpectKey("version");
                    gate.Deprecated = ParseVersion();
                    break;
                default:
                    throw Fail(attrToken, $"unknown attribute `@{attr}`: expected `@since`, `@unstable` or `@deprecated`");
            }
            Expect(")");
        }
        if (gate.Since is not null && gate.Unstable is not null)
            throw Fail(Peek, "an item cannot be both `@since` and `@unstable`");
        if (gate.Deprecated is not null && gate.Since is null)
            throw Fail(Peek, "`@deprecated` must be paired with `@since`");
        return gate;
    }

    private void ExpectKey(string key)
    {
        if (!(Peek.Kind == TokenKind.Id && Peek.Text == key)) throw Expected($"`{key}`");
        Next();
        Expect("=");
    }

    private void ParseInterfaceBody(AstInterface iface)
    {
        Expect("{");
        while (!Eat("}"))
        {
            if (Peek.Kind == TokenKind.Eof) throw Expected("`}`");
            var start = Peek;
            var gate = ParseGate();
            var docs = start.Docs ?? Peek.Docs;
            AstNode item;
            if (Peek.IsKeyword("use")) item = ParseUse();
            else if (TryParseTypeDecl(out var decl)) item = decl!;
            else if (Peek.Kind == TokenKind.Id && PeekAt(1).IsSymbol(":")) item = ParseNamedFunc(WitFunctionKind.Freestanding);
            else throw Expected("a type, function or `use` in the interface");
            item.Docs = docs;
            item.Gate = gate;
            iface.Items.Add(item);
        }
    }

    private AstUse ParseUse()
    {
        var kw = Next();
        var use = new AstUse { Pos = kw.Pos, Path = ParseUsePath() };
        Expect(".");
        Expect("{");
        do
        {
            if (Peek.IsSymbol("}") && use.Names.Count > 0) break;
            var pos = Peek.Pos;
            var name = new AstUseName { Pos = pos, Name = ExpectId("a type name") };
            if (EatKeyword("as")) name.As = ExpectId();
            use.Names.Add(name);
        }
        while (Eat(","));
        Expect("}");
        Expect(";");
        return use;
    }

    private bool TryParseTypeDecl(out AstTypeDecl? decl)
    {
        decl = null;
        var t = Peek;
        if (t.Kind != TokenKind.Id || t.Escaped) return false;
        AstTypeDeclKind kind;
        switch (t.Text)
        {
            case "record": kind = AstTypeDeclKind.Record; break;
            case "variant": kind = AstTypeDeclKind.Variant; break;
            case "enum": kind = AstTypeDeclKind.Enum; break;
            case "flags": kind = AstTypeDeclKind.Flags; break;
            case "resource": kind = AstTypeDeclKind.Resource; break;
            case "type": kind = AstTypeDeclKind.Alias; break;
            default: return false;
        }
        Next();
        decl = new AstTypeDecl { Kind = kind, Pos = t.Pos, Name = ExpectId("a type name") };
        switch (kind)
        {
            case AstTypeDeclKind.Alias:
                Expect("=");
                decl.Alias = ParseType(0);
                Expect(";");
                break;
            case AstTypeDeclKind.Resource:
                if (Eat(";")) break;
                Expect("{");
                decl.HasBody = true;
                while (!Eat("}"))
                {
                    if (Peek.Kind == TokenKind.Eof) throw Expected("`}`");
                    var start = Peek;
                    var gate = ParseGate();
                    var docs = start.Docs ?? Peek.Docs;
                    AstFunc func;
                    if (Peek.IsKeyword("constructor"))
                    {
                        var kw = Next();
                        func = new AstFunc { Name = "constructor", Kind = WitFunctionKind.Constructor, Pos = kw.Pos };
                        ParseParams(func);
                        if (Eat("->")) func.Result = ParseType(0);
                        Expect(";");
                    }
                    else if (Peek.Kind == TokenKind.Id && PeekAt(1).IsSymbol(":"))
                    {
                        func = ParseNamedFunc(WitFunctionKind.Method);
                    }
                    else throw Expected("`constructor` or a method in the resource");
                    func.Docs = docs;
                    func.Gate = gate;
                    decl.Functions.Add(func);
                }
                break;
            default:
                Expect("{");
                do
                {
                    if (Peek.IsSymbol("}") && decl.Members.Count > 0) break;
                    var memberStart = Peek;
                    var member = new AstMember { Pos = memberStart.Pos, Docs = memberStart.Docs };
                    member.Name = ExpectId(kind == AstTypeDeclKind.Record ? "a field name" : kind == AstTypeDeclKind.Flags ? "a flag name" : "a case name");
                    if (kind == AstTypeDeclKind.Record)
                    {
                        Expect(":");
                        member.Type = ParseType(0);
                    }
                    else if (kind == AstTypeDeclKind.Variant && Eat("("))
                    {
                        member.Type = ParseType(0);
                        Expect(")");
                    }
                    decl.Members.Add(member);
                }
                while (Eat(","));
                Expect("}");
                break;
        }
        return true;
    }

    private AstFunc ParseNamedFunc(WitFunctionKind kind)
    {
        var nameToken = Peek;
        var name = ExpectId("a function name");
        Expect(":");
        var func = new AstFunc { Name = name, Kind = kind, Pos = nameToken.Pos };
        if (kind == WitFunctionKind.Method && EatKeyword("static")) func.Kind = WitFunctionKind.Static;
        ParseFuncType(func);
        Expect(";");
        return func;
    }

    private void ParseFuncType(AstFunc func)
    {
        if (EatKeyword("async")) func.Async = true;
        ExpectKeyword("func");
        ParseParams(func);
        if (Eat("->"))
        {
            if (Peek.IsSymbol("(")) throw Fail(Peek, "named results are not supported: expected a type after `->`, found `(`");
            func.Result = ParseType(0);
        }
    }

    private void ParseParams(AstFunc func)
    {
        Expect("(");
        while (!Eat(")"))
        {
            var pos = Peek.Pos;
            var name = ExpectId("a parameter name");
            Expect(":");
            func.Params.Add(new AstParam { Name = name, Pos = pos, Type = ParseType(0) });
            if (!Peek.IsSymbol(")")) Expect(",");
        }
    }

    private AstType ParseType(int depth)
    {
        var t = Peek;
        if (depth > MaxTypeDepth) throw Fail(t, $"types are nested more than {MaxTypeDepth} levels deep");
        if (t.Kind != TokenKind.Id) throw Expected("a type");
        if (t.Escaped || !WitLexer.Keywords.Contains(t.Text))
        {
            Next();
            return new AstNamed { Name = t.Text, Pos = t.Pos };
        }
        Next();
        switch (t.Text)
        {
            case "bool": return Prim(WitPrimitiveKind.Bool, t);
            case "s8": return Prim(WitPrimitiveKind.S8, t);
            case "s16": return Prim(WitPrimitiveKind.S16, t);
            case "s32": return Prim(WitPrimitiveKind.S32, t);
            case "s64": return Prim(WitPrimitiveKind.S64, t);
            case "u8": return Prim(WitPrimitiveKind.U8, t);
            case "u16": return Prim(WitPrimitiveKind.U16, t);
            case "u32": return Prim(WitPrimitiveKind.U32, t);
            case "u64": return Prim(WitPrimitiveKind.U64, t);
            case "f32": return Prim(WitPrimitiveKind.F32, t);
            case "f64": return Prim(WitPrimitiveKind.F64, t);
            case "char": return Prim(WitPrimitiveKind.Char, t);
            case "string": return Prim(WitPrimitiveKind.String, t);
            case "error-context": return Prim(WitPrimitiveKind.ErrorContext, t);
            case "list":
            {
                Expect("<");
                var list = new AstList { Pos = t.Pos, Element = ParseType(depth + 1) };
                if (Eat(","))
                {
                    var n = Peek;
                    if (n.Kind != TokenKind.Integer) throw Expected("a list length");
                    Next();
                    if (!uint.TryParse(n.Text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var length))
                        throw Fail(n, $"list length `{n.Text}` is too large");
                    if (length == 0) throw Fail(n, "a fixed-size list must have a length of at least 1");
                    list.Length = length;
                }
                Expect(">");
                return list;
            }
            case "tuple":
            {
                Expect("<");
                var tuple = new AstTuple { Pos = t.Pos };
                do
                {
                    if (Peek.IsSymbol(">") && tuple.Elements.Count > 0) break;
                    tuple.Elements.Add(ParseType(depth + 1));
                }
                while (Eat(","));
                Expect(">");
                return tuple;
            }
            case "map":
            {
                Expect("<");
                var keyToken = Peek;
                var key = ParseType(depth + 1);
                if (key is not AstPrimitive { Kind: not (WitPrimitiveKind.F32 or WitPrimitiveKind.F64 or WitPrimitiveKind.ErrorContext) })
                    throw Fail(keyToken, "a map key must be an integer, `bool`, `char` or `string`");
                Expect(",");
                var map = new AstMap { Pos = t.Pos, Key = key, Value = ParseType(depth + 1) };
                Expect(">");
                return map;
            }
            case "option":
            {
                Expect("<");
                var option = new AstOption { Pos = t.Pos, Some = ParseType(depth + 1) };
                Expect(">");
                return option;
            }
            case "result":
            {
                var result = new AstResult { Pos = t.Pos };
                if (!Eat("<")) return result;
                if (Eat("_"))
                {
                    Expect(",");
                    result.Err = ParseType(depth + 1);
                }
                else
                {
                    result.Ok = ParseType(depth + 1);
                    if (Eat(",")) result.Err = ParseType(depth + 1);
                }
                Expect(">");
                return result;
            }
            case "own":
            case "borrow":
            {
                Expect("<");
                var handle = new AstHandle { Pos = t.Pos, Borrow = t.Text == "borrow", Name = ExpectId("a resource name") };
                Expect(">");
                return handle;
            }
            case "future":
            {
                var future = new AstFuture { Pos = t.Pos };
                if (Eat("<"))
                {
                    future.Element = ParseType(depth + 1);
                    Expect(">");
                }
                return future;
            }
            case "stream":
            {
                var stream = new AstStream { Pos = t.Pos };
                if (Eat("<"))
                {
                    stream.Element = ParseType(depth + 1);
                    Expect(">");
                }
                return stream;
            }
            default:
                throw Fail(t, $"expected a type, found keyword `{t.Text}`");
        }
    }

    private static AstPrimitive Prim(WitPrimitiveKind kind, Token t) => new AstPrimitive { Kind = kind, Pos = t.Pos };

    private void ParseWorldBody(AstWorld world)
    {
        Expect("{");
        while (!Eat("}"))
        {
            if (Peek.Kind == TokenKind.Eof) throw Expected("`}`");
            var start = Peek;
            var gate = ParseGate();
            var docs = start.Docs ?? Peek.Docs;
            AstNode item;
            if (Peek.IsKeyword("use")) item = ParseUse();
            else if (TryParseTypeDecl(out var decl)) item = decl!;
            else if (Peek.IsKeyword("import") || Peek.IsKeyword("export")) item = ParseExtern();
            else if (Peek.IsKeyword("include"))
            {
                var kw = Next();
                var include = new AstInclude { Pos = kw.Pos, Path = ParseUsePath() };
                if (EatKeyword("with"))
                {
                    Expect("{");
                    do
                    {
                        if (Peek.IsSymbol("}") && include.With.Count > 0) break;
                        var pos = Peek.Pos;
                        var name = new AstUseName { Pos = pos, Name = ExpectId("a name") };
                        ExpectKeyword("as");
                        name.As = ExpectId();
                        include.With.Add(name);
                    }
                    while (Eat(","));
                    Expect("}");
                    Eat(";");
                }
                else Expect(";");
                item = include;
            }
            else throw Expected("`import`, `export`, `include`, `use` or a type in the world");
            item.Docs = docs;
            item.Gate = gate;
            world.Items.Add(item);
        }
    }

    private static bool Adjacent(Token a, Token b) =>
        a.Pos.Line == b.Pos.Line && a.Pos.Column + a.Text.Length + (a.Escaped ? 1 : 0) == b.Pos.Column;

    private AstExtern ParseExtern()
    {
        var kw = Next();
        var ext = new AstExtern { IsExport = kw.Text == "export", Pos = kw.Pos };
        // `import a:b/c;` is a path; `import name: ...` (func, interface, or a use-path) has a plain name.
        // As in the spec, `a:b` written without spaces is a package name (so `import a:b;` is an error), `a: b` a plain name.
        bool named = Peek.Kind == TokenKind.Id && PeekAt(1).IsSymbol(":") && !PeekAt(3).IsSymbol("/") &&
            !(Adjacent(Peek, PeekAt(1)) && Adjacent(PeekAt(1), PeekAt(2)) && PeekAt(2).Kind == TokenKind.Id &&
              !PeekAt(2).IsKeyword("func") && !PeekAt(2).IsKeyword("async") && !PeekAt(2).IsKeyword("interface"));
        if (!named)
        {
            ext.Kind = AstExternKind.Path;
            ext.Path = ParseUsePath();
            Expect(";");
            return ext;
        }
        var nameToken = Peek;
        ext.Name = ExpectId();
        ext.NamePos = nameToken.Pos;
        Expect(":");
        if (!Peek.IsKeyword("interface") && !Peek.IsKeyword("func") && !Peek.IsKeyword("async"))
        {
            ext.Kind = AstExternKind.Path;
            ext.Path = ParseUsePath();
            Expect(";");
            return ext;
        }
        if (Peek.IsKeyword("interface"))
        {
            var ikw = Next();
            ext.Kind = AstExternKind.Interface;
            ext.Interface = new AstInterface { Name = null, File = _file, Pos = ikw.Pos };
            ParseInterfaceBody(ext.Interface);
            Eat(";");
        }
        else
        {
            ext.Kind = AstExternKind.Function;
            ext.Func = new AstFunc { Name = ext.Name, Kind = WitFunctionKind.Freestanding, Pos = nameToken.Pos };
            ParseFuncType(ext.Func);
            Expect(";");
        }
        return ext;
    }
}
