using Sharptime.Format;

namespace Sharptime.Text;

/// <summary>A function type as written in the text: parameter and result types.</summary>
internal sealed class FuncSig : IEquatable<FuncSig>
{
    public FuncSig(ValType[] parameters, ValType[] results)
    {
        Params = parameters;
        Results = results;
    }

    public ValType[] Params { get; }
    public ValType[] Results { get; }

    public bool Equals(FuncSig? other) =>
        other is not null && Params.AsSpan().SequenceEqual(other.Params) && Results.AsSpan().SequenceEqual(other.Results);

    public override bool Equals(object? obj) => Equals(obj as FuncSig);

    public override int GetHashCode()
    {
        var h = new HashCode();
        foreach (var t in Params) h.Add(t);
        h.Add(-1);
        foreach (var t in Results) h.Add(t);
        return h.ToHashCode();
    }
}

/// <summary>One index space of a module (functions, tables, ...): its size and the identifiers bound in it.</summary>
internal sealed class IndexSpace
{
    public IndexSpace(string kind) => Kind = kind;

    /// <summary>Word used in errors: "unknown function $f", "duplicate function".</summary>
    public string Kind { get; }

    public readonly Dictionary<string, uint> Ids = new(StringComparer.Ordinal);

    /// <summary>Identifier (without <c>$</c>) of each entry, or null; feeds the name section.</summary>
    public readonly List<string?> Names = new();

    public uint Count => (uint)Names.Count;
}

/// <summary>
/// Parses one WebAssembly text module and encodes it to the binary format.
/// Two passes: the first binds every identifier of every index space (so uses may precede definitions),
/// the second encodes fields in text order, creating implicit types for inline type uses as it meets them.
/// </summary>
internal sealed partial class WatEncoder
{
    private const int MaxNesting = 1000;

    private readonly string _src;
    private readonly string? _file;
    private readonly List<Token> _t;
    private readonly List<byte[]> _strings;
    private int _p;

    private readonly List<FuncSig> _types = new();
    private readonly Dictionary<string, uint> _typeIds = new(StringComparer.Ordinal);
    /// <summary>Smallest index of each distinct type, for reusing types in inline type uses.</summary>
    private readonly Dictionary<FuncSig, uint> _firstTypeIndex = new();
    private readonly IndexSpace _funcs = new("function");
    private readonly IndexSpace _tables = new("table");
    private readonly IndexSpace _mems = new("memory");
    private readonly IndexSpace _globals = new("global");
    private readonly IndexSpace _elems = new("elem segment");
    private readonly IndexSpace _datas = new("data segment");
    private string? _moduleName;

    // Sections under construction.
    private readonly ByteBuffer _importSec = new();
    private uint _importCount;
    private readonly ByteBuffer _funcSec = new();
    private uint _funcDefCount;
    private readonly ByteBuffer _tableSec = new();
    private uint _tableDefCount;
    private readonly ByteBuffer _memSec = new();
    private uint _memDefCount;
    private readonly ByteBuffer _globalSec = new();
    private uint _globalDefCount;
    private readonly ByteBuffer _exportSec = new();
    private uint _exportCount;
    private uint? _start;
    private readonly ByteBuffer _elemSec = new();
    private uint _elemCount;
    private readonly ByteBuffer _codeSec = new();
    private readonly ByteBuffer _dataSec = new();
    private uint _dataCount;
    private bool _needsDataCount;
    private readonly List<(uint Func, List<(uint Index, string Name)> Locals)> _localNames = new();

    private WatEncoder(string src, string? file, List<Token> tokens, List<byte[]> strings, int start)
    {
        _src = src;
        _file = file;
        _t = tokens;
        _strings = strings;
        _p = start;
    }

    /// <summary>
    /// Encodes a whole text: either one <c>(module $id? field*)</c> or bare module fields (the spec's inline-module form).
    /// </summary>
    public static byte[] EncodeText(string text, string? fileName)
    {
        var lex = Lexer.Tokenize(text, fileName);
        var enc = new WatEncoder(text, fileName, lex.Tokens, lex.Strings, 0);
        if (enc.Peek().Kind == TokenKind.LParen && enc.IsKeyword(enc.Peek(1), "module"))
        {
            enc._p += 2;
            var bytes = enc.EncodeFields(readName: true);
            enc.ExpectRParen();
            if (enc.Peek().Kind != TokenKind.Eof) throw enc.Unexpected(enc.Peek());
            return bytes;
        }
        var result = enc.EncodeFields(readName: false);
        if (enc.Peek().Kind != TokenKind.Eof) throw enc.Unexpected(enc.Peek());
        return result;
    }

    /// <summary>
    /// Encodes the module whose fields start at token <paramref name="start"/> of an already tokenized script
    /// (just after <c>module $id?</c>), up to the closing parenthesis of the module, which is not consumed.
    /// </summary>
    public static byte[] EncodeTokens(string src, string? fileName, List<Token> tokens, List<byte[]> strings, int start, string? name)
    {
        var enc = new WatEncoder(src, fileName, tokens, strings, start) { _moduleName = name };
        return enc.EncodeFields(readName: false);
    }

    // ----------------------------------------------------------------------------------------------
    // Token helpers

    private Token Peek(int k = 0)
    {
        int i = _p + k;
        return i < _t.Count ? _t[i] : _t[^1];
    }

    private Token Next()
    {
        var t = Peek();
        if (_p < _t.Count - 1) _p++;
        return t;
    }

    private ReadOnlySpan<char> Text(Token t) => _src.AsSpan(t.Start, t.Length);

    private bool IsKeyword(Token t, string kw) => t.Kind == TokenKind.Keyword && Text(t).SequenceEqual(kw);

    /// <summary>True when the next tokens are <c>( kw</c>.</summary>
    private bool AtField(string kw) => Peek().Kind == TokenKind.LParen && IsKeyword(Peek(1), kw);

    private MalformedModuleException Error(Token t, string reason) => new(reason, _file, t.Line, t.Column);

    private MalformedModuleException Unexpected(Token t) => t.Kind switch
    {
        TokenKind.Eof => Error(t, "unexpected end of input"),
        // Like the reference lexer: a keyword that is no keyword at all is an unknown operator.
        TokenKind.Keyword when !IsKnownKeyword(Text(t)) => Error(t, $"unknown operator {Clip(Text(t))}"),
        _ => Error(t, $"unexpected token '{Clip(Text(t))}'"),
    };

    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "module", "type", "func", "param", "result", "local", "import", "export", "table", "memory", "global",
        "elem", "data", "start", "offset", "item", "declare", "mut", "funcref", "externref", "extern",
        "i32", "i64", "f32", "f64", "v128", "then", "i8x16", "i16x8", "i32x4", "i64x2", "f32x4", "f64x2",
        "inf", "nan", "binary", "quote",
    };

    private static bool IsKnownKeyword(ReadOnlySpan<char> s) =>
        Keywords.GetAlternateLookup<ReadOnlySpan<char>>().Contains(s) || OperatorTable.TryGetByName(s, out _) ||
        s.StartsWith("offset=") || s.StartsWith("align=") || s.StartsWith("nan:");

    private static string Clip(ReadOnlySpan<char> s) => s.Length > 40 ? string.Concat(s[..40], "...") : s.ToString();

    private void ExpectLParen()
    {
        var t = Next();
        if (t.Kind != TokenKind.LParen) throw Unexpected(t);
    }

    private void ExpectRParen()
    {
        var t = Peek();
        if (t.Kind != TokenKind.RParen) throw Unexpected(t);
        Next();
    }

    private void ExpectKeyword(string kw)
    {
        var t = Peek();
        if (!IsKeyword(t, kw)) throw Unexpected(t);
        Next();
    }

    /// <summary>Consumes <c>( kw</c>.</summary>
    private void OpenField(string kw)
    {
        ExpectLParen();
        ExpectKeyword(kw);
    }

    /// <summary>Consumes an optional <c>$id</c>, returning the name without the <c>$</c>.</summary>
    private string? OptionalId()
    {
        var t = Peek();
        if (t.Kind != TokenKind.Id) return null;
        Next();
        return _src.Substring(t.Start + 1, t.Length - 1);
    }

    private byte[] ExpectString()
    {
        var t = Next();
        if (t.Kind != TokenKind.String) throw Unexpected(t);
        return _strings[t.StringIndex];
    }

    /// <summary>A string used as a name: must be valid UTF-8.</summary>
    private byte[] ExpectName()
    {
        var t = Peek();
        var bytes = ExpectString();
        if (!System.Text.Unicode.Utf8.IsValid(bytes)) throw Error(t, "malformed UTF-8 encoding");
        return bytes;
    }

    /// <summary>Skips one balanced parenthesised group starting at the current <c>(</c>.</summary>
    private void SkipGroup()
    {
        var open = Peek();
        int depth = 0;
        while (true)
        {
            var t = Next();
            if (t.Kind == TokenKind.LParen) depth++;
            else if (t.Kind == TokenKind.RParen)
            {
                if (--depth == 0) return;
            }
            else if (t.Kind == TokenKind.Eof) throw Error(open, "unclosed parenthesis");
        }
    }

    private uint ParseU32(Token t, string what)
    {
        if (t.Kind != TokenKind.Atom) throw Unexpected(t);
        var st = NumberParser.ParseNat(Text(t), out ulong v);
        // The reference lexer reads a run like "0drop" as one unknown keyword, hence its wording.
        if (st == NumberStatus.Malformed) throw Error(t, $"unknown operator '{Clip(Text(t))}'");
        if (st == NumberStatus.OutOfRange || v > uint.MaxValue) throw Error(t, $"{what} constant out of range");
        return (uint)v;
    }

    private bool PeekIsNat()
    {
        var t = Peek();
        return t.Kind == TokenKind.Atom && t.Length > 0 && _src[t.Start] is >= '0' and <= '9';
    }

    /// <summary>Resolves an index token (number or <c>$id</c>) in <paramref name="space"/>.</summary>
    private uint ResolveIndex(IndexSpace space)
    {
        var t = Next();
        if (t.Kind == TokenKind.Id)
        {
            var lookup = space.Ids.GetAlternateLookup<ReadOnlySpan<char>>();
            if (lookup.TryGetValue(Text(t)[1..], out uint idx)) return idx;
            throw Error(t, $"unknown {space.Kind} {Text(t)}");
        }
        return ParseU32(t, "i32");
    }

    private uint ResolveType()
    {
        var t = Next();
        if (t.Kind == TokenKind.Id)
        {
            var lookup = _typeIds.GetAlternateLookup<ReadOnlySpan<char>>();
            if (lookup.TryGetValue(Text(t)[1..], out uint idx)) return idx;
            throw Error(t, $"unknown type {Text(t)}");
        }
        return ParseU32(t, "i32");
    }

    private bool PeekIsIndex() => Peek().Kind == TokenKind.Id || PeekIsNat();

    private static void Bind(Dictionary<string, uint> ids, string? name, uint index, Func<MalformedModuleException> duplicate)
    {
        if (name is null) return;
        if (!ids.TryAdd(name, index)) throw duplicate();
    }

    private void Define(IndexSpace space, string? name, Token at)
    {
        Bind(space.Ids, name, space.Count, () => Error(at, $"duplicate {space.Kind} ${name}"));
        space.Names.Add(name);
    }

    // ----------------------------------------------------------------------------------------------
    // Types

    private bool TryValType(Token t, out ValType type)
    {
        type = default;
        if (t.Kind != TokenKind.Keyword) return false;
        var s = Text(t);
        switch (s)
        {
            case "i32": type = ValType.I32; return true;
            case "i64": type = ValType.I64; return true;
            case "f32": type = ValType.F32; return true;
            case "f64": type = ValType.F64; return true;
            case "v128": type = ValType.V128; return true;
            case "funcref": type = ValType.FuncRef; return true;
            case "externref": type = ValType.ExternRef; return true;
            default: return false;
        }
    }

    private ValType ExpectValType()
    {
        var t = Next();
        if (!TryValType(t, out var type)) throw Unexpected(t);
        return type;
    }

    private ValType ExpectRefType()
    {
        var t = Next();
        if (!TryValType(t, out var type) || !type.IsReference()) throw Unexpected(t);
        return type;
    }

    /// <summary>
    /// Parses <c>(param ...)* (result ...)*</c>. Parameter ids go to <paramref name="paramNames"/> when given;
    /// otherwise named parameters are rejected (block types and call_indirect may not bind names).
    /// </summary>
    private void ParseSignature(List<ValType> ps, List<ValType> rs, List<(string? Name, Token At)>? paramNames, bool allowNames)
    {
        while (AtField("param"))
        {
            Next(); Next();
            if (Peek().Kind == TokenKind.Id)
            {
                var idTok = Peek();
                if (!allowNames) throw Error(idTok, "unexpected token: parameter names are not allowed here");
                string? name = OptionalId();
                ps.Add(ExpectValType());
                paramNames?.Add((name, idTok));
            }
            else
            {
                while (Peek().Kind != TokenKind.RParen)
                {
                    var at = Peek();
                    ps.Add(ExpectValType());
                    paramNames?.Add((null, at));
                }
            }
            ExpectRParen();
        }
        while (AtField("result"))
        {
            Next(); Next();
            while (Peek().Kind != TokenKind.RParen) rs.Add(ExpectValType());
            ExpectRParen();
        }
        // Out-of-order clauses are a syntax error, reported before any type check.
        if (AtField("param") || AtField("type")) throw Error(Peek(1), $"unexpected token '{Text(Peek(1))}': out of order");
    }

    private void AddType(FuncSig sig)
    {
        _firstTypeIndex.TryAdd(sig, (uint)_types.Count);
        _types.Add(sig);
    }

    private uint InternType(FuncSig sig)
    {
        if (_firstTypeIndex.TryGetValue(sig, out uint index)) return index;
        AddType(sig);
        return (uint)(_types.Count - 1);
    }

    /// <summary>
    /// Parses a type use <c>(type x)? (param ...)* (result ...)*</c> and returns its type index, applying the spec's
    /// rules: an explicit index must agree with inline declarations; inline-only uses reuse the first equal type or
    /// append a new one.
    /// </summary>
    private uint ParseTypeUse(out FuncSig sig, List<(string? Name, Token At)>? paramNames, bool allowNames)
    {
        uint? explicitIndex = null;
        Token typeTok = Peek();
        if (AtField("type"))
        {
            Next(); Next();
            typeTok = Peek();
            explicitIndex = ResolveType();
            ExpectRParen();
        }
        var ps = new List<ValType>();
        var rs = new List<ValType>();
        ParseSignature(ps, rs, paramNames, allowNames);
        if (explicitIndex is uint idx)
        {
            if (idx < _types.Count)
            {
                var declared = _types[(int)idx];
                if (ps.Count + rs.Count > 0)
                {
                    var inline = new FuncSig(ps.ToArray(), rs.ToArray());
                    if (!inline.Equals(declared)) throw Error(typeTok, "inline function type does not match the type definition");
                }
                sig = declared;
            }
            else
            {
                // Unknown numeric index: the validator reports it; inline declarations cannot be checked.
                if (ps.Count + rs.Count > 0) throw Error(typeTok, $"unknown type {idx}");
                sig = new FuncSig([], []);
            }
            return idx;
        }
        sig = new FuncSig(ps.ToArray(), rs.ToArray());
        return InternType(sig);
    }

    // ----------------------------------------------------------------------------------------------
    // Pass 1: bind identifiers

    private byte[] EncodeFields(bool readName)
    {
        if (readName)
        {
            var id = OptionalId();
            if (id is not null) _moduleName = id;
        }
        int first = _p;
        Collect();
        int after = _p;
        _p = first;
        while (Peek().Kind == TokenKind.LParen) EncodeField();
        if (_p != after) throw Unexpected(Peek());
        return Assemble();
    }

    private void Collect()
    {
        string? definedKind = null; // first non-import func/table/memory/global, for "import after ..."
        while (Peek().Kind == TokenKind.LParen)
        {
            int fieldStart = _p;
            Next();
            Token kwTok = Next();
            if (kwTok.Kind != TokenKind.Keyword) throw Unexpected(kwTok);
            var kw = Text(kwTok);
            switch (kw)
            {
                case "type":
                {
                    var at = Peek();
                    string? name = OptionalId();
                    OpenField("func");
                    var ps = new List<ValType>();
                    var rs = new List<ValType>();
                    ParseSignature(ps, rs, null, allowNames: true);
                    ExpectRParen();
                    ExpectRParen();
                    Bind(_typeIds, name, (uint)_types.Count, () => Error(at, $"duplicate type ${name}"));
                    AddType(new FuncSig(ps.ToArray(), rs.ToArray()));
                    _p = fieldStart;
                    break;
                }
                case "import":
                {
                    if (definedKind is not null) throw Error(kwTok, $"import after {definedKind}");
                    ExpectName();
                    ExpectName();
                    ExpectLParen();
                    var kindTok = Next();
                    var at = Peek();
                    string? name = OptionalId();
                    var space = Text(kindTok) switch
                    {
                        "func" when kindTok.Kind == TokenKind.Keyword => _funcs,
                        "table" when kindTok.Kind == TokenKind.Keyword => _tables,
                        "memory" when kindTok.Kind == TokenKind.Keyword => _mems,
                        "global" when kindTok.Kind == TokenKind.Keyword => _globals,
                        _ => throw Unexpected(kindTok),
                    };
                    Define(space, name, at);
                    _p = fieldStart;
                    break;
                }
                case "func":
                case "table":
                case "memory":
                case "global":
                {
                    var space = kw switch { "func" => _funcs, "table" => _tables, "memory" => _mems, _ => _globals };
                    var at = Peek();
                    string? name = OptionalId();
                    bool imported = false;
                    bool hasElem = false, hasData = false;
                    // Scan the field's direct children for inline import / elem / data.
                    while (Peek().Kind != TokenKind.RParen && Peek().Kind != TokenKind.Eof)
                    {
                        if (Peek().Kind == TokenKind.LParen)
                        {
                            if (IsKeyword(Peek(1), "import")) imported = true;
                            else if (IsKeyword(Peek(1), "elem")) hasElem = true;
                            else if (IsKeyword(Peek(1), "data")) hasData = true;
                            SkipGroup();
                        }
                        else Next();
                    }
                    if (imported)
                    {
                        if (definedKind is not null) throw Error(kwTok, $"import after {definedKind}");
                    }
                    else definedKind ??= space.Kind;
                    Define(space, name, at);
                    if (hasElem && kw == "table" && !imported) _elems.Names.Add(null);
                    if (hasData && kw == "memory" && !imported) _datas.Names.Add(null);
                    _p = fieldStart;
                    break;
                }
                case "elem":
                case "data":
                {
                    var at = Peek();
                    string? name = OptionalId();
                    Define(kw.SequenceEqual("elem") ? _elems : _datas, name, at);
                    _p = fieldStart;
                    break;
                }
                case "export":
                case "start":
                    break;
                default:
                    throw Error(kwTok, $"unknown module field '{Clip(kw)}'");
            }
            _p = fieldStart;
            SkipGroup();
        }
        if (Peek().Kind != TokenKind.RParen && Peek().Kind != TokenKind.Eof) throw Unexpected(Peek());
    }

    // ----------------------------------------------------------------------------------------------
    // Pass 2: encode fields

    private uint _funcIndex, _tableIndex, _memIndex, _globalIndex, _elemIndex, _dataIndex;

    private void EncodeField()
    {
        Token kwTok = Peek(1);
        switch (Text(kwTok))
        {
            case "type": SkipGroup(); break;
            case "import": EncodeImport(); break;
            case "func": EncodeFunc(); break;
            case "table": EncodeTable(); break;
            case "memory": EncodeMemory(); break;
            case "global": EncodeGlobal(); break;
            case "export": EncodeExport(); break;
            case "start":
            {
                Next(); Next();
                if (_start is not null) throw Error(kwTok, "multiple start sections");
                _start = ResolveIndex(_funcs);
                ExpectRParen();
                break;
            }
            case "elem": EncodeElem(); break;
            case "data": EncodeData(); break;
            default: throw Unexpected(kwTok);
        }
    }

    /// <summary>Writes an export. Duplicate names are a validation error, not a text one, so they pass through.</summary>
    private void AddExport(byte[] name, byte kind, uint index)
    {
        _exportSec.Vec(name);
        _exportSec.Byte(kind);
        _exportSec.U32(index);
        _exportCount++;
    }

    /// <summary>Parses inline <c>(export "name")*</c> clauses for the entity <paramref name="index"/>.</summary>
    private void InlineExports(byte kind, uint index)
    {
        while (AtField("export"))
        {
            Next(); Next();
            var name = ExpectName();
            ExpectRParen();
            AddExport(name, kind, index);
        }
    }

    /// <summary>Parses an inline <c>(import "m" "n")</c> if present and writes the import's header.</summary>
    private bool InlineImport()
    {
        if (!AtField("import")) return false;
        Next(); Next();
        var module = ExpectName();
        var field = ExpectName();
        ExpectRParen();
        _importSec.Vec(module);
        _importSec.Vec(field);
        _importCount++;
        return true;
    }

    private void Limits(ByteBuffer buf)
    {
        uint min = ParseU32(Next(), "i32");
        if (PeekIsNat())
        {
            uint max = ParseU32(Next(), "i32");
            buf.Byte(0x01);
            buf.U32(min);
            buf.U32(max);
        }
        else
        {
            buf.Byte(0x00);
            buf.U32(min);
        }
    }

    private void TableType(ByteBuffer buf)
    {
        var limits = new ByteBuffer(16);
        Limits(limits);
        buf.Byte((byte)ExpectRefType());
        buf.Bytes(limits.Span);
    }

    private void GlobalType(ByteBuffer buf)
    {
        if (AtField("mut"))
        {
            Next(); Next();
            buf.Byte((byte)ExpectValType());
            buf.Byte(0x01);
            ExpectRParen();
        }
        else
        {
            buf.Byte((byte)ExpectValType());
            buf.Byte(0x00);
        }
    }

    private void EncodeImport()
    {
        Next(); Next();
        var module = ExpectName();
        var field = ExpectName();
        ExpectLParen();
        var kindTok = Next();
        OptionalId();
        _importSec.Vec(module);
        _importSec.Vec(field);
        _importCount++;
        switch (Text(kindTok))
        {
            case "func":
            {
                _importSec.Byte(0x00);
                _importSec.U32(ParseTypeUse(out _, null, allowNames: true));
                _funcIndex++;
                break;
            }
            case "table":
                _importSec.Byte(0x01);
                TableType(_importSec);
                _tableIndex++;
                break;
            case "memory":
                _importSec.Byte(0x02);
                Limits(_importSec);
                _memIndex++;
                break;
            case "global":
                _importSec.Byte(0x03);
                GlobalType(_importSec);
                _globalIndex++;
                break;
            default: throw Unexpected(kindTok);
        }
        ExpectRParen();
        ExpectRParen();
    }

    private void EncodeFunc()
    {
        Next(); Next();
        OptionalId();
        uint index = _funcIndex++;
        InlineExports(0x00, index);
        if (InlineImport())
        {
            _importSec.Byte(0x00);
            _importSec.U32(ParseTypeUse(out _, null, allowNames: true));
            ExpectRParen();
            return;
        }
        var paramNames = new List<(string? Name, Token At)>();
        uint typeIndex = ParseTypeUse(out var sig, paramNames, allowNames: true);
        _funcSec.U32(typeIndex);
        _funcDefCount++;

        var ctx = new FuncContext();
        // Parameters named inline bind local indices 0..n-1; a bare (type x) binds none.
        uint localIndex = 0;
        foreach (var (name, at) in paramNames)
        {
            if (name is not null && !ctx.Locals.TryAdd(name, localIndex)) throw Error(at, $"duplicate local ${name}");
            if (name is not null) ctx.LocalNames.Add((localIndex, name));
            localIndex++;
        }
        localIndex = (uint)sig.Params.Length;
        var localTypes = new List<ValType>();
        while (AtField("local"))
        {
            Next(); Next();
            if (Peek().Kind == TokenKind.Id)
            {
                var at = Peek();
                string name = OptionalId()!;
                if (!ctx.Locals.TryAdd(name, localIndex)) throw Error(at, $"duplicate local ${name}");
                ctx.LocalNames.Add((localIndex, name));
                localTypes.Add(ExpectValType());
                localIndex++;
            }
            else
            {
                while (Peek().Kind != TokenKind.RParen)
                {
                    localTypes.Add(ExpectValType());
                    localIndex++;
                }
            }
            ExpectRParen();
        }

        var body = new ByteBuffer(256);
        // Locals are written as runs of equal types.
        int runs = 0;
        for (int i = 0; i < localTypes.Count; i++)
            if (i == 0 || localTypes[i] != localTypes[i - 1]) runs++;
        body.U32((uint)runs);
        for (int i = 0; i < localTypes.Count;)
        {
            int j = i;
            while (j < localTypes.Count && localTypes[j] == localTypes[i]) j++;
            body.U32((uint)(j - i));
            body.Byte((byte)localTypes[i]);
            i = j;
        }
        InstrList(body, ctx);
        body.Byte(0x0B);
        ExpectRParen();
        _codeSec.Vec(body.Span);
        if (ctx.LocalNames.Count > 0) _localNames.Add((index, ctx.LocalNames));
    }

    private void EncodeTable()
    {
        Next(); Next();
        OptionalId();
        uint index = _tableIndex++;
        InlineExports(0x01, index);
        if (InlineImport())
        {
            _importSec.Byte(0x01);
            TableType(_importSec);
            ExpectRParen();
            return;
        }
        if (Peek().Kind == TokenKind.Keyword)
        {
            // Abbreviation: (table reftype (elem ...)) defines a table exactly as large as its element list.
            ValType refType = ExpectRefType();
            OpenField("elem");
            var items = new ByteBuffer(64);
            uint count = 0;
            bool exprs = Peek().Kind == TokenKind.LParen;
            while (Peek().Kind != TokenKind.RParen)
            {
                if (exprs) ElemExpr(items);
                else items.U32(ResolveIndex(_funcs));
                count++;
            }
            ExpectRParen();
            ExpectRParen();
            _tableSec.Byte((byte)refType);
            _tableSec.Byte(0x01);
            _tableSec.U32(count);
            _tableSec.U32(count);
            _tableDefCount++;
            var offset = new ByteBuffer(8);
            offset.Byte(0x41);
            offset.Byte(0x00);
            offset.Byte(0x0B);
            WriteElemSegment(mode: 0, index, offset.Span, refType, exprs, count, items.Span);
            _elemIndex++;
            return;
        }
        TableType(_tableSec);
        _tableDefCount++;
        ExpectRParen();
    }

    private void EncodeMemory()
    {
        Next(); Next();
        OptionalId();
        uint index = _memIndex++;
        InlineExports(0x02, index);
        if (InlineImport())
        {
            _importSec.Byte(0x02);
            Limits(_importSec);
            ExpectRParen();
            return;
        }
        if (AtField("data"))
        {
            // Abbreviation: (memory (data ...)) sizes the memory to fit the data, placed at offset 0.
            Next(); Next();
            var data = new ByteBuffer(64);
            while (Peek().Kind == TokenKind.String) data.Bytes(ExpectString());
            ExpectRParen();
            ExpectRParen();
            ulong pages = ((ulong)data.Length + 65535) / 65536;
            _memSec.Byte(0x01);
            _memSec.U32((uint)pages);
            _memSec.U32((uint)pages);
            _memDefCount++;
            if (index == 0) _dataSec.Byte(0x00);
            else
            {
                _dataSec.Byte(0x02);
                _dataSec.U32(index);
            }
            _dataSec.Byte(0x41);
            _dataSec.Byte(0x00);
            _dataSec.Byte(0x0B);
            _dataSec.Vec(data.Span);
            _dataCount++;
            _dataIndex++;
            return;
        }
        Limits(_memSec);
        _memDefCount++;
        ExpectRParen();
    }

    private void EncodeGlobal()
    {
        Next(); Next();
        OptionalId();
        uint index = _globalIndex++;
        InlineExports(0x03, index);
        if (InlineImport())
        {
            _importSec.Byte(0x03);
            GlobalType(_importSec);
            ExpectRParen();
            return;
        }
        GlobalType(_globalSec);
        ConstExprUntilClose(_globalSec);
        _globalDefCount++;
        ExpectRParen();
    }

    private FuncContext? _constContext;

    /// <summary>The context of constant expressions: no locals; labels balance out, so one instance is reused.</summary>
    private FuncContext ConstContext() => _constContext ??= new FuncContext();

    /// <summary>Encodes instructions up to the closing parenthesis (not consumed), then <c>end</c>.</summary>
    private void ConstExprUntilClose(ByteBuffer buf)
    {
        InstrList(buf, ConstContext());
        buf.Byte(0x0B);
    }

    private void EncodeExport()
    {
        Next(); Next();
        var name = ExpectName();
        ExpectLParen();
        var kindTok = Next();
        (byte kind, IndexSpace space) = Text(kindTok) switch
        {
            "func" => ((byte)0x00, _funcs),
            "table" => ((byte)0x01, _tables),
            "memory" => ((byte)0x02, _mems),
            "global" => ((byte)0x03, _globals),
            _ => throw Unexpected(kindTok),
        };
        uint index = ResolveIndex(space);
        ExpectRParen();
        ExpectRParen();
        AddExport(name, kind, index);
    }

    /// <summary><c>(offset instr*)</c> or a single folded instruction, encoded as a constant expression.</summary>
    private void OffsetExpr(ByteBuffer buf)
    {
        if (AtField("offset"))
        {
            Next(); Next();
            ConstExprUntilClose(buf);
            ExpectRParen();
            return;
        }
        if (Peek().Kind != TokenKind.LParen) throw Unexpected(Peek());
        FoldedInstr(buf, ConstContext());
        buf.Byte(0x0B);
    }

    /// <summary><c>(item instr*)</c> or a single folded instruction.</summary>
    private void ElemExpr(ByteBuffer buf)
    {
        if (AtField("item"))
        {
            Next(); Next();
            ConstExprUntilClose(buf);
            ExpectRParen();
            return;
        }
        if (Peek().Kind != TokenKind.LParen) throw Unexpected(Peek());
        FoldedInstr(buf, ConstContext());
        buf.Byte(0x0B);
    }

    private void EncodeElem()
    {
        Next(); Next();
        OptionalId();
        _elemIndex++;
        // mode: 0 active, 1 passive, 2 declarative
        int mode = 1;
        uint table = 0;
        var offset = new ByteBuffer(16);
        if (IsKeyword(Peek(), "declare"))
        {
            Next();
            mode = 2;
        }
        else
        {
            if (AtField("table"))
            {
                Next(); Next();
                table = ResolveIndex(_tables);
                ExpectRParen();
                mode = 0;
            }
            else if (PeekIsIndex() && Peek(1).Kind == TokenKind.LParen)
            {
                // Legacy form: a bare table index before the offset.
                table = ResolveIndex(_tables);
                mode = 0;
            }
            if (mode == 0 || Peek().Kind == TokenKind.LParen)
            {
                mode = 0;
                OffsetExpr(offset);
            }
        }

        var items = new ByteBuffer(64);
        uint count = 0;
        ValType refType = ValType.FuncRef;
        bool exprs;
        if (IsKeyword(Peek(), "func"))
        {
            Next();
            exprs = false;
        }
        else if (Peek().Kind == TokenKind.Keyword)
        {
            refType = ExpectRefType();
            exprs = true;
        }
        else if (mode == 0)
        {
            exprs = false; // legacy: offset followed directly by function indices
        }
        else throw Unexpected(Peek());

        while (Peek().Kind != TokenKind.RParen)
        {
            if (exprs) ElemExpr(items);
            else items.U32(ResolveIndex(_funcs));
            count++;
        }
        ExpectRParen();
        WriteElemSegment(mode, table, offset.Span, refType, exprs, count, items.Span);
    }

    private void WriteElemSegment(int mode, uint table, ReadOnlySpan<byte> offset, ValType refType, bool exprs, uint count, ReadOnlySpan<byte> items)
    {
        var s = _elemSec;
        if (!exprs)
        {
            switch (mode)
            {
                case 0 when table == 0:
                    s.Byte(0x00);
                    s.Bytes(offset);
                    break;
                case 0:
                    s.Byte(0x02);
                    s.U32(table);
                    s.Bytes(offset);
                    s.Byte(0x00);
                    break;
                case 1:
                    s.Byte(0x01);
                    s.Byte(0x00);
                    break;
                default:
                    s.Byte(0x03);
                    s.Byte(0x00);
                    break;
            }
        }
        else
        {
            switch (mode)
            {
                case 0 when table == 0 && refType == ValType.FuncRef:
                    s.Byte(0x04);
                    s.Bytes(offset);
                    break;
                case 0:
                    s.Byte(0x06);
                    s.U32(table);
                    s.Bytes(offset);
                    s.Byte((byte)refType);
                    break;
                case 1:
                    s.Byte(0x05);
                    s.Byte((byte)refType);
                    break;
                default:
                    s.Byte(0x07);
                    s.Byte((byte)refType);
                    break;
            }
        }
        s.U32(count);
        s.Bytes(items);
        _elemCount++;
    }

    private void EncodeData()
    {
        Next(); Next();
        OptionalId();
        _dataIndex++;
        bool active = false;
        uint memory = 0;
        var offset = new ByteBuffer(16);
        if (AtField("memory"))
        {
            Next(); Next();
            memory = ResolveIndex(_mems);
            ExpectRParen();
            active = true;
        }
        else if (PeekIsIndex() && Peek(1).Kind == TokenKind.LParen)
        {
            memory = ResolveIndex(_mems);
            active = true;
        }
        if (active || Peek().Kind == TokenKind.LParen)
        {
            active = true;
            OffsetExpr(offset);
        }
        var data = new ByteBuffer(64);
        while (Peek().Kind == TokenKind.String) data.Bytes(ExpectString());
        ExpectRParen();
        if (!active) _dataSec.Byte(0x01);
        else if (memory == 0)
        {
            _dataSec.Byte(0x00);
            _dataSec.Bytes(offset.Span);
        }
        else
        {
            _dataSec.Byte(0x02);
            _dataSec.U32(memory);
            _dataSec.Bytes(offset.Span);
        }
        _dataSec.Vec(data.Span);
        _dataCount++;
    }

    // ----------------------------------------------------------------------------------------------
    // Output

    private byte[] Assemble()
    {
        var m = new ByteBuffer(1024);
        m.Bytes([0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00]);
        if (_types.Count > 0)
        {
            var sec = new ByteBuffer(_types.Count * 4);
            sec.U32((uint)_types.Count);
            foreach (var sig in _types)
            {
                sec.Byte(0x60);
                sec.U32((uint)sig.Params.Length);
                foreach (var t in sig.Params) sec.Byte((byte)t);
                sec.U32((uint)sig.Results.Length);
                foreach (var t in sig.Results) sec.Byte((byte)t);
            }
            Section(m, 1, sec);
        }
        VecSection(m, 2, _importCount, _importSec);
        VecSection(m, 3, _funcDefCount, _funcSec);
        VecSection(m, 4, _tableDefCount, _tableSec);
        VecSection(m, 5, _memDefCount, _memSec);
        VecSection(m, 6, _globalDefCount, _globalSec);
        VecSection(m, 7, _exportCount, _exportSec);
        if (_start is uint start)
        {
            var sec = new ByteBuffer(8);
            sec.U32(start);
            Section(m, 8, sec);
        }
        VecSection(m, 9, _elemCount, _elemSec);
        if (_needsDataCount)
        {
            var sec = new ByteBuffer(8);
            sec.U32(_dataCount);
            Section(m, 12, sec);
        }
        VecSection(m, 10, _funcDefCount, _codeSec);
        VecSection(m, 11, _dataCount, _dataSec);
        WriteNameSection(m);
        return m.ToArray();
    }

    private static void Section(ByteBuffer m, byte id, ByteBuffer content)
    {
        m.Byte(id);
        m.Vec(content.Span);
    }

    private static void VecSection(ByteBuffer m, byte id, uint count, ByteBuffer entries)
    {
        if (count == 0) return;
        var header = new ByteBuffer(8);
        header.U32(count);
        m.Byte(id);
        m.U32((uint)(header.Length + entries.Length));
        m.Bytes(header.Span);
        m.Bytes(entries.Span);
    }

    /// <summary>The "name" custom section: module name, function names and local names taken from identifiers.</summary>
    private void WriteNameSection(ByteBuffer m)
    {
        var content = new ByteBuffer(256);
        content.Vec("name"u8);
        bool any = false;
        if (_moduleName is not null)
        {
            var sub = new ByteBuffer(32);
            sub.Vec(System.Text.Encoding.UTF8.GetBytes(_moduleName));
            content.Byte(0);
            content.Vec(sub.Span);
            any = true;
        }
        int named = 0;
        foreach (var n in _funcs.Names) if (n is not null) named++;
        if (named > 0)
        {
            var sub = new ByteBuffer(256);
            sub.U32((uint)named);
            for (int i = 0; i < _funcs.Names.Count; i++)
            {
                if (_funcs.Names[i] is not string name) continue;
                sub.U32((uint)i);
                sub.Vec(System.Text.Encoding.UTF8.GetBytes(name));
            }
            content.Byte(1);
            content.Vec(sub.Span);
            any = true;
        }
        if (_localNames.Count > 0)
        {
            var sub = new ByteBuffer(256);
            sub.U32((uint)_localNames.Count);
            foreach (var (func, locals) in _localNames)
            {
                sub.U32(func);
                locals.Sort((a, b) => a.Index.CompareTo(b.Index));
                sub.U32((uint)locals.Count);
                foreach (var (idx, name) in locals)
                {
                    sub.U32(idx);
                    sub.Vec(System.Text.Encoding.UTF8.GetBytes(name));
                }
            }
            content.Byte(2);
            content.Vec(sub.Span);
            any = true;
        }
        if (any) Section(m, 0, content);
    }
}
