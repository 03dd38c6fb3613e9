using System.Runtime.CompilerServices;
using Sharptime.Text;

namespace Sharptime.ComponentModel.Text;

/// <summary>
/// Parses the component text format and encodes it to the component binary format in one pass: index spaces are
/// built incrementally, as the component model defines them, so identifiers are bound when their definition is met.
/// Abbreviations (inline exports and imports, inline aliases such as <c>(core func $i "f")</c>, inline types and
/// inline instances) are expanded into the definitions they stand for, emitted before the item that uses them.
/// </summary>
internal sealed partial class ComponentEncoder : TokenParser
{
    /// <summary>Bound on nesting of components, types and inline definitions; deeper input is malformed.</summary>
    private const int MaxDepth = 100;

    private int _depth;
    private ComponentScope _scope = null!;

    private ComponentEncoder(string src, string? file, List<Token> tokens, List<byte[]> strings, int start)
        : base(src, file, tokens, strings, start)
    {
    }

    public static byte[] EncodeText(string text, string? fileName)
    {
        var lex = Lexer.Tokenize(text, fileName);
        var enc = new ComponentEncoder(text, fileName, lex.Tokens, lex.Strings, 0);
        byte[] bytes;
        if (enc.Peek().Kind == TokenKind.LParen && enc.IsKeyword(enc.Peek(1), "component"))
        {
            enc._p += 2;
            string? name = enc.OptionalId();
            bytes = enc.Component(name, null);
            enc.ExpectRParen();
        }
        else bytes = enc.Component(null, null);
        if (enc.Peek().Kind != TokenKind.Eof) throw enc.Unexpected(enc.Peek());
        return bytes;
    }

    /// <summary>Encodes the component whose fields start at token <paramref name="start"/>, up to its closing parenthesis.</summary>
    public static byte[] EncodeTokens(string src, string? fileName, Lexer lexer, int start, string? name)
    {
        var enc = new ComponentEncoder(src, fileName, lexer.Tokens, lexer.Strings, start);
        var bytes = enc.Component(name, null);
        if (enc.Peek().Kind != TokenKind.RParen) throw enc.Unexpected(enc.Peek());
        return bytes;
    }

    // ----------------------------------------------------------------------------------------------
    // Token helpers

    private MalformedModuleException Unexpected(Token t) => t.Kind switch
    {
        TokenKind.Eof => Error(t, "unexpected end of input"),
        _ => Error(t, $"unexpected token '{Clip(Text(t))}'"),
    };

    private static string Clip(ReadOnlySpan<char> s) => s.Length > 40 ? string.Concat(s[..40], "...") : s.ToString();

    private bool At(string kw) => Peek().Kind == TokenKind.LParen && IsKeyword(Peek(1), kw);

    private bool AtCore(string kw) => Peek().Kind == TokenKind.LParen && IsKeyword(Peek(1), "core") && IsKeyword(Peek(2), kw);

    private void ExpectLParen()
    {
        var t = Next();
        if (t.Kind != TokenKind.LParen) throw Unexpected(t);
    }

    private void ExpectRParen()
    {
        var t = Next();
        if (t.Kind != TokenKind.RParen) throw Unexpected(t);
    }

    private void ExpectKeyword(string kw)
    {
        var t = Next();
        if (!IsKeyword(t, kw)) throw Unexpected(t);
    }

    private bool TryKeyword(string kw)
    {
        if (!IsKeyword(Peek(), kw)) return false;
        Next();
        return true;
    }

    private string? OptionalId()
    {
        var t = Peek();
        if (t.Kind != TokenKind.Id) return null;
        Next();
        return _src.Substring(t.Start + 1, t.Length - 1);
    }

    private byte[] StringBytes()
    {
        var t = Next();
        if (t.Kind != TokenKind.String) throw Unexpected(t);
        return _strings[t.StringIndex];
    }

    /// <summary>A name: a string that must be UTF-8.</summary>
    private byte[] Name()
    {
        var t = Peek();
        var bytes = StringBytes();
        if (!System.Text.Unicode.Utf8.IsValid(bytes)) throw Error(t, "malformed UTF-8 encoding");
        return bytes;
    }

    private uint U32() => U32(Next());

    /// <summary>A u32 from a token already consumed (the cursor never steps back: at the end of input it does not move).</summary>
    private uint U32(Token t)
    {
        if (t.Kind != TokenKind.Atom) throw Unexpected(t);
        var st = NumberParser.ParseInt(Text(t), 32, out ulong v);
        if (st == NumberStatus.Malformed || Text(t).StartsWith("-") || Text(t).StartsWith("+")) throw Unexpected(t);
        if (st == NumberStatus.OutOfRange) throw Error(t, "constant out of range");
        return (uint)v;
    }

    /// <summary>Skips to just past the parenthesis closing the group opened before the current token.</summary>
    private void SkipGroup()
    {
        int depth = 1;
        while (true)
        {
            var t = Next();
            if (t.Kind == TokenKind.LParen) depth++;
            else if (t.Kind == TokenKind.RParen && --depth == 0) return;
            else if (t.Kind == TokenKind.Eof) throw Unexpected(t);
        }
    }

    /// <summary>Annotations such as <c>(@producers ...)</c> are ignored.</summary>
    private bool SkipAnnotation()
    {
        if (Peek().Kind != TokenKind.LParen || Peek(1).Kind is not (TokenKind.Atom or TokenKind.Keyword)) return false;
        if (!Text(Peek(1)).StartsWith("@")) return false;
        Next();
        Next();
        SkipGroup();
        return true;
    }

    private void Enter()
    {
        if (++_depth > MaxDepth || !RuntimeHelpers.TryEnsureSufficientExecutionStack())
            throw Error(Peek(), "nesting too deep");
    }

    private void Leave() => _depth--;

    // ----------------------------------------------------------------------------------------------
    // Index references

    /// <summary>Binds a new entry of <paramref name="sort"/> in the current scope.</summary>
    private uint Define(Sort sort, string? id, Token at) => Define(_scope, sort, id, at);

    private uint Define(ComponentScope scope, Sort sort, string? id, Token at) =>
        scope.Define(sort, id) ?? throw Error(at, $"duplicate {sort.Word()} identifier ${id}");

    /// <summary>
    /// An index: a number, or an identifier bound in <paramref name="sort"/> of the scope. A type identifier of an
    /// enclosing scope stands for an outer alias of it, inserted at each use (as the reference tools do).
    /// </summary>
    private uint Index(Sort sort, ComponentScope? scope = null)
    {
        bool current = scope is null;
        scope ??= _scope;
        var t = Next();
        if (t.Kind == TokenKind.Id)
        {
            string id = _src.Substring(t.Start + 1, t.Length - 1);
            if (scope.TryResolve(sort, id, out uint i)) return i;
            if (current && sort is Sort.Type or Sort.CoreType or Sort.CoreModule or Sort.Component
                && (scope.Kind != ScopeKind.ModuleType || sort == Sort.CoreType))
            {
                uint count = 1;
                for (var outer = scope.Parent; outer is not null; outer = outer.Parent, count++)
                {
                    if (!outer.TryResolve(sort, id, out uint outerIndex)) continue;
                    var b = new ByteBuffer();
                    if (scope.Kind == ScopeKind.ModuleType)
                    {
                        b.Byte(sort.CoreByte());
                        b.Byte(0x01);
                    }
                    else
                    {
                        sort.Write(b);
                        b.Byte(0x02);
                    }
                    b.U32(count);
                    b.U32(outerIndex);
                    if (scope.Kind == ScopeKind.ModuleType) scope.Decl(0x02, b.Span);
                    else EmitAlias(b);
                    return Define(sort, null, t);
                }
            }
            throw Error(t, $"unknown {sort.Word()} ${id}");
        }
        return U32(t);
    }

    private bool AtIndex() => Peek().Kind == TokenKind.Id || Peek().Kind == TokenKind.Atom;

    /// <summary>Reads a sort keyword (after <c>(</c>): <c>core func</c>, <c>func</c>, <c>type</c>, ...</summary>
    private Sort SortKeyword(bool coreImplied)
    {
        var t = Next();
        bool core = coreImplied;
        if (IsKeyword(t, "core"))
        {
            core = true;
            t = Next();
        }
        if (t.Kind != TokenKind.Keyword) throw Unexpected(t);
        var kw = Text(t);
        if (core)
        {
            return kw switch
            {
                "func" => Sort.CoreFunc,
                "table" => Sort.CoreTable,
                "memory" => Sort.CoreMemory,
                "global" => Sort.CoreGlobal,
                "tag" => Sort.CoreTag,
                "type" => Sort.CoreType,
                "module" => Sort.CoreModule,
                "instance" => Sort.CoreInstance,
                _ => throw Unexpected(t),
            };
        }
        return kw switch
        {
            "func" => Sort.Func,
            "value" => Sort.Value,
            "type" => Sort.Type,
            "component" => Sort.Component,
            "instance" => Sort.Instance,
            _ => throw Unexpected(t),
        };
    }

    /// <summary>
    /// A parenthesised reference <c>(sort idx)</c>, or the inline alias <c>(sort $inst "name" ...)</c>, which is
    /// expanded into export aliases emitted first. With <paramref name="expected"/>, the sort must be that one.
    /// </summary>
    private (Sort Sort, uint Index) SortRef(bool coreImplied, Sort? expected = null)
    {
        var open = Peek();
        ExpectLParen();
        var sortTok = Peek();
        var sort = SortKeyword(coreImplied);
        if (expected is Sort e && e != sort) throw Unexpected(sortTok);
        uint index = InlineAliasOrIndex(sort, open);
        ExpectRParen();
        return (sort, index);
    }

    /// <summary>After a sort keyword: <c>idx</c>, or <c>$inst "name"+</c> (an export alias of an instance).</summary>
    private uint InlineAliasOrIndex(Sort sort, Token at)
    {
        if (Peek(1).Kind != TokenKind.String || !AtIndex()) return Index(sort);
        // (sort $i "a" "b"): alias "a" of $i as an instance, then "b" of that, as sort. Core modules are
        // exported by component instances; other core sorts by core instances.
        bool core = FromCoreInstance(sort);
        uint inst = Index(core ? Sort.CoreInstance : Sort.Instance);
        while (true)
        {
            var name = Name();
            bool last = Peek().Kind != TokenKind.String;
            var target = last ? sort : (core ? Sort.CoreInstance : Sort.Instance);
            if (!last && core) throw Unexpected(Peek()); // core instances do not export instances
            inst = EmitExportAlias(target, core, inst, name, null, at);
            if (last) return inst;
        }
    }

    private static bool FromCoreInstance(Sort s) => s.IsCore() && s != Sort.CoreModule;

    /// <summary>Emits <c>(alias export/core export inst "name" (sort $id?))</c> and returns the new index.</summary>
    private uint EmitExportAlias(Sort sort, bool coreInstance, uint instance, byte[] name, string? id, Token at)
    {
        var b = new ByteBuffer();
        sort.Write(b);
        b.Byte(coreInstance ? (byte)0x01 : (byte)0x00);
        b.U32(instance);
        b.Vec(name);
        EmitAlias(b);
        return Define(sort, id, at);
    }

    private void EmitAlias(ByteBuffer alias)
    {
        if (_scope.Kind == ScopeKind.Component) _scope.Item(6, alias.Span);
        else _scope.Decl(0x02, alias.Span);
    }

    private uint EmitType(ByteBuffer type, string? id, Token at)
    {
        if (_scope.Kind == ScopeKind.Component) _scope.Item(7, type.Span);
        else _scope.Decl(0x01, type.Span);
        return Define(Sort.Type, id, at);
    }

    private uint EmitCoreType(ByteBuffer type, string? id, Token at)
    {
        if (_scope.Kind == ScopeKind.Component) _scope.Item(3, type.Span);
        else if (_scope.Kind == ScopeKind.ModuleType) _scope.Decl(0x01, type.Span);
        else _scope.Decl(0x00, type.Span);
        return Define(Sort.CoreType, id, at);
    }

    // ----------------------------------------------------------------------------------------------
    // Components

    /// <summary>Encodes component fields up to (not including) the closing parenthesis.</summary>
    private byte[] Component(string? name, ComponentScope? parent)
    {
        Enter();
        var saved = _scope;
        _scope = new ComponentScope(ScopeKind.Component, name, parent);
        try
        {
            while (Peek().Kind == TokenKind.LParen) Field();
            if (Peek().Kind != TokenKind.RParen && Peek().Kind != TokenKind.Eof) throw Unexpected(Peek());
            foreach (var (item, sort) in _scope.DeferredExports)
            {
                _scope.Item(11, item);
                _scope.Define(sort, null);
            }
            return _scope.FinishComponent();
        }
        finally
        {
            _scope = saved;
            Leave();
        }
    }

    private void Field()
    {
        if (SkipAnnotation()) return;
        var open = Next();
        var kw = Next();
        if (kw.Kind != TokenKind.Keyword) throw Unexpected(kw);
        switch (Text(kw))
        {
            case "core":
            {
                var what = Next();
                switch (Text(what))
                {
                    case "module" when what.Kind == TokenKind.Keyword: CoreModule(open); return;
                    case "instance" when what.Kind == TokenKind.Keyword: CoreInstance(open); return;
                    case "type" when what.Kind == TokenKind.Keyword: CoreTypeField(open); return;
                    case "func" when what.Kind == TokenKind.Keyword: CoreFunc(open); return;
                    default:
                        if (what.Kind == TokenKind.Keyword && Text(what) is "table" or "memory" or "global" or "tag")
                        {
                            CoreAliasAbbrev(open, SortFromCore(Text(what)));
                            return;
                        }
                        throw Unexpected(what);
                }
            }
            case "component": NestedComponent(open); return;
            case "instance": Instance(open); return;
            case "alias": Alias(open); return;
            case "type": TypeField(open); return;
            case "canon": Canon(open); return;
            case "start": Start(); return;
            case "import": Import(open); return;
            case "export": Export(open); return;
            case "func": Func(open); return;
            default: throw Unexpected(kw);
        }
    }

    private static Sort SortFromCore(ReadOnlySpan<char> kw) => kw switch
    {
        "table" => Sort.CoreTable,
        "memory" => Sort.CoreMemory,
        "global" => Sort.CoreGlobal,
        _ => Sort.CoreTag,
    };

    /// <summary><c>(core module $id? field*)</c>: encoded by the core text encoder.</summary>
    private void CoreModule(Token open)
    {
        string? id = OptionalId();
        var exports = InlineExports();
        byte[] module;
        if (TryKeyword("binary"))
        {
            var bytes = new List<byte>();
            while (Peek().Kind == TokenKind.String) bytes.AddRange(StringBytes());
            module = bytes.ToArray();
        }
        else
        {
            // Find the module's end first: the core encoder stops at it, but does not say where that is.
            int start = _p;
            SkipGroup();
            int close = _p - 1;
            module = WatEncoder.EncodeTokens(_src, _file, _t, _strings, start, id);
            _p = close;
        }
        ExpectRParen();
        _scope.Item(1, module);
        EmitInlineExports(exports, Sort.CoreModule, Define(Sort.CoreModule, id, open));
    }

    /// <summary>An inline import of a component or instance, whose type body opens its own scope.</summary>
    private void InlineImportWithScope(Sort sort, Token open)
    {
        var name = ImportName();
        var desc = new ByteBuffer();
        Enter();
        try
        {
            ExternTypeBody(sort, desc, open);
        }
        finally
        {
            Leave();
        }
        EmitImport(name, desc);
    }

    private void NestedComponent(Token open)
    {
        string? id = OptionalId();
        var exports = InlineExports();
        if (AtInlineImport())
        {
            InlineImportWithScope(Sort.Component, open);
            EmitInlineExports(exports, Sort.Component, Define(Sort.Component, id, open));
            return;
        }
        var bytes = Component(id, _scope);
        ExpectRParen();
        _scope.Item(4, bytes);
        EmitInlineExports(exports, Sort.Component, Define(Sort.Component, id, open));
    }

    // ----------------------------------------------------------------------------------------------
    // Inline exports and imports

    /// <summary>Reads <c>(export "name" attrs*)*</c> written on a definition.</summary>
    private List<ByteBuffer>? InlineExports()
    {
        List<ByteBuffer>? list = null;
        while (At("export") && Peek(2).Kind == TokenKind.String && Peek(AfterAttributes(3)).Kind == TokenKind.RParen)
        {
            Next();
            Next();
            var b = new ByteBuffer();
            ExternName(b);
            ExpectRParen();
            (list ??= []).Add(b);
        }
        return list;
    }

    /// <summary>The lookahead position past name attributes such as <c>(implements "...")</c> starting at <paramref name="k"/>.</summary>
    private int AfterAttributes(int k)
    {
        while (Peek(k).Kind == TokenKind.LParen && Peek(k + 1).Kind == TokenKind.Keyword
               && Text(Peek(k + 1)) is "implements" or "versionsuffix" or "external-id"
               && Peek(k + 2).Kind == TokenKind.String && Peek(k + 3).Kind == TokenKind.RParen)
            k += 4;
        return k;
    }

    /// <summary>
    /// Queues the exports written on a definition. They are emitted at the end of the component, after every
    /// field, which is where the reference tools put them; so they do not shift the indices of later definitions.
    /// </summary>
    private void EmitInlineExports(List<ByteBuffer>? exports, Sort sort, uint index)
    {
        if (exports is null) return;
        foreach (var name in exports)
        {
            var b = new ByteBuffer();
            b.Bytes(name.Span);
            sort.Write(b);
            b.U32(index);
            b.Byte(0x00);
            _scope.DeferredExports.Add((b.ToArray(), sort));
        }
    }

    /// <summary>
    /// An import or export name with its attributes: <c>"name"</c> then optional <c>(implements "...")</c>,
    /// <c>(versionsuffix "...")</c>, <c>(external-id "...")</c>; written as <c>nameattributes</c>.
    /// </summary>
    private void ExternName(ByteBuffer b)
    {
        var name = Name();
        var attrs = new ByteBuffer();
        uint count = 0;
        int seen = 0; // at most one of each attribute
        while (Peek().Kind == TokenKind.LParen && Peek(1).Kind == TokenKind.Keyword && Text(Peek(1)) is "implements" or "versionsuffix" or "external-id")
        {
            Next();
            var kwTok = Next();
            var kw = Text(kwTok);
            byte tag = kw switch { "implements" => 0x00, "versionsuffix" => 0x01, _ => 0x02 };
            if ((seen & (1 << tag)) != 0) throw Unexpected(kwTok);
            seen |= 1 << tag;
            attrs.Byte(tag);
            attrs.Vec(Name());
            ExpectRParen();
            count++;
        }
        if (count == 0)
        {
            b.Byte(0x00);
            b.Vec(name);
            return;
        }
        b.Byte(0x02);
        b.Vec(name);
        b.U32(count);
        b.Bytes(attrs.Span);
    }

    /// <summary>
    /// True at <c>(import "name" attrs*)</c> written on a definition, as opposed to an import field of a nested
    /// component, which goes on with an extern type.
    /// </summary>
    private bool AtInlineImport() =>
        At("import") && Peek(2).Kind == TokenKind.String && Peek(AfterAttributes(3)).Kind == TokenKind.RParen;

    /// <summary>True when the group opened at the current token has a direct child <c>(kw ...)</c>.</summary>
    private bool GroupHasChild(string kw)
    {
        int depth = 0;
        for (int i = _p; i < _t.Count; i++)
        {
            var t = _t[i];
            if (t.Kind == TokenKind.LParen)
            {
                depth++;
                if (depth == 2 && i + 1 < _t.Count && IsKeyword(_t[i + 1], kw)) return true;
            }
            else if (t.Kind == TokenKind.RParen && --depth <= 0) return false;
            else if (t.Kind == TokenKind.Eof) return false;
        }
        return false;
    }

    /// <summary><c>(import "name" attrs*)</c> written on a definition; returns the encoded name.</summary>
    private ByteBuffer ImportName()
    {
        ExpectLParen();
        ExpectKeyword("import");
        var b = new ByteBuffer();
        ExternName(b);
        ExpectRParen();
        return b;
    }

    private void EmitImport(ByteBuffer name, ByteBuffer desc)
    {
        var b = new ByteBuffer();
        b.Bytes(name.Span);
        b.Bytes(desc.Span);
        if (_scope.Kind == ScopeKind.Component) _scope.Item(10, b.Span);
        else _scope.Decl(0x03, b.Span);
    }

    private void Import(Token open)
    {
        var name = new ByteBuffer();
        ExternName(name);
        var desc = new ByteBuffer();
        var (sort, id) = ExternType(desc);
        EmitImport(name, desc);
        Define(sort, id, open);
        ExpectRParen();
    }

    /// <summary><c>(export $id? "name" sortref externtype?)</c>; the export is a new entry of its sort.</summary>
    private void Export(Token open)
    {
        string? id = OptionalId();
        var b = new ByteBuffer();
        ExternName(b);
        var (sort, index) = SortRef(coreImplied: false);
        sort.Write(b);
        b.U32(index);
        if (Peek().Kind == TokenKind.LParen)
        {
            b.Byte(0x01);
            var (descSort, descId) = ExternType(b);
            if (descSort != sort) throw Error(open, "export type does not match the exported sort");
            if (descId is not null) throw Error(open, "unexpected identifier in export type");
        }
        else b.Byte(0x00);
        ExpectRParen();
        _scope.Item(11, b.Span);
        Define(sort, id, open);
    }

    // ----------------------------------------------------------------------------------------------
    // Instances

    private void Instance(Token open)
    {
        string? id = OptionalId();
        var exports = InlineExports();
        if (AtInlineImport())
        {
            InlineImportWithScope(Sort.Instance, open);
        }
        else
        {
            var b = new ByteBuffer();
            if (At("instantiate"))
            {
                Next();
                Next();
                b.Byte(0x00);
                b.U32(Peek().Kind == TokenKind.LParen ? SortRef(coreImplied: false, Sort.Component).Index : Index(Sort.Component));
                var args = new ByteBuffer();
                uint n = 0;
                while (At("with"))
                {
                    Next();
                    Next();
                    args.Vec(Name());
                    var (sort, index) = InstantiateArg(core: false);
                    sort.Write(args);
                    args.U32(index);
                    ExpectRParen();
                    n++;
                }
                ExpectRParen();
                b.U32(n);
                b.Bytes(args.Span);
            }
            else BundleOfExports(b, core: false);
            ExpectRParen();
            _scope.Item(5, b.Span);
        }
        EmitInlineExports(exports, Sort.Instance, Define(Sort.Instance, id, open));
    }

    /// <summary>
    /// A <c>with</c> argument: a sort reference, or an inline instance <c>(instance (export ...)*)</c> which is
    /// emitted first as an instance of its own.
    /// </summary>
    private (Sort, uint) InstantiateArg(bool core)
    {
        if (Peek().Kind == TokenKind.LParen && IsKeyword(Peek(1), "instance") && !(Peek(2).Kind is TokenKind.Id or TokenKind.Atom))
        {
            var open = Next();
            Next();
            Enter();
            try
            {
                var b = new ByteBuffer();
                BundleOfExports(b, core);
                ExpectRParen();
                _scope.Item(core ? (byte)2 : (byte)5, b.Span);
                var sort = core ? Sort.CoreInstance : Sort.Instance;
                return (sort, Define(sort, null, open));
            }
            finally
            {
                Leave();
            }
        }
        if (core)
        {
            var r = SortRef(coreImplied: true, Sort.CoreInstance);
            return r;
        }
        return SortRef(coreImplied: false);
    }

    /// <summary><c>(export "name" sortref)*</c>: an instance made of existing definitions (tag 0x01).</summary>
    private void BundleOfExports(ByteBuffer b, bool core)
    {
        b.Byte(0x01);
        var items = new ByteBuffer();
        uint n = 0;
        while (At("export"))
        {
            Next();
            Next();
            if (core) items.Vec(Name());
            else ExternName(items);
            var (sort, index) = SortRef(coreImplied: core);
            if (core) items.Byte(sort.CoreByte());
            else sort.Write(items);
            items.U32(index);
            ExpectRParen();
            n++;
        }
        b.U32(n);
        b.Bytes(items.Span);
    }

    private void CoreInstance(Token open)
    {
        string? id = OptionalId();
        var b = new ByteBuffer();
        if (At("instantiate"))
        {
            Next();
            Next();
            b.Byte(0x00);
            b.U32(Peek().Kind == TokenKind.LParen ? SortRef(coreImplied: true, Sort.CoreModule).Index : Index(Sort.CoreModule));
            var args = new ByteBuffer();
            uint n = 0;
            while (At("with"))
            {
                Next();
                Next();
                args.Vec(Name());
                var (_, index) = InstantiateArg(core: true);
                args.Byte(0x12);
                args.U32(index);
                ExpectRParen();
                n++;
            }
            ExpectRParen();
            b.U32(n);
            b.Bytes(args.Span);
        }
        else BundleOfExports(b, core: true);
        ExpectRParen();
        _scope.Item(2, b.Span);
        Define(Sort.CoreInstance, id, open);
    }

    // ----------------------------------------------------------------------------------------------
    // Aliases

    /// <summary><c>(alias export $i "n" (sort $id?))</c>, <c>(alias core export ...)</c>, <c>(alias outer $c $x (sort $id?))</c>.</summary>
    private void Alias(Token open)
    {
        ParseAliasTarget(out bool outer, out bool coreExport, out uint outerCount, out uint index, out byte[]? name, out var outerScope);
        ExpectLParen();
        var sortTok = Peek();
        var sort = SortKeyword(coreImplied: _scope.Kind == ScopeKind.ModuleType);
        string? id = OptionalId();
        ExpectRParen();
        ExpectRParen();
        WriteAlias(sort, outer, coreExport, outerCount, index, name, outerScope, id, sortTok);
    }

    /// <summary>The <c>(alias ...)</c> abbreviation written inside a definition: <c>(func $f (alias export $i "f"))</c>.</summary>
    private uint AliasAbbrev(Sort sort, string? id, Token at)
    {
        Next();
        Next();
        ParseAliasTarget(out bool outer, out bool coreExport, out uint outerCount, out uint index, out byte[]? name, out var outerScope);
        ExpectRParen();
        return WriteAlias(sort, outer, coreExport, outerCount, index, name, outerScope, id, at);
    }

    /// <summary>
    /// After <c>(alias</c>: <c>export $i "n"</c>, <c>core export $i "n"</c>, or <c>outer $scope idx</c>. For outer
    /// aliases the index is resolved once the sort is known, so <paramref name="index"/> is then its token position.
    /// </summary>
    private void ParseAliasTarget(out bool outer, out bool coreExport, out uint outerCount, out uint index, out byte[]? name, out ComponentScope? outerScope)
    {
        outer = false;
        coreExport = false;
        outerCount = 0;
        index = 0;
        name = null;
        outerScope = null;
        var kw = Next();
        if (IsKeyword(kw, "outer"))
        {
            outer = true;
            // The enclosing scope: by identifier, or counting outward from 0 (this one).
            var t = Peek();
            if (t.Kind == TokenKind.Id)
            {
                Next();
                string sid = _src.Substring(t.Start + 1, t.Length - 1);
                for (var s = _scope; s is not null; s = s.Parent, outerCount++)
                {
                    if (s.Name == sid)
                    {
                        outerScope = s;
                        break;
                    }
                }
                if (outerScope is null) throw Error(t, $"unknown component or type ${sid}");
            }
            else
            {
                outerCount = U32();
                outerScope = _scope;
                for (uint i = 0; i < outerCount && outerScope is not null; i++) outerScope = outerScope.Parent;
                // Too large a count is for the validator to reject; the index must then be numeric.
                outerScope ??= new ComponentScope(ScopeKind.Component, null, null);
            }
            // Resolved later, once the sort is known: remember where the index is.
            index = (uint)_p;
            Next();
            return;
        }
        if (IsKeyword(kw, "core"))
        {
            ExpectKeyword("export");
            coreExport = true;
            index = Index(Sort.CoreInstance);
        }
        else if (IsKeyword(kw, "export")) index = Index(Sort.Instance);
        else throw Unexpected(kw);
        name = Name();
    }

    private uint WriteAlias(Sort sort, bool outer, bool coreExport, uint outerCount, uint index, byte[]? name,
        ComponentScope? outerScope, string? id, Token at)
    {
        var b = new ByteBuffer();
        if (outer)
        {
            int save = _p;
            _p = (int)index;
            uint resolved = Index(sort, outerScope);
            _p = save;
            if (_scope.Kind == ScopeKind.ModuleType)
            {
                b.Byte(sort.CoreByte());
                b.Byte(0x01);
            }
            else
            {
                sort.Write(b);
                b.Byte(0x02);
            }
            b.U32(outerCount);
            b.U32(resolved);
        }
        else
        {
            sort.Write(b);
            b.Byte(coreExport ? (byte)0x01 : (byte)0x00);
            b.U32(index);
            b.Vec(name!);
        }
        if (_scope.Kind == ScopeKind.ModuleType) _scope.Decl(0x02, b.Span);
        else EmitAlias(b);
        return Define(sort, id, at);
    }

    /// <summary><c>(core table|memory|global|tag $id? (alias core export $i "n"))</c>.</summary>
    private void CoreAliasAbbrev(Token open, Sort sort)
    {
        string? id = OptionalId();
        if (!At("alias")) throw Unexpected(Peek());
        AliasAbbrev(sort, id, open);
        ExpectRParen();
    }

    // ----------------------------------------------------------------------------------------------
    // Functions and canonical definitions

    /// <summary>
    /// <c>(func $id? (export "n")* ...)</c>: an import, an alias, or a lift whose type is written inline before
    /// <c>(canon lift ...)</c> or inside it.
    /// </summary>
    private void Func(Token open)
    {
        string? id = OptionalId();
        var exports = InlineExports();
        uint index;
        if (AtInlineImport())
        {
            var name = ImportName();
            var desc = new ByteBuffer();
            ExternTypeBody(Sort.Func, desc, open);
            EmitImport(name, desc);
            index = Define(Sort.Func, id, open);
        }
        else if (At("alias"))
        {
            index = AliasAbbrev(Sort.Func, id, open);
            ExpectRParen();
        }
        else
        {
            uint? type = null;
            if (At("type") || At("param") || At("result") || IsKeyword(Peek(), "async")) type = FuncTypeUse(open);
            // No type at all stands for the empty function type.
            else if (!GroupHasChild("type")) type = FuncTypeUse(open);
            ExpectLParen();
            ExpectKeyword("canon");
            ExpectKeyword("lift");
            var b = new ByteBuffer();
            b.Byte(0x00);
            b.Byte(0x00);
            b.U32(CoreFuncRef());
            CanonOpts(b);
            if (At("type"))
            {
                if (type is not null) throw Unexpected(Peek());
                Next();
                Next();
                type = Index(Sort.Type);
                ExpectRParen();
            }
            ExpectRParen();
            ExpectRParen();
            if (type is null) throw Error(open, "canon lift needs a function type");
            b.U32(type.Value);
            _scope.Item(8, b.Span);
            index = Define(Sort.Func, id, open);
        }
        EmitInlineExports(exports, Sort.Func, index);
    }

    /// <summary>A type index, bare or written <c>(type idx)</c>.</summary>
    private uint TypeRef()
    {
        if (!At("type")) return Index(Sort.Type);
        return SortRef(coreImplied: false, Sort.Type).Index;
    }

    /// <summary>A core function: <c>(core func $f)</c>, <c>(core func $i "name")</c>, or a bare index.</summary>
    private uint CoreFuncRef()
    {
        if (Peek().Kind == TokenKind.LParen) return SortRef(coreImplied: false, Sort.CoreFunc).Index;
        return InlineAliasOrIndex(Sort.CoreFunc, Peek());
    }

    private uint CoreMemoryRef()
    {
        if (Peek().Kind == TokenKind.LParen) return SortRef(coreImplied: false, Sort.CoreMemory).Index;
        return InlineAliasOrIndex(Sort.CoreMemory, Peek());
    }

    private uint FuncRef()
    {
        if (Peek().Kind == TokenKind.LParen) return SortRef(coreImplied: false, Sort.Func).Index;
        return InlineAliasOrIndex(Sort.Func, Peek());
    }

    /// <summary>Canonical options up to the first token that is not one.</summary>
    private void CanonOpts(ByteBuffer into)
    {
        var b = new ByteBuffer();
        uint n = 0;
        while (true)
        {
            var t = Peek();
            if (t.Kind == TokenKind.Keyword)
            {
                var kw = Text(t);
                if (kw is "string-encoding=utf8") b.Byte(0x00);
                else if (kw is "string-encoding=utf16") b.Byte(0x01);
                else if (kw is "string-encoding=latin1+utf16") b.Byte(0x02);
                else if (kw is "async") b.Byte(0x06);
                else break;
                Next();
                n++;
                continue;
            }
            if (t.Kind != TokenKind.LParen || Peek(1).Kind != TokenKind.Keyword) break;
            var okw = Text(Peek(1));
            byte op = okw switch { "memory" => 0x03, "realloc" => 0x04, "post-return" => 0x05, "callback" => 0x07, _ => 0xFF };
            if (op == 0xFF) break;
            Next();
            Next();
            b.Byte(op);
            // Written bare ($m, $i "name") or as a reference in which "core" may be left out: (func $i "f").
            var sort = op == 0x03 ? Sort.CoreMemory : Sort.CoreFunc;
            b.U32(Peek().Kind == TokenKind.LParen ? SortRef(coreImplied: true, sort).Index : InlineAliasOrIndex(sort, Peek()));
            ExpectRParen();
            n++;
        }
        into.U32(n);
        into.Bytes(b.Span);
    }

    /// <summary><c>(core func $id? (canon ...))</c> or <c>(core func $id? (alias core export ...))</c>.</summary>
    private void CoreFunc(Token open)
    {
        string? id = OptionalId();
        if (At("alias"))
        {
            AliasAbbrev(Sort.CoreFunc, id, open);
            ExpectRParen();
            return;
        }
        ExpectLParen();
        ExpectKeyword("canon");
        var b = new ByteBuffer();
        var sort = CanonBody(b);
        if (sort != Sort.CoreFunc) throw Error(open, "canon lift defines a component function");
        ExpectRParen();
        ExpectRParen();
        _scope.Item(8, b.Span);
        Define(Sort.CoreFunc, id, open);
    }

    /// <summary><c>(canon op ... (sort $id?))</c>: the explicit form, naming what it defines at the end.</summary>
    private void Canon(Token open)
    {
        var b = new ByteBuffer();
        int bodyStart = _p;
        if (IsKeyword(Peek(), "lift") && !HasLiftType(bodyStart))
        {
            CanonLiftTypedByDefinition(open, bodyStart);
            return;
        }
        var sort = CanonBody(b);
        ExpectLParen();
        var sortTok = Peek();
        var defined = SortKeyword(coreImplied: false);
        if (defined != sort) throw Unexpected(sortTok);
        string? id = OptionalId();
        ExpectRParen();
        ExpectRParen();
        _scope.Item(8, b.Span);
        Define(sort, id, open);
    }

    /// <summary>
    /// <c>(canon lift corefunc opts (func $id? typeuse))</c>: the type is written last but defined first (as the
    /// reference tools do), before the aliases the options may introduce.
    /// </summary>
    private void CanonLiftTypedByDefinition(Token open, int bodyStart)
    {
        int last = LastChildGroup(bodyStart - 2);
        if (last < 0) throw Unexpected(_t[^1]);
        _p = last + 1;
        var sortTok = Peek();
        if (SortKeyword(coreImplied: false) != Sort.Func) throw Unexpected(sortTok);
        string? id = OptionalId();
        uint type = FuncTypeUse(sortTok);
        ExpectRParen();
        int end = _p;
        _p = bodyStart;
        var b = new ByteBuffer();
        CanonBody(b);
        if (_p != last) throw Unexpected(Peek());
        b.U32(type);
        _p = end;
        ExpectRParen();
        _scope.Item(8, b.Span);
        Define(Sort.Func, id, open);
    }

    /// <summary>The token index of the last <c>(</c> directly inside the group opened at <paramref name="open"/>, or -1.</summary>
    private int LastChildGroup(int open)
    {
        int depth = 0, last = -1;
        for (int i = open; i < _t.Count; i++)
        {
            var t = _t[i];
            if (t.Kind == TokenKind.LParen)
            {
                if (++depth == 2) last = i;
            }
            else if (t.Kind == TokenKind.RParen)
            {
                if (--depth == 0) return last;
            }
            else if (t.Kind == TokenKind.Eof) return -1;
        }
        return -1;
    }

    /// <summary>Whether the <c>canon lift</c> starting at token <paramref name="start"/> had a <c>(type idx)</c>.</summary>
    private bool HasLiftType(int start)
    {
        int save = _p;
        _p = start - 2; // "(canon lift": GroupHasChild scans from the opening parenthesis
        bool has = GroupHasChild("type");
        _p = save;
        return has;
    }

    /// <summary>The operation and its immediates, after <c>canon</c>; returns the sort of what it defines.</summary>
    private Sort CanonBody(ByteBuffer b)
    {
        var opTok = Next();
        if (opTok.Kind != TokenKind.Keyword) throw Unexpected(opTok);
        switch (Text(opTok))
        {
            case "lift":
                b.Byte(0x00);
                b.Byte(0x00);
                b.U32(CoreFuncRef());
                CanonOpts(b);
                // The type is (type idx) here, or else given by the (func $id? typeuse) naming the definition.
                if (At("type")) b.U32(TypeRef());
                return Sort.Func;
            case "lower":
                b.Byte(0x01);
                b.Byte(0x00);
                b.U32(FuncRef());
                CanonOpts(b);
                return Sort.CoreFunc;
            case "resource.new": b.Byte(0x02); b.U32(TypeRef()); break;
            case "resource.drop":
                b.Byte(0x03);
                b.U32(TypeRef());
                if (TryKeyword("async")) throw Unexpected(opTok); // resource.drop async was removed
                break;
            case "resource.rep": b.Byte(0x04); b.U32(TypeRef()); break;
            case "backpressure.inc": b.Byte(0x24); break;
            case "backpressure.dec": b.Byte(0x25); break;
            case "task.return":
            {
                b.Byte(0x09);
                if (At("result"))
                {
                    Next();
                    Next();
                    b.Byte(0x00);
                    ValType(b);
                    ExpectRParen();
                }
                else
                {
                    b.Byte(0x01);
                    b.Byte(0x00);
                }
                CanonOpts(b);
                break;
            }
            case "task.cancel": b.Byte(0x05); break;
            case "context.get":
            case "context.set":
            {
                b.Byte(Text(opTok) is "context.get" ? (byte)0x0a : (byte)0x0b);
                var t = Next();
                if (IsKeyword(t, "i32")) b.Byte(0x7f);
                else if (IsKeyword(t, "i64")) b.Byte(0x7e);
                else throw Unexpected(t);
                b.U32(U32());
                break;
            }
            case "subtask.cancel": b.Byte(0x06); b.Byte(TryKeyword("async") ? (byte)1 : (byte)0); break;
            case "subtask.drop": b.Byte(0x0d); break;
            case "stream.new": b.Byte(0x0e); b.U32(TypeRef()); break;
            case "stream.read": b.Byte(0x0f); b.U32(TypeRef()); CanonOpts(b); break;
            case "stream.write": b.Byte(0x10); b.U32(TypeRef()); CanonOpts(b); break;
            case "stream.cancel-read": b.Byte(0x11); b.U32(TypeRef()); b.Byte(TryKeyword("async") ? (byte)1 : (byte)0); break;
            case "stream.cancel-write": b.Byte(0x12); b.U32(TypeRef()); b.Byte(TryKeyword("async") ? (byte)1 : (byte)0); break;
            case "stream.drop-readable": b.Byte(0x13); b.U32(TypeRef()); break;
            case "stream.drop-writable": b.Byte(0x14); b.U32(TypeRef()); break;
            case "future.new": b.Byte(0x15); b.U32(TypeRef()); break;
            case "future.read": b.Byte(0x16); b.U32(TypeRef()); CanonOpts(b); break;
            case "future.write": b.Byte(0x17); b.U32(TypeRef()); CanonOpts(b); break;
            case "future.cancel-read": b.Byte(0x18); b.U32(TypeRef()); b.Byte(TryKeyword("async") ? (byte)1 : (byte)0); break;
            case "future.cancel-write": b.Byte(0x19); b.U32(TypeRef()); b.Byte(TryKeyword("async") ? (byte)1 : (byte)0); break;
            case "future.drop-readable": b.Byte(0x1a); b.U32(TypeRef()); break;
            case "future.drop-writable": b.Byte(0x1b); b.U32(TypeRef()); break;
            case "error-context.new": b.Byte(0x1c); CanonOpts(b); break;
            case "error-context.debug-message": b.Byte(0x1d); CanonOpts(b); break;
            case "error-context.drop": b.Byte(0x1e); break;
            case "waitable-set.new": b.Byte(0x1f); break;
            case "waitable-set.wait":
            case "waitable-set.poll":
                b.Byte(Text(opTok) is "waitable-set.wait" ? (byte)0x20 : (byte)0x21);
                b.Byte(TryKeyword("cancellable") ? (byte)1 : (byte)0);
                ExpectLParen();
                ExpectKeyword("memory");
                b.U32(CoreMemoryRef());
                ExpectRParen();
                break;
            case "waitable-set.drop": b.Byte(0x22); break;
            case "waitable.join": b.Byte(0x23); break;
            case "thread.index": b.Byte(0x26); break;
            case "thread.new-indirect":
                b.Byte(0x27);
                b.U32(Peek().Kind == TokenKind.LParen ? SortRef(coreImplied: false, Sort.CoreType).Index : Index(Sort.CoreType));
                if (Peek().Kind == TokenKind.LParen) b.U32(SortRef(coreImplied: false, Sort.CoreTable).Index);
                else b.U32(Index(Sort.CoreTable));
                break;
            case "thread.resume-later": b.Byte(0x28); break;
            case "thread.suspend": b.Byte(0x29); b.Byte(TryKeyword("cancellable") ? (byte)1 : (byte)0); break;
            case "thread.yield": b.Byte(0x0c); b.Byte(TryKeyword("cancellable") ? (byte)1 : (byte)0); break;
            case "thread.suspend-then-resume": b.Byte(0x2a); b.Byte(TryKeyword("cancellable") ? (byte)1 : (byte)0); break;
            case "thread.yield-then-resume": b.Byte(0x2b); b.Byte(TryKeyword("cancellable") ? (byte)1 : (byte)0); break;
            case "thread.suspend-then-promote": b.Byte(0x2c); b.Byte(TryKeyword("cancellable") ? (byte)1 : (byte)0); break;
            case "thread.yield-then-promote": b.Byte(0x2d); b.Byte(TryKeyword("cancellable") ? (byte)1 : (byte)0); break;
            default:
                throw Error(opTok, $"unknown canonical definition '{Clip(Text(opTok))}'");
        }
        return Sort.CoreFunc;
    }

    // ----------------------------------------------------------------------------------------------
    // Start

    /// <summary><c>(start $f (value $v)* (result (value $id?))*)</c>.</summary>
    private void Start()
    {
        var open = _t[_p - 2];
        var b = new ByteBuffer();
        b.U32(Index(Sort.Func));
        var args = new ByteBuffer();
        uint n = 0;
        while (At("value"))
        {
            Next();
            Next();
            args.U32(Index(Sort.Value));
            ExpectRParen();
            n++;
        }
        b.U32(n);
        b.Bytes(args.Span);
        var results = new List<string?>();
        while (At("result"))
        {
            Next();
            Next();
            ExpectLParen();
            ExpectKeyword("value");
            results.Add(OptionalId());
            ExpectRParen();
            ExpectRParen();
        }
        b.U32((uint)results.Count);
        ExpectRParen();
        _scope.Item(9, b.Span);
        foreach (var id in results) Define(Sort.Value, id, open);
    }
}
