using System.Buffers.Binary;
using Sharptime.Format;

namespace Sharptime.Text;

/// <summary>Reads a <c>.wast</c> script into <see cref="WastCommand"/>s, leaving modules unencoded.</summary>
internal sealed class WastParser : TokenParser
{

    private readonly Lexer _lexer;

    private WastParser(string src, string? file, Lexer lex)
        : base(src, file, lex.Tokens, lex.Strings, 0)
    {
        _lexer = lex;
    }

    public static WastScript Parse(string text, string? fileName)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parser = new WastParser(text, fileName, Lexer.Tokenize(text, fileName, recover: true));
        return new WastScript(fileName, parser.Commands());
    }


    private MalformedModuleException Unexpected(Token t) => t.Kind switch
    {
        TokenKind.Eof => Error(t, "unexpected end of script"),
        TokenKind.Error => _lexer.ErrorOf(t),
        _ => Error(t, $"unexpected token '{Text(t)}'"),
    };

    private void Expect(TokenKind kind)
    {
        var t = Next();
        if (t.Kind != kind) throw Unexpected(t);
    }

    private void ExpectKeyword(string kw)
    {
        var t = Next();
        if (!IsKeyword(t, kw)) throw Unexpected(t);
    }

    private string? OptionalId()
    {
        var t = Peek();
        if (t.Kind != TokenKind.Id) return null;
        Next();
        return _src.Substring(t.Start + 1, t.Length - 1);
    }

    private byte[] ExpectStringBytes()
    {
        var t = Next();
        if (t.Kind != TokenKind.String) throw Unexpected(t);
        return _strings[t.StringIndex];
    }

    private string ExpectString()
    {
        var t = Peek();
        var bytes = ExpectStringBytes();
        if (!System.Text.Unicode.Utf8.IsValid(bytes)) throw Error(t, "malformed UTF-8 encoding");
        return System.Text.Encoding.UTF8.GetString(bytes);
    }

    /// <summary>Skips to just past the parenthesis that closes the group whose body starts here.</summary>
    private void SkipToClose(Token open)
    {
        int depth = 1;
        Token? lexError = null;
        while (true)
        {
            var t = Next();
            if (t.Kind == TokenKind.LParen) depth++;
            else if (t.Kind == TokenKind.RParen && --depth == 0) return;
            else if (t.Kind == TokenKind.Error) lexError ??= t;
            // An unclosed string or comment swallows the rest; report that rather than the parenthesis.
            else if (t.Kind == TokenKind.Eof) throw lexError is Token e ? _lexer.ErrorOf(e) : Error(open, "unclosed parenthesis");
        }
    }

    private static bool IsModuleField(ReadOnlySpan<char> kw) =>
        kw is "type" or "import" or "func" or "table" or "memory" or "global" or "export" or "start" or "elem" or "data";

    private List<WastCommand> Commands()
    {
        var commands = new List<WastCommand>();
        // A script may be just module fields: they form one module (see inline-module.wast).
        if (Peek().Kind == TokenKind.LParen && Peek(1).Kind == TokenKind.Keyword && IsModuleField(Text(Peek(1))))
        {
            var first = Peek();
            int start = _p;
            while (Peek().Kind == TokenKind.LParen && Peek(1).Kind == TokenKind.Keyword && IsModuleField(Text(Peek(1))))
            {
                var open = Next();
                SkipToClose(open);
            }
            if (Peek().Kind != TokenKind.Eof) throw Unexpected(Peek());
            commands.Add(new WastModuleCommand(first.Line, WastModule.FromTokens(null, _file, first.Line, _src, _lexer, start)));
            return commands;
        }
        while (Peek().Kind != TokenKind.Eof)
        {
            var open = Peek();
            Expect(TokenKind.LParen);
            var kwTok = Next();
            if (kwTok.Kind != TokenKind.Keyword) throw Unexpected(kwTok);
            int line = open.Line;
            switch (Text(kwTok))
            {
                case "module":
                    commands.Add(new WastModuleCommand(line, ModuleBody(open)));
                    continue; // ModuleBody consumed the ')'
                case "component":
                    if (IsKeyword(Peek(), "instance"))
                    {
                        // (component instance $name $definition): instantiates an earlier definition.
                        Next();
                        string instance = OptionalId() ?? throw Unexpected(Peek());
                        string definition = OptionalId() ?? throw Unexpected(Peek());
                        commands.Add(new WastInstanceCommand(line, instance, definition));
                        break;
                    }
                    commands.Add(new WastModuleCommand(line, ComponentBody(open)));
                    continue; // ComponentBody consumed the ')'
                case "register":
                {
                    string name = ExpectString();
                    string? mod = OptionalId();
                    commands.Add(new WastRegister(line, name, mod));
                    break;
                }
                case "invoke":
                case "get":
                    _p -= 2;
                    commands.Add(new WastActionCommand(line, Action()));
                    continue;
                case "assert_return":
                {
                    var action = Action();
                    var expected = new List<WastValue>();
                    while (Peek().Kind == TokenKind.LParen) expected.Add(Value(expected: true));
                    commands.Add(new WastAssertReturn(line, action, expected.ToArray()));
                    break;
                }
                case "assert_trap":
                {
                    if (Peek().Kind == TokenKind.LParen && (IsKeyword(Peek(1), "module") || IsKeyword(Peek(1), "component")))
                    {
                        var module = ModuleArg();
                        commands.Add(new WastAssertTrap(line, null, module, ExpectString()));
                    }
                    else
                    {
                        var action = Action();
                        commands.Add(new WastAssertTrap(line, action, null, ExpectString()));
                    }
                    break;
                }
                case "assert_exhaustion":
                {
                    var action = Action();
                    commands.Add(new WastAssertExhaustion(line, action, ExpectString()));
                    break;
                }
                case "assert_malformed":
                {
                    var m = ModuleArg();
                    commands.Add(new WastAssertMalformed(line, m, ExpectString()));
                    break;
                }
                case "assert_invalid":
                {
                    var m = ModuleArg();
                    commands.Add(new WastAssertInvalid(line, m, ExpectString()));
                    break;
                }
                case "assert_unlinkable":
                {
                    var m = ModuleArg();
                    commands.Add(new WastAssertUnlinkable(line, m, ExpectString()));
                    break;
                }
                case "assert_uninstantiable":
                {
                    var m = ModuleArg();
                    commands.Add(new WastAssertUninstantiable(line, m, ExpectString()));
                    break;
                }
                default:
                    throw Error(kwTok, $"unknown script command '{Text(kwTok)}'");
            }
            Expect(TokenKind.RParen);
        }
        return commands;
    }

    private WastModule ModuleArg()
    {
        var open = Next();
        if (open.Kind != TokenKind.LParen) throw Unexpected(open);
        var kw = Next();
        if (IsKeyword(kw, "component")) return ComponentBody(open);
        if (!IsKeyword(kw, "module")) throw Unexpected(kw);
        return ModuleBody(open);
    }

    /// <summary>
    /// Parses what follows <c>(component</c>, through the closing parenthesis: <c>definition</c>? <c>$id</c>? then
    /// <c>binary</c>/<c>quote</c> strings or component fields, which are kept as tokens for ComponentModel to encode.
    /// </summary>
    private WastModule ComponentBody(Token open)
    {
        bool definition = false;
        if (IsKeyword(Peek(), "definition"))
        {
            Next();
            definition = true;
        }
        string? name = OptionalId();
        if (IsKeyword(Peek(), "binary") || IsKeyword(Peek(), "quote"))
        {
            bool binary = IsKeyword(Next(), "binary");
            var bytes = new List<byte>();
            while (Peek().Kind == TokenKind.String) bytes.AddRange(ExpectStringBytes());
            Expect(TokenKind.RParen);
            return WastModule.Component(binary ? WastModuleKind.ComponentBinary : WastModuleKind.ComponentQuote,
                name, _file, open.Line, definition, bytes.ToArray(), null, null, 0);
        }
        int start = _p;
        SkipToClose(open);
        return WastModule.Component(WastModuleKind.ComponentText, name, _file, open.Line, definition, null, _src, _lexer, start);
    }

    /// <summary>Parses what follows <c>(module</c>, through the closing parenthesis.</summary>
    private WastModule ModuleBody(Token open)
    {
        string? name = OptionalId();
        if (IsKeyword(Peek(), "binary") || IsKeyword(Peek(), "quote"))
        {
            bool binary = IsKeyword(Next(), "binary");
            var bytes = new List<byte>();
            while (Peek().Kind == TokenKind.String)
            {
                // Pieces are concatenated as they are, as the reference interpreter does.
                bytes.AddRange(ExpectStringBytes());
            }
            Expect(TokenKind.RParen);
            return binary
                ? WastModule.FromBinary(name, _file, open.Line, bytes.ToArray())
                : WastModule.FromQuote(name, _file, open.Line, bytes.ToArray());
        }
        int start = _p;
        SkipToClose(open);
        return WastModule.FromTokens(name, _file, open.Line, _src, _lexer, start);
    }

    private WastAction Action()
    {
        var open = Next();
        if (open.Kind != TokenKind.LParen) throw Unexpected(open);
        var kw = Next();
        if (IsKeyword(kw, "invoke"))
        {
            string? mod = OptionalId();
            string field = ExpectString();
            var args = new List<WastValue>();
            while (Peek().Kind == TokenKind.LParen) args.Add(Value(expected: false));
            Expect(TokenKind.RParen);
            return new WastInvoke(open.Line, mod, field, args.ToArray());
        }
        if (IsKeyword(kw, "get"))
        {
            string? mod = OptionalId();
            string field = ExpectString();
            Expect(TokenKind.RParen);
            return new WastGet(open.Line, mod, field);
        }
        throw Unexpected(kw);
    }

    /// <summary>A constant in an action, or an expected result (which may also be a NaN pattern or any-reference).</summary>
    private WastValue Value(bool expected)
    {
        Expect(TokenKind.LParen);
        var kw = Next();
        if (kw.Kind != TokenKind.Keyword) throw Unexpected(kw);
        WastValue v;
        switch (Text(kw))
        {
            case "i32.const": v = WastValue.FromI32((int)(uint)Int(Next(), 32)); break;
            case "i64.const": v = WastValue.FromI64((long)Int(Next(), 64)); break;
            case "f32.const":
            {
                var t = Next();
                var nan = expected ? NanPatternOf(t) : NanPattern.None;
                v = nan != NanPattern.None ? WastValue.NanOf(ValType.F32, nan) : WastValue.FromF32Bits((uint)Float(t, 32));
                break;
            }
            case "f64.const":
            {
                var t = Next();
                var nan = expected ? NanPatternOf(t) : NanPattern.None;
                v = nan != NanPattern.None ? WastValue.NanOf(ValType.F64, nan) : WastValue.FromF64Bits(Float(t, 64));
                break;
            }
            case "v128.const": v = V128(expected); break;
            case "ref.null":
            {
                var t = Next();
                if (IsKeyword(t, "func")) v = WastValue.NullRef(ValType.FuncRef);
                else if (IsKeyword(t, "extern")) v = WastValue.NullRef(ValType.ExternRef);
                else throw Unexpected(t);
                break;
            }
            case "ref.extern":
                v = Peek().Kind == TokenKind.RParen && expected ? WastValue.AnyRef(ValType.ExternRef) : WastValue.ExternRef(Int(Next(), 64));
                break;
            case "ref.func":
                v = Peek().Kind == TokenKind.RParen && expected ? WastValue.AnyRef(ValType.FuncRef) : WastValue.FuncRef(Int(Next(), 64));
                break;
            default:
                if (!IsComponentValue(Text(kw))) throw Error(kw, $"unexpected token '{Text(kw)}': expected a constant");
                // Component values (strings, records, ...) are kept as text until the component runner exists.
                _p -= 2;
                var valueOpen = Next();
                Next();
                int start = valueOpen.Start;
                SkipToClose(valueOpen);
                var last = _t[_p - 1];
                return WastValue.Opaque(_src.Substring(start, last.Start + last.Length - start));
        }
        Expect(TokenKind.RParen);
        return v;
    }

    /// <summary>
    /// Value forms of component-model scripts: <c>u32.const</c>, <c>str.const</c>, <c>record.const</c>,
    /// <c>option.some</c>, <c>result.ok</c>, ...: a component value type, a dot, and a constructor.
    /// </summary>
    private static bool IsComponentValue(ReadOnlySpan<char> kw)
    {
        int dot = kw.IndexOf('.');
        if (dot <= 0 || dot == kw.Length - 1) return false;
        return kw[..dot] is "bool" or "s8" or "u8" or "s16" or "u16" or "s32" or "u32" or "s64" or "u64" or "f32" or "f64"
            or "char" or "str" or "string" or "list" or "record" or "tuple" or "variant" or "enum" or "flags" or "option"
            or "result" or "own" or "borrow" or "stream" or "future";
    }

    private NanPattern NanPatternOf(Token t)
    {
        if (IsKeyword(t, "nan:canonical")) return NanPattern.Canonical;
        if (IsKeyword(t, "nan:arithmetic")) return NanPattern.Arithmetic;
        return NanPattern.None;
    }

    private ulong Int(Token t, int bits)
    {
        if (t.Kind != TokenKind.Atom) throw Unexpected(t);
        var st = NumberParser.ParseInt(Text(t), bits, out ulong v);
        if (st == NumberStatus.Malformed) throw Unexpected(t);
        if (st == NumberStatus.OutOfRange) throw Error(t, "constant out of range");
        return v;
    }

    private ulong Float(Token t, int bits)
    {
        if (t.Kind is not (TokenKind.Atom or TokenKind.Keyword)) throw Unexpected(t);
        NumberStatus st;
        ulong v;
        if (bits == 32)
        {
            st = NumberParser.ParseF32(Text(t), out uint f);
            v = f;
        }
        else st = NumberParser.ParseF64(Text(t), out v);
        if (st == NumberStatus.Malformed) throw Unexpected(t);
        if (st == NumberStatus.OutOfRange) throw Error(t, "constant out of range");
        return v;
    }

    private WastValue V128(bool expected)
    {
        var shapeTok = Next();
        V128Shape shape = Text(shapeTok) switch
        {
            "i8x16" => V128Shape.I8x16,
            "i16x8" => V128Shape.I16x8,
            "i32x4" => V128Shape.I32x4,
            "i64x2" => V128Shape.I64x2,
            "f32x4" => V128Shape.F32x4,
            "f64x2" => V128Shape.F64x2,
            _ => throw Unexpected(shapeTok),
        };
        int lanes = shape switch { V128Shape.I8x16 => 16, V128Shape.I16x8 => 8, V128Shape.I32x4 or V128Shape.F32x4 => 4, _ => 2 };
        int width = 16 / lanes;
        Span<byte> bytes = stackalloc byte[16];
        byte laneNans = 0;
        for (int i = 0; i < lanes; i++)
        {
            var t = Next();
            var lane = bytes.Slice(i * width, width);
            switch (shape)
            {
                case V128Shape.I8x16: lane[0] = (byte)Int(t, 8); break;
                case V128Shape.I16x8: BinaryPrimitives.WriteUInt16LittleEndian(lane, (ushort)Int(t, 16)); break;
                case V128Shape.I32x4: BinaryPrimitives.WriteUInt32LittleEndian(lane, (uint)Int(t, 32)); break;
                case V128Shape.I64x2: BinaryPrimitives.WriteUInt64LittleEndian(lane, Int(t, 64)); break;
                default:
                {
                    var nan = expected ? NanPatternOf(t) : NanPattern.None;
                    if (nan != NanPattern.None) laneNans |= (byte)((int)nan << (i * 2));
                    else if (width == 4) BinaryPrimitives.WriteUInt32LittleEndian(lane, (uint)Float(t, 32));
                    else BinaryPrimitives.WriteUInt64LittleEndian(lane, Float(t, 64));
                    break;
                }
            }
        }
        return WastValue.FromV128(BinaryPrimitives.ReadUInt64LittleEndian(bytes), BinaryPrimitives.ReadUInt64LittleEndian(bytes[8..]), shape, laneNans);
    }
}
