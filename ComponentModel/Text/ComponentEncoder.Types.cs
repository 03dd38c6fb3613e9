using Sharptime.Text;

namespace Sharptime.ComponentModel.Text;

internal sealed partial class ComponentEncoder
{
    /// <summary>The primitive value types and their opcodes.</summary>
    private static byte PrimitiveOpcode(ReadOnlySpan<char> kw) => kw switch
    {
        "bool" => 0x7f,
        "s8" => 0x7e,
        "u8" => 0x7d,
        "s16" => 0x7c,
        "u16" => 0x7b,
        "s32" => 0x7a,
        "u32" => 0x79,
        "s64" => 0x78,
        "u64" => 0x77,
        "f32" or "float32" => 0x76,
        "f64" or "float64" => 0x75,
        "char" => 0x74,
        "string" => 0x73,
        "error-context" => 0x64,
        _ => 0,
    };

    /// <summary>
    /// A value type: a primitive, a type index (written as a non-negative SLEB, since primitives take the
    /// negative range), or an inline defined type, which becomes a type definition of its own first.
    /// </summary>
    private void ValType(ByteBuffer b)
    {
        var t = Peek();
        if (t.Kind == TokenKind.Keyword)
        {
            byte op = PrimitiveOpcode(Text(t));
            if (op == 0) throw Unexpected(t);
            Next();
            b.Byte(op);
            return;
        }
        if (t.Kind == TokenKind.LParen)
        {
            var def = new ByteBuffer();
            Enter();
            try
            {
                Next();
                DefValTypeCompound(def);
            }
            finally
            {
                Leave();
            }
            b.S64(EmitType(def, null, t));
            return;
        }
        b.S64(Index(Sort.Type));
    }

    /// <summary>A compound defined value type, after its <c>(</c>, through its <c>)</c>.</summary>
    private void DefValTypeCompound(ByteBuffer b)
    {
        var kw = Next();
        if (kw.Kind != TokenKind.Keyword) throw Unexpected(kw);
        switch (Text(kw))
        {
            case "record":
            {
                b.Byte(0x72);
                NamedValTypes(b, "field");
                break;
            }
            case "variant":
            {
                b.Byte(0x71);
                var cases = new ByteBuffer();
                uint n = 0;
                while (At("case"))
                {
                    Next();
                    Next();
                    OptionalId();
                    cases.Vec(Name());
                    if (Peek().Kind != TokenKind.RParen && !At("refines"))
                    {
                        cases.Byte(0x01);
                        ValType(cases);
                    }
                    else cases.Byte(0x00);
                    if (At("refines")) throw Error(Peek(1), "refines is no longer supported");
                    cases.Byte(0x00);
                    ExpectRParen();
                    n++;
                }
                b.U32(n);
                b.Bytes(cases.Span);
                break;
            }
            case "list":
            {
                var inner = new ByteBuffer();
                ValType(inner);
                if (Peek().Kind == TokenKind.Atom)
                {
                    b.Byte(0x67);
                    b.Bytes(inner.Span);
                    b.U32(U32());
                }
                else
                {
                    b.Byte(0x70);
                    b.Bytes(inner.Span);
                }
                break;
            }
            case "tuple":
            {
                b.Byte(0x6f);
                var items = new ByteBuffer();
                uint n = 0;
                while (Peek().Kind != TokenKind.RParen)
                {
                    ValType(items);
                    n++;
                }
                b.U32(n);
                b.Bytes(items.Span);
                break;
            }
            case "flags":
            case "enum":
            {
                b.Byte(Text(kw) is "flags" ? (byte)0x6e : (byte)0x6d);
                var names = new ByteBuffer();
                uint n = 0;
                while (Peek().Kind == TokenKind.String)
                {
                    names.Vec(Name());
                    n++;
                }
                b.U32(n);
                b.Bytes(names.Span);
                break;
            }
            case "option":
                b.Byte(0x6b);
                ValType(b);
                break;
            case "result":
            {
                b.Byte(0x6a);
                if (Peek().Kind != TokenKind.RParen && !At("error"))
                {
                    b.Byte(0x01);
                    ValType(b);
                }
                else b.Byte(0x00);
                if (At("error"))
                {
                    Next();
                    Next();
                    b.Byte(0x01);
                    ValType(b);
                    ExpectRParen();
                }
                else b.Byte(0x00);
                break;
            }
            case "own":
                b.Byte(0x69);
                b.U32(Index(Sort.Type));
                break;
            case "borrow":
                b.Byte(0x68);
                b.U32(Index(Sort.Type));
                break;
            case "stream":
            case "future":
                b.Byte(Text(kw) is "stream" ? (byte)0x66 : (byte)0x65);
                if (Peek().Kind != TokenKind.RParen)
                {
                    b.Byte(0x01);
                    ValType(b);
                }
                else b.Byte(0x00);
                break;
            case "map":
                b.Byte(0x63);
                ValType(b);
                ValType(b);
                break;
            default:
                throw Unexpected(kw);
        }
        ExpectRParen();
    }

    /// <summary><c>(type $id? (export "n")* deftype)</c>.</summary>
    private void TypeField(Token open)
    {
        string? id = OptionalId();
        var exports = InlineExports();
        if (At("alias"))
        {
            uint aliased = AliasAbbrev(Sort.Type, id, open);
            ExpectRParen();
            EmitInlineExports(exports, Sort.Type, aliased);
            return;
        }
        var b = new ByteBuffer();
        Enter();
        try
        {
            DefType(b, id);
        }
        finally
        {
            Leave();
        }
        ExpectRParen();
        uint index = EmitType(b, id, open);
        EmitInlineExports(exports, Sort.Type, index);
    }

    /// <summary>The body of a type definition: a value type, function, component, instance or resource type.</summary>
    private void DefType(ByteBuffer b, string? id)
    {
        var t = Peek();
        if (t.Kind == TokenKind.Keyword)
        {
            byte op = PrimitiveOpcode(Text(t));
            if (op == 0) throw Unexpected(t);
            Next();
            b.Byte(op);
            return;
        }
        if (t.Kind != TokenKind.LParen) throw Unexpected(t);
        var kw = Peek(1);
        switch (Text(kw))
        {
            case "func" when kw.Kind == TokenKind.Keyword:
                Next();
                Next();
                FuncType(b);
                ExpectRParen();
                return;
            case "component" when kw.Kind == TokenKind.Keyword:
                Next();
                Next();
                b.Byte(0x41);
                Decls(ScopeKind.ComponentType, id, b);
                ExpectRParen();
                return;
            case "instance" when kw.Kind == TokenKind.Keyword:
                Next();
                Next();
                b.Byte(0x42);
                Decls(ScopeKind.InstanceType, id, b);
                ExpectRParen();
                return;
            case "resource" when kw.Kind == TokenKind.Keyword:
            {
                Next();
                Next();
                ExpectLParen();
                ExpectKeyword("rep");
                var rep = Next();
                if (!IsKeyword(rep, "i32")) throw Unexpected(rep);
                ExpectRParen();
                b.Byte(0x3f);
                b.Byte(0x7f);
                if (At("dtor"))
                {
                    Next();
                    Next();
                    b.Byte(0x01);
                    b.U32(CoreFuncRef());
                    ExpectRParen();
                }
                else b.Byte(0x00);
                ExpectRParen();
                return;
            }
            default:
                Next();
                DefValTypeCompound(b);
                return;
        }
    }

    /// <summary><c>(keyword "n" t)*</c> as a vector of (name, value type) pairs.</summary>
    private void NamedValTypes(ByteBuffer b, string keyword)
    {
        var entries = new ByteBuffer();
        uint n = 0;
        while (At(keyword))
        {
            Next();
            Next();
            entries.Vec(Name());
            ValType(entries);
            ExpectRParen();
            n++;
        }
        b.U32(n);
        b.Bytes(entries.Span);
    }

    /// <summary>After <c>(func</c>: <c>async? (param "n" t)* (result t)?</c>, without the closing parenthesis.</summary>
    private void FuncType(ByteBuffer b)
    {
        b.Byte(TryKeyword("async") ? (byte)0x43 : (byte)0x40);
        NamedValTypes(b, "param");
        if (At("result"))
        {
            Next();
            Next();
            if (Peek().Kind == TokenKind.String) throw Error(Peek(), "named results are no longer supported");
            b.Byte(0x00);
            ValType(b);
            ExpectRParen();
        }
        else
        {
            b.Byte(0x01);
            b.Byte(0x00);
        }
    }

    /// <summary>A function type use: <c>(type $t)</c>, or an inline signature that becomes a type definition.</summary>
    private uint FuncTypeUse(Token at)
    {
        if (At("type"))
        {
            Next();
            Next();
            uint i = Index(Sort.Type);
            ExpectRParen();
            return i;
        }
        var b = new ByteBuffer();
        FuncType(b);
        return EmitType(b, null, at);
    }

    /// <summary>The declarators of a component or instance type, in a scope of their own.</summary>
    private void Decls(ScopeKind kind, string? id, ByteBuffer into)
    {
        var saved = _scope;
        _scope = new ComponentScope(kind, id, saved);
        try
        {
            while (Peek().Kind == TokenKind.LParen)
            {
                if (SkipAnnotation()) continue;
                var open = Next();
                var kw = Next();
                if (kw.Kind != TokenKind.Keyword) throw Unexpected(kw);
                switch (Text(kw))
                {
                    case "import" when kind == ScopeKind.ComponentType: Import(open); break;
                    case "export": ExportDecl(open); break;
                    case "type": TypeField(open); break;
                    case "alias": Alias(open); break;
                    case "core":
                        ExpectKeyword("type");
                        CoreTypeField(open);
                        break;
                    default: throw Unexpected(kw);
                }
            }
            _scope.FinishDecls(into);
        }
        finally
        {
            _scope = saved;
        }
    }

    /// <summary><c>(export "name" externtype)</c> in a type.</summary>
    private void ExportDecl(Token open)
    {
        var b = new ByteBuffer();
        ExternName(b);
        var (sort, id) = ExternType(b);
        ExpectRParen();
        _scope.Decl(0x04, b.Span);
        Define(sort, id, open);
    }

    /// <summary>An extern type <c>(sort $id? ...)</c>; returns the sort and the identifier it binds.</summary>
    private (Sort, string?) ExternType(ByteBuffer b)
    {
        var open = Peek();
        ExpectLParen();
        var sort = SortKeyword(coreImplied: false);
        if (sort is not (Sort.CoreModule or Sort.Func or Sort.Value or Sort.Type or Sort.Component or Sort.Instance))
            throw Error(open, $"{sort.Word()} cannot be imported or exported");
        string? id = OptionalId();
        Enter();
        try
        {
            ExternTypeBody(sort, b, open);
        }
        finally
        {
            Leave();
        }
        return (sort, id);
    }

    /// <summary>The rest of an extern type after <c>(sort $id?</c>, through its closing parenthesis.</summary>
    private void ExternTypeBody(Sort sort, ByteBuffer b, Token open)
    {
        switch (sort)
        {
            case Sort.CoreModule:
                b.Byte(0x00);
                b.Byte(0x11);
                if (AtTypeUse()) b.U32(TypeUse(Sort.CoreType));
                else
                {
                    var mt = new ByteBuffer();
                    mt.Byte(0x50);
                    ModuleDecls(mt);
                    b.U32(EmitCoreType(mt, null, open));
                }
                break;
            case Sort.Func:
                b.Byte(0x01);
                b.U32(FuncTypeUse(open));
                break;
            case Sort.Value:
                b.Byte(0x02);
                if (At("eq"))
                {
                    Next();
                    Next();
                    b.Byte(0x00);
                    b.U32(Index(Sort.Value));
                    ExpectRParen();
                }
                else
                {
                    b.Byte(0x01);
                    ValType(b);
                }
                break;
            case Sort.Type:
                b.Byte(0x03);
                ExpectLParen();
                if (TryKeyword("eq"))
                {
                    b.Byte(0x00);
                    b.U32(Index(Sort.Type));
                }
                else
                {
                    ExpectKeyword("sub");
                    ExpectKeyword("resource");
                    b.Byte(0x01);
                }
                ExpectRParen();
                break;
            case Sort.Component:
            case Sort.Instance:
            {
                b.Byte(sort == Sort.Component ? (byte)0x04 : (byte)0x05);
                if (AtTypeUse()) b.U32(TypeUse(Sort.Type));
                else
                {
                    var t = new ByteBuffer();
                    t.Byte(sort == Sort.Component ? (byte)0x41 : (byte)0x42);
                    Decls(sort == Sort.Component ? ScopeKind.ComponentType : ScopeKind.InstanceType, null, t);
                    b.U32(EmitType(t, null, open));
                }
                break;
            }
            default:
                throw Unexpected(open);
        }
        ExpectRParen();
    }

    /// <summary>At <c>(type idx)</c>, as opposed to a <c>(type ...)</c> declarator.</summary>
    private bool AtTypeUse() =>
        At("type") && Peek(2).Kind is TokenKind.Id or TokenKind.Atom && Peek(3).Kind == TokenKind.RParen;

    /// <summary><c>(type idx)</c>.</summary>
    private uint TypeUse(Sort sort)
    {
        Next();
        Next();
        uint i = Index(sort);
        ExpectRParen();
        return i;
    }

    // ----------------------------------------------------------------------------------------------
    // Core types

    /// <summary><c>(core type $id? (func ...))</c> or <c>(core type $id? (module decl*))</c>.</summary>
    private void CoreTypeField(Token open)
    {
        string? id = OptionalId();
        var b = new ByteBuffer();
        Enter();
        try
        {
            ExpectLParen();
            var kw = Next();
            if (IsKeyword(kw, "func")) CoreFuncType(b);
            else if (IsKeyword(kw, "module"))
            {
                b.Byte(0x50);
                ModuleDecls(b);
            }
            else throw Error(kw, $"unsupported core type '{Clip(Text(kw))}'");
            ExpectRParen();
        }
        finally
        {
            Leave();
        }
        ExpectRParen();
        EmitCoreType(b, id, open);
    }

    /// <summary>After <c>(func</c>: core params and results, without the closing parenthesis.</summary>
    private void CoreFuncType(ByteBuffer b)
    {
        b.Byte(0x60);
        var ps = new List<byte>();
        var rs = new List<byte>();
        while (At("param"))
        {
            Next();
            Next();
            if (OptionalId() is not null)
            {
                ps.Add(CoreValType());
                ExpectRParen();
                continue;
            }
            while (Peek().Kind != TokenKind.RParen) ps.Add(CoreValType());
            ExpectRParen();
        }
        while (At("result"))
        {
            Next();
            Next();
            while (Peek().Kind != TokenKind.RParen) rs.Add(CoreValType());
            ExpectRParen();
        }
        b.U32((uint)ps.Count);
        foreach (var x in ps) b.Byte(x);
        b.U32((uint)rs.Count);
        foreach (var x in rs) b.Byte(x);
    }

    private byte CoreValType()
    {
        var t = Next();
        if (t.Kind == TokenKind.Keyword)
        {
            switch (Text(t))
            {
                case "i32": return 0x7f;
                case "i64": return 0x7e;
                case "f32": return 0x7d;
                case "f64": return 0x7c;
                case "v128": return 0x7b;
                case "funcref": return 0x70;
                case "externref": return 0x6f;
            }
        }
        throw Error(t, $"unsupported core value type '{Clip(Text(t))}'");
    }

    /// <summary>The declarators of a core module type, in a scope of its own, through the closing parenthesis.</summary>
    private void ModuleDecls(ByteBuffer into)
    {
        var saved = _scope;
        _scope = new ComponentScope(ScopeKind.ModuleType, null, saved);
        try
        {
            while (Peek().Kind == TokenKind.LParen)
            {
                if (SkipAnnotation()) continue;
                var open = Next();
                var kw = Next();
                if (IsKeyword(kw, "import"))
                {
                    var b = new ByteBuffer();
                    b.Vec(Name());
                    b.Vec(Name());
                    CoreImportDesc(b, open);
                    ExpectRParen();
                    _scope.Decl(0x00, b.Span);
                }
                else if (IsKeyword(kw, "export"))
                {
                    var b = new ByteBuffer();
                    b.Vec(Name());
                    CoreImportDesc(b, open);
                    ExpectRParen();
                    _scope.Decl(0x03, b.Span);
                }
                else if (IsKeyword(kw, "type"))
                {
                    string? id = OptionalId();
                    var b = new ByteBuffer();
                    ExpectLParen();
                    ExpectKeyword("func");
                    CoreFuncType(b);
                    ExpectRParen();
                    ExpectRParen();
                    EmitCoreType(b, id, open);
                }
                else if (IsKeyword(kw, "alias")) Alias(open);
                else throw Unexpected(kw);
            }
            _scope.FinishDecls(into);
        }
        finally
        {
            _scope = saved;
        }
    }

    /// <summary>A core import description: <c>(func $id? typeuse)</c>, <c>(table ...)</c>, <c>(memory ...)</c>, <c>(global ...)</c>, <c>(tag ...)</c>.</summary>
    private void CoreImportDesc(ByteBuffer b, Token at)
    {
        ExpectLParen();
        var kw = Next();
        OptionalId();
        switch (Text(kw))
        {
            case "func" when kw.Kind == TokenKind.Keyword:
            case "tag" when kw.Kind == TokenKind.Keyword:
            {
                if (IsKeyword(kw, "tag"))
                {
                    b.Byte(0x04);
                    b.Byte(0x00);
                }
                else b.Byte(0x00);
                if (At("type"))
                {
                    b.U32(TypeUse(Sort.CoreType));
                    // A type use may repeat its signature; it is not checked here.
                    while (At("param") || At("result"))
                    {
                        Next();
                        Next();
                        SkipGroup();
                    }
                }
                else
                {
                    var ft = new ByteBuffer();
                    CoreFuncType(ft);
                    b.U32(EmitCoreType(ft, null, at));
                }
                break;
            }
            case "memory" when kw.Kind == TokenKind.Keyword:
            {
                b.Byte(0x02);
                bool is64 = TryKeyword("i64");
                if (!is64) TryKeyword("i32");
                Limits(b, is64, shared: false);
                break;
            }
            case "table" when kw.Kind == TokenKind.Keyword:
            {
                b.Byte(0x01);
                bool is64 = TryKeyword("i64");
                if (!is64) TryKeyword("i32");
                var lim = new ByteBuffer();
                Limits(lim, is64, shared: false);
                b.Byte(CoreValType());
                b.Bytes(lim.Span);
                break;
            }
            case "global" when kw.Kind == TokenKind.Keyword:
            {
                b.Byte(0x03);
                if (At("mut"))
                {
                    Next();
                    Next();
                    b.Byte(CoreValType());
                    ExpectRParen();
                    b.Byte(0x01);
                }
                else
                {
                    b.Byte(CoreValType());
                    b.Byte(0x00);
                }
                break;
            }
            default:
                throw Unexpected(kw);
        }
        ExpectRParen();
    }

    private void Limits(ByteBuffer b, bool is64, bool shared)
    {
        ulong min = Limit();
        bool hasMax = Peek().Kind == TokenKind.Atom;
        ulong max = hasMax ? Limit() : 0;
        if (TryKeyword("shared")) shared = true;
        byte flags = (byte)((hasMax ? 1 : 0) | (shared ? 2 : 0) | (is64 ? 4 : 0));
        b.Byte(flags);
        WriteU64(b, min);
        if (hasMax) WriteU64(b, max);
    }

    private ulong Limit()
    {
        var t = Next();
        if (t.Kind != TokenKind.Atom) throw Unexpected(t);
        var st = NumberParser.ParseInt(Text(t), 64, out ulong v);
        if (st != NumberStatus.Ok || Text(t).StartsWith("-") || Text(t).StartsWith("+")) throw Error(t, st == NumberStatus.OutOfRange ? "constant out of range" : $"unexpected token '{Clip(Text(t))}'");
        return v;
    }

    private static void WriteU64(ByteBuffer b, ulong v)
    {
        do
        {
            byte x = (byte)(v & 0x7F);
            v >>= 7;
            if (v != 0) x |= 0x80;
            b.Byte(x);
        } while (v != 0);
    }
}
