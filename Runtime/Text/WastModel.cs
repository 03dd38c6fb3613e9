using System.Buffers.Binary;
using Sharptime.Format;

namespace Sharptime.Text;

/// <summary>How a script module was written.</summary>
internal enum WastModuleKind : byte
{
    /// <summary><c>(module ...)</c> with fields, or top-level fields without a wrapper.</summary>
    Text,
    /// <summary><c>(module binary "...")</c>.</summary>
    Binary,
    /// <summary><c>(module quote "...")</c>: text that is only parsed when the module is encoded.</summary>
    Quote,
    /// <summary><c>(component ...)</c> with fields. Runtime only keeps the tokens; ComponentModel encodes them.</summary>
    ComponentText,
    /// <summary><c>(component binary "...")</c>.</summary>
    ComponentBinary,
    /// <summary><c>(component quote "...")</c>.</summary>
    ComponentQuote,
}

/// <summary>
/// A module in a script. Text and quoted modules are kept unparsed until <see cref="Encode"/>, so a malformed
/// module in <c>assert_malformed</c> is reported when the runner "compiles" it, not when the script is read.
/// </summary>
internal sealed class WastModule
{
    private readonly string? _src;
    private readonly Lexer? _lexer;
    private readonly List<Token>? _tokens;
    private readonly List<byte[]>? _strings;
    private readonly int _firstToken;
    private readonly byte[]? _bytes;

    private WastModule(WastModuleKind kind, string? name, string? fileName, int line, byte[]? bytes,
        string? src, Lexer? lexer, int firstToken, bool isDefinition = false)
    {
        IsDefinition = isDefinition;
        _lexer = lexer;
        Kind = kind;
        Name = name;
        FileName = fileName;
        Line = line;
        _bytes = bytes;
        _src = src;
        _tokens = lexer?.Tokens;
        _strings = lexer?.Strings;
        _firstToken = firstToken;
    }

    internal static WastModule FromBinary(string? name, string? fileName, int line, byte[] bytes) =>
        new(WastModuleKind.Binary, name, fileName, line, bytes, null, null, 0);

    internal static WastModule FromQuote(string? name, string? fileName, int line, byte[] utf8Text) =>
        new(WastModuleKind.Quote, name, fileName, line, utf8Text, null, null, 0);

    internal static WastModule FromTokens(string? name, string? fileName, int line, string src, Lexer lexer, int firstToken) =>
        new(WastModuleKind.Text, name, fileName, line, null, src, lexer, firstToken);

    /// <summary>A component form; <paramref name="kind"/> is one of the component kinds.</summary>
    internal static WastModule Component(WastModuleKind kind, string? name, string? fileName, int line, bool isDefinition,
        byte[]? bytes, string? src, Lexer? lexer, int firstToken) =>
        new(kind, name, fileName, line, bytes, src, lexer, firstToken, isDefinition);

    public WastModuleKind Kind { get; }

    /// <summary>A component (encoded by ComponentModel, not by <see cref="Encode"/>).</summary>
    public bool IsComponent => Kind >= WastModuleKind.ComponentText;

    /// <summary><c>(component definition ...)</c>: compiled but not instantiated; instantiated later by name.</summary>
    public bool IsDefinition { get; }

    /// <summary>For text kinds: the script source, its tokens and the first token after the name.</summary>
    internal string? Source => _src;
    internal Lexer? Tokens => _lexer;
    internal int FirstToken => _firstToken;

    /// <summary>For binary kinds: the bytes; for quote kinds: the UTF-8 text. Not copied: do not modify.</summary>
    internal byte[]? RawBytes => _bytes;

    /// <summary>
    /// Throws the first lexical error inside a text module's tokens: such errors surface before any syntax error,
    /// as they would from a lexer run on the module alone.
    /// </summary>
    internal void ThrowFirstLexicalError()
    {
        if (_tokens is null) return;
        int depth = 0;
        for (int i = _firstToken; i < _tokens.Count; i++)
        {
            var t = _tokens[i];
            if (t.Kind == TokenKind.Error) throw _lexer!.ErrorOf(t);
            if (t.Kind == TokenKind.Eof || (t.Kind == TokenKind.RParen && --depth < 0)) break;
            if (t.Kind == TokenKind.LParen) depth++;
        }
    }

    /// <summary>The <c>$name</c> the script gives the module (without <c>$</c>), or null.</summary>
    public string? Name { get; }

    public string? FileName { get; }

    /// <summary>1-based line of the module in the script.</summary>
    public int Line { get; }

    /// <summary>For <see cref="WastModuleKind.Quote"/>: the concatenated source text, as written (UTF-8).</summary>
    public ReadOnlySpan<byte> QuotedText => Kind is WastModuleKind.Quote or WastModuleKind.ComponentQuote ? _bytes : default;

    /// <summary>For <see cref="WastModuleKind.Text"/>: the module's fields as written in the script.</summary>
    public string? FieldsText
    {
        get
        {
            if (Kind is not (WastModuleKind.Text or WastModuleKind.ComponentText)) return null;
            int depth = 0, i = _firstToken;
            for (; i < _tokens!.Count; i++)
            {
                var t = _tokens[i];
                if (t.Kind == TokenKind.LParen) depth++;
                else if (t.Kind == TokenKind.RParen && --depth < 0) break;
                else if (t.Kind == TokenKind.Eof) break;
            }
            int start = _tokens[_firstToken].Start;
            return _src!.Substring(start, _tokens[i].Start - start);
        }
    }

    /// <summary>
    /// The binary module: the bytes of a binary module, or the encoding of a text or quoted one.
    /// </summary>
    /// <exception cref="MalformedModuleException">The text or quoted module is malformed.</exception>
    /// <exception cref="InvalidOperationException">This is a component: ComponentModel encodes those.</exception>
    public byte[] Encode()
    {
        switch (Kind)
        {
            case WastModuleKind.ComponentText or WastModuleKind.ComponentBinary or WastModuleKind.ComponentQuote:
                throw new InvalidOperationException("components are encoded by Sharptime.ComponentModel");
            case WastModuleKind.Binary:
                return (byte[])_bytes!.Clone();
            case WastModuleKind.Quote:
            {
                if (!System.Text.Unicode.Utf8.IsValid(_bytes))
                    throw new MalformedModuleException("malformed UTF-8 encoding", FileName, Line, 1);
                string text = System.Text.Encoding.UTF8.GetString(_bytes!);
                // Positions in quoted text are relative to the quote's own text.
                return Wat.ToBinary(text, FileName is null ? null : $"{FileName}:{Line} (quote)");
            }
            default:
            {
                ThrowFirstLexicalError();
                return WatEncoder.EncodeTokens(_src!, FileName, _tokens!, _strings!, _firstToken, Name);
            }
        }
    }
}

/// <summary>The lane interpretation a <c>v128.const</c> was written in.</summary>
internal enum V128Shape : byte
{
    I8x16,
    I16x8,
    I32x4,
    I64x2,
    F32x4,
    F64x2,
}

/// <summary>A NaN pattern in an expected result: any canonical NaN, or any arithmetic NaN.</summary>
internal enum NanPattern : byte
{
    None,
    Canonical,
    Arithmetic,
}

/// <summary>
/// A value in a script: an argument or an expected result. Numbers are raw bit patterns (v128 as two
/// little-endian halves); expected floats may be NaN patterns (per lane for v128); references are null,
/// an extern handle, a function, or "any non-null" when written without an index.
/// </summary>
internal readonly struct WastValue
{
    private readonly byte _laneNans; // 2 bits per float lane

    private WastValue(ValType type, ulong low, ulong high, NanPattern nan, V128Shape shape, byte laneNans, bool isNull, bool anyRef,
        string? opaque = null)
    {
        OpaqueText = opaque;
        Type = type;
        Low = low;
        High = high;
        Nan = nan;
        Shape = shape;
        _laneNans = laneNans;
        IsNull = isNull;
        IsAnyRef = anyRef;
    }

    public ValType Type { get; }

    /// <summary>
    /// For a value the runtime does not model yet (component values such as <c>(str.const "a")</c>): its text as
    /// written; <see cref="Type"/> is meaningless then. Scripts with such values parse, but cannot be run yet.
    /// </summary>
    public string? OpaqueText { get; }

    public bool IsOpaque => OpaqueText is not null;

    /// <summary>Bits of i32/i64/f32/f64 (zero-extended), the low half of a v128, or the extern handle of <c>ref.extern N</c>.</summary>
    public ulong Low { get; }

    /// <summary>The high half of a v128.</summary>
    public ulong High { get; }

    /// <summary>For an expected f32/f64: a NaN pattern instead of exact bits.</summary>
    public NanPattern Nan { get; }

    /// <summary>For v128: the shape the lanes were written in.</summary>
    public V128Shape Shape { get; }

    /// <summary>For references: <c>ref.null</c>.</summary>
    public bool IsNull { get; }

    /// <summary>For expected references: <c>(ref.extern)</c> / <c>(ref.func)</c> without an index, matching any non-null reference.</summary>
    public bool IsAnyRef { get; }

    public int I32 => (int)Low;
    public long I64 => (long)Low;
    public uint F32Bits => (uint)Low;
    public ulong F64Bits => Low;

    /// <summary>The NaN pattern expected in lane <paramref name="lane"/> of an f32x4/f64x2 result.</summary>
    public NanPattern LaneNan(int lane) => (NanPattern)((_laneNans >> (lane * 2)) & 3);

    /// <summary>True when any lane holds a NaN pattern rather than exact bits.</summary>
    public bool HasLaneNans => _laneNans != 0;

    public void WriteV128(Span<byte> dest)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(dest, Low);
        BinaryPrimitives.WriteUInt64LittleEndian(dest[8..], High);
    }

    /// <summary>
    /// Whether a numeric or v128 result, given as its 16-byte little-endian value slot, is what this expected
    /// value allows: exact bits, or a NaN of the required kind (per lane for v128). References are compared
    /// by the runner, which knows how they are represented.
    /// </summary>
    public bool MatchesNumeric(ReadOnlySpan<byte> slot)
    {
        if (IsOpaque) throw new InvalidOperationException($"{OpaqueText} is not a core value");
        ulong low = BinaryPrimitives.ReadUInt64LittleEndian(slot);
        switch (Type)
        {
            case ValType.I32: return (uint)low == (uint)Low;
            case ValType.I64: return low == Low;
            case ValType.F32: return MatchF32((uint)low, (uint)Low, Nan);
            case ValType.F64: return MatchF64(low, Low, Nan);
            case ValType.V128:
            {
                ulong high = BinaryPrimitives.ReadUInt64LittleEndian(slot[8..]);
                if (!HasLaneNans) return low == Low && high == High;
                Span<byte> expected = stackalloc byte[16];
                WriteV128(expected);
                int lanes = Shape == V128Shape.F32x4 ? 4 : 2;
                for (int i = 0; i < lanes; i++)
                {
                    bool ok = Shape == V128Shape.F32x4
                        ? MatchF32(BinaryPrimitives.ReadUInt32LittleEndian(slot[(i * 4)..]), BinaryPrimitives.ReadUInt32LittleEndian(expected[(i * 4)..]), LaneNan(i))
                        : MatchF64(BinaryPrimitives.ReadUInt64LittleEndian(slot[(i * 8)..]), BinaryPrimitives.ReadUInt64LittleEndian(expected[(i * 8)..]), LaneNan(i));
                    if (!ok) return false;
                }
                return true;
            }
            default:
                throw new InvalidOperationException($"{Type.Name()} values are compared by the runner");
        }
    }

    // Canonical NaN: only the quiet bit set in the payload (either sign). Arithmetic NaN: the quiet bit set.
    private static bool MatchF32(uint actual, uint expected, NanPattern nan) => nan switch
    {
        NanPattern.Canonical => (actual & 0x7FFF_FFFF) == 0x7FC0_0000,
        NanPattern.Arithmetic => (actual & 0x7FC0_0000) == 0x7FC0_0000,
        _ => actual == expected,
    };

    private static bool MatchF64(ulong actual, ulong expected, NanPattern nan) => nan switch
    {
        NanPattern.Canonical => (actual & 0x7FFF_FFFF_FFFF_FFFF) == 0x7FF8_0000_0000_0000,
        NanPattern.Arithmetic => (actual & 0x7FF8_0000_0000_0000) == 0x7FF8_0000_0000_0000,
        _ => actual == expected,
    };

    public static WastValue FromI32(int v) => new(ValType.I32, (uint)v, 0, NanPattern.None, default, 0, false, false);
    public static WastValue FromI64(long v) => new(ValType.I64, (ulong)v, 0, NanPattern.None, default, 0, false, false);
    public static WastValue FromF32Bits(uint v) => new(ValType.F32, v, 0, NanPattern.None, default, 0, false, false);
    public static WastValue FromF64Bits(ulong v) => new(ValType.F64, v, 0, NanPattern.None, default, 0, false, false);
    public static WastValue NanOf(ValType type, NanPattern nan) => new(type, 0, 0, nan, default, 0, false, false);

    public static WastValue FromV128(ulong low, ulong high, V128Shape shape, byte laneNans = 0) =>
        new(ValType.V128, low, high, NanPattern.None, shape, laneNans, false, false);

    public static WastValue NullRef(ValType type) => new(type, 0, 0, NanPattern.None, default, 0, true, false);
    public static WastValue ExternRef(ulong handle) => new(ValType.ExternRef, handle, 0, NanPattern.None, default, 0, false, false);
    public static WastValue FuncRef(ulong index) => new(ValType.FuncRef, index, 0, NanPattern.None, default, 0, false, false);
    public static WastValue AnyRef(ValType type) => new(type, 0, 0, NanPattern.None, default, 0, false, true);
    public static WastValue Opaque(string text) => new(default, 0, 0, NanPattern.None, default, 0, false, false, text);

    public override string ToString() => OpaqueText ?? Type switch
    {
        ValType.I32 => $"i32:{I32}",
        ValType.I64 => $"i64:{I64}",
        ValType.F32 => Nan != NanPattern.None ? $"f32:nan:{Nan}" : $"f32:0x{F32Bits:x8}",
        ValType.F64 => Nan != NanPattern.None ? $"f64:nan:{Nan}" : $"f64:0x{F64Bits:x16}",
        ValType.V128 => $"v128:0x{High:x16}{Low:x16}",
        _ => IsNull ? $"{Type.Name()}:null" : IsAnyRef ? $"{Type.Name()}:any" : $"{Type.Name()}:{Low}",
    };
}

/// <summary>An action: call an export, or read an exported global.</summary>
internal abstract record WastAction(int Line, string? ModuleName, string Field);

/// <summary><c>(invoke $mod? "name" arg*)</c>.</summary>
internal sealed record WastInvoke(int Line, string? ModuleName, string Field, WastValue[] Args) : WastAction(Line, ModuleName, Field);

/// <summary><c>(get $mod? "name")</c>.</summary>
internal sealed record WastGet(int Line, string? ModuleName, string Field) : WastAction(Line, ModuleName, Field);

/// <summary>One script command; <see cref="Line"/> is where it starts (1-based).</summary>
internal abstract record WastCommand(int Line)
{
    /// <summary>The module the command defines or asserts about, or null for commands without one (actions, register).</summary>
    public WastModule? ModuleOrNull => this switch
    {
        WastModuleCommand c => c.Module,
        WastAssertMalformed c => c.Module,
        WastAssertInvalid c => c.Module,
        WastAssertUnlinkable c => c.Module,
        WastAssertUninstantiable c => c.Module,
        WastAssertTrap c => c.Module,
        _ => null,
    };
}

/// <summary><c>(module ...)</c>: compile and instantiate; it becomes the current module.</summary>
internal sealed record WastModuleCommand(int Line, WastModule Module) : WastCommand(Line);

/// <summary><c>(register "name" $mod?)</c>: make a module's exports importable under <paramref name="As"/>.</summary>
internal sealed record WastRegister(int Line, string As, string? ModuleName) : WastCommand(Line);

/// <summary>A bare action whose result is ignored.</summary>
internal sealed record WastActionCommand(int Line, WastAction Action) : WastCommand(Line);

internal sealed record WastAssertReturn(int Line, WastAction Action, WastValue[] Expected) : WastCommand(Line);

/// <summary><c>assert_trap</c> of an action, or of a module whose instantiation traps (then <see cref="Action"/> is null).</summary>
internal sealed record WastAssertTrap(int Line, WastAction? Action, WastModule? Module, string Message) : WastCommand(Line);

internal sealed record WastAssertExhaustion(int Line, WastAction Action, string Message) : WastCommand(Line);

internal sealed record WastAssertMalformed(int Line, WastModule Module, string Message) : WastCommand(Line);

internal sealed record WastAssertInvalid(int Line, WastModule Module, string Message) : WastCommand(Line);

internal sealed record WastAssertUnlinkable(int Line, WastModule Module, string Message) : WastCommand(Line);

internal sealed record WastAssertUninstantiable(int Line, WastModule Module, string Message) : WastCommand(Line);

/// <summary>
/// <c>(component instance $name $definition)</c>: instantiate a <c>component definition</c> under a new name.
/// Names are without <c>$</c>.
/// </summary>
internal sealed record WastInstanceCommand(int Line, string InstanceName, string DefinitionName) : WastCommand(Line);

/// <summary>A parsed <c>.wast</c> script.</summary>
internal sealed class WastScript
{
    internal WastScript(string? fileName, IReadOnlyList<WastCommand> commands)
    {
        FileName = fileName;
        Commands = commands;
    }

    public string? FileName { get; }

    public IReadOnlyList<WastCommand> Commands { get; }

    /// <summary>Parses a script. Modules inside it are not encoded yet; see <see cref="WastModule.Encode"/>.</summary>
    /// <exception cref="MalformedModuleException">The script itself is malformed.</exception>
    public static WastScript Parse(string text, string? fileName = null) => WastParser.Parse(text, fileName);
}
