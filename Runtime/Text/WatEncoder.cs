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
internal sealed partial class WatEncoder : TokenParser
{
    private const int MaxNesting = 1000;


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
        : base(src, file, tokens, strings, start)
    {
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

    /// <summary>True when the next tokens are <c>( kw</c>.</summary>
    private bool AtField(string kw) => Peek().Kind == TokenKind.LParen && IsKeyword(Peek(1), kw);

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
}
