using System.Buffers.Binary;
using Sharptime.Format;

namespace Sharptime.Text;

/// <summary>Per-function state while encoding instructions: local identifiers and the label stack.</summary>
internal sealed class FuncContext
{
    public readonly Dictionary<string, uint> Locals = new(StringComparer.Ordinal);
    public readonly List<(uint Index, string Name)> LocalNames = new();
    public readonly List<Label> Labels = new();
}

internal enum LabelKind : byte
{
    /// <summary>A folded block; closed by its parenthesis.</summary>
    Folded,
    /// <summary>A plain <c>block</c> or <c>loop</c>; closed by <c>end</c>.</summary>
    Plain,
    /// <summary>A plain <c>if</c> that may still take an <c>else</c>.</summary>
    PlainIf,
}

internal struct Label
{
    public string? Name;
    public LabelKind Kind;
}

internal sealed partial class WatEncoder
{
    private int _depth;

    /// <summary>
    /// Encodes instructions until a closing parenthesis (not consumed). Plain blocks are tracked on the label stack
    /// instead of by recursion, so only folded nesting costs stack depth (and that is bounded).
    /// </summary>
    private void InstrList(ByteBuffer buf, FuncContext ctx)
    {
        int baseDepth = ctx.Labels.Count;
        while (true)
        {
            var t = Peek();
            switch (t.Kind)
            {
                case TokenKind.LParen:
                    FoldedInstr(buf, ctx);
                    continue;
                case TokenKind.RParen:
                case TokenKind.Eof:
                    if (ctx.Labels.Count > baseDepth) throw Error(t, "unexpected token: expected 'end'");
                    return;
                case TokenKind.Keyword:
                    break;
                default:
                    throw Error(t, $"unexpected token '{Clip(Text(t))}'");
            }
            var kw = Text(t);
            if (kw.SequenceEqual("end"))
            {
                if (ctx.Labels.Count == baseDepth) throw Unexpected(t);
                Next();
                var label = ctx.Labels[^1];
                ctx.Labels.RemoveAt(ctx.Labels.Count - 1);
                CheckTrailingLabel(label);
                buf.Byte(0x0B);
                continue;
            }
            if (kw.SequenceEqual("else"))
            {
                if (ctx.Labels.Count == baseDepth || ctx.Labels[^1].Kind != LabelKind.PlainIf) throw Unexpected(t);
                Next();
                var label = ctx.Labels[^1];
                CheckTrailingLabel(label);
                label.Kind = LabelKind.Plain;
                ctx.Labels[^1] = label;
                buf.Byte(0x05);
                continue;
            }
            bool isBlock = kw.SequenceEqual("block"), isLoop = kw.SequenceEqual("loop"), isIf = kw.SequenceEqual("if");
            if (isBlock || isLoop || isIf)
            {
                Next();
                string? name = OptionalId();
                buf.Byte(isBlock ? (byte)0x02 : isLoop ? (byte)0x03 : (byte)0x04);
                BlockType(buf);
                ctx.Labels.Add(new Label { Name = name, Kind = isIf ? LabelKind.PlainIf : LabelKind.Plain });
                continue;
            }
            Next();
            PlainOp(buf, ctx, t);
        }
    }

    /// <summary>After <c>end</c> or <c>else</c>, an optional identifier must repeat the block's label.</summary>
    private void CheckTrailingLabel(Label label)
    {
        var t = Peek();
        if (t.Kind != TokenKind.Id) return;
        Next();
        if (label.Name is null || !Text(t)[1..].SequenceEqual(label.Name)) throw Error(t, "mismatching label");
    }

    /// <summary>Encodes one parenthesised (folded) instruction: operands first, then the operator.</summary>
    private void FoldedInstr(ByteBuffer buf, FuncContext ctx)
    {
        var open = Peek();
        // Bounded twice: a fixed depth for predictable behaviour, and the real stack for small-stack threads.
        if (++_depth > MaxNesting || !System.Runtime.CompilerServices.RuntimeHelpers.TryEnsureSufficientExecutionStack())
            throw Error(open, "instructions nested too deeply");
        ExpectLParen();
        var t = Next();
        if (t.Kind != TokenKind.Keyword) throw Error(t, $"unexpected token '{Clip(Text(t))}'");
        var kw = Text(t);
        if (kw.SequenceEqual("block") || kw.SequenceEqual("loop"))
        {
            string? name = OptionalId();
            buf.Byte(kw.SequenceEqual("block") ? (byte)0x02 : (byte)0x03);
            BlockType(buf);
            ctx.Labels.Add(new Label { Name = name, Kind = LabelKind.Folded });
            InstrList(buf, ctx);
            ExpectRParen();
            ctx.Labels.RemoveAt(ctx.Labels.Count - 1);
            buf.Byte(0x0B);
        }
        else if (kw.SequenceEqual("if"))
        {
            string? name = OptionalId();
            var bt = new ByteBuffer(8);
            BlockType(bt);
            // The condition operands come first and sit outside the if's label scope.
            while (Peek().Kind == TokenKind.LParen && !IsKeyword(Peek(1), "then")) FoldedInstr(buf, ctx);
            buf.Byte(0x04);
            buf.Bytes(bt.Span);
            ctx.Labels.Add(new Label { Name = name, Kind = LabelKind.Folded });
            OpenField("then");
            InstrList(buf, ctx);
            ExpectRParen();
            if (AtField("else"))
            {
                Next(); Next();
                buf.Byte(0x05);
                InstrList(buf, ctx);
                ExpectRParen();
            }
            ExpectRParen();
            ctx.Labels.RemoveAt(ctx.Labels.Count - 1);
            buf.Byte(0x0B);
        }
        else
        {
            int start = buf.Length;
            PlainOp(buf, ctx, t);
            int mid = buf.Length;
            while (Peek().Kind == TokenKind.LParen) FoldedInstr(buf, ctx);
            ExpectRParen();
            buf.RotateToEnd(start, mid);
        }
        _depth--;
    }

    /// <summary>Block type: nothing, one result type, or a type use (which may add an implicit type).</summary>
    private void BlockType(ByteBuffer buf)
    {
        if (AtField("type"))
        {
            uint idx = ParseTypeUse(out _, null, allowNames: false);
            buf.S64(idx);
            return;
        }
        var ps = new List<ValType>();
        var rs = new List<ValType>();
        ParseSignature(ps, rs, null, allowNames: false);
        if (ps.Count == 0 && rs.Count == 0) buf.Byte(0x40);
        else if (ps.Count == 0 && rs.Count == 1) buf.Byte((byte)rs[0]);
        else buf.S64(InternType(new FuncSig(ps.ToArray(), rs.ToArray())));
    }

    private static void EmitOpcode(ByteBuffer buf, OperatorInfo info)
    {
        if (info.Prefix == 0)
        {
            buf.Byte((byte)info.Code);
        }
        else
        {
            buf.Byte(info.Prefix);
            buf.U32(info.Code);
        }
    }

    /// <summary>Encodes one operator (its token already consumed) with its immediates.</summary>
    private void PlainOp(ByteBuffer buf, FuncContext ctx, Token opTok)
    {
        if (!OperatorTable.TryGetByName(Text(opTok), out var info) ||
            info.Opcode is Opcode.Block or Opcode.Loop or Opcode.If or Opcode.Else or Opcode.End)
        {
            // Clause keywords in instruction position are misplaced syntax rather than unknown operators.
            if (Text(opTok) is "type" or "param" or "result" or "local" or "then" or "else" or "end" or "item" or "offset" or "export" or "import")
                throw Error(opTok, $"unexpected token '{Text(opTok)}'");
            throw Error(opTok, $"unknown operator {Clip(Text(opTok))}");
        }
        if (info.Opcode == Opcode.Select)
        {
            if (!AtField("result"))
            {
                buf.Byte(0x1B);
                return;
            }
            var types = new List<ValType>();
            while (AtField("result"))
            {
                Next(); Next();
                while (Peek().Kind != TokenKind.RParen) types.Add(ExpectValType());
                ExpectRParen();
            }
            buf.Byte(0x1C);
            buf.U32((uint)types.Count);
            foreach (var ty in types) buf.Byte((byte)ty);
            return;
        }
        EmitOpcode(buf, info);
        switch (info.Immediate)
        {
            case ImmediateKind.None:
                break;
            case ImmediateKind.LabelIndex:
                buf.U32(ResolveLabel(ctx));
                break;
            case ImmediateKind.BrTable:
            {
                var labels = new List<uint>();
                while (PeekIsIndex()) labels.Add(ResolveLabel(ctx));
                if (labels.Count == 0) throw Unexpected(Peek());
                buf.U32((uint)(labels.Count - 1));
                foreach (var l in labels) buf.U32(l);
                break;
            }
            case ImmediateKind.FunctionIndex:
                buf.U32(ResolveIndex(_funcs));
                break;
            case ImmediateKind.CallIndirect:
            {
                uint table = PeekIsIndex() ? ResolveIndex(_tables) : 0;
                uint type = ParseTypeUse(out _, null, allowNames: false);
                buf.U32(type);
                buf.U32(table);
                break;
            }
            case ImmediateKind.LocalIndex:
                buf.U32(ResolveLocal(ctx));
                break;
            case ImmediateKind.GlobalIndex:
                buf.U32(ResolveIndex(_globals));
                break;
            case ImmediateKind.TableIndex:
                buf.U32(PeekIsIndex() ? ResolveIndex(_tables) : 0);
                break;
            case ImmediateKind.MemArg:
                MemArg(buf, info);
                break;
            case ImmediateKind.MemoryIndex:
                buf.U32(PeekIsIndex() ? ResolveIndex(_mems) : 0);
                break;
            case ImmediateKind.I32:
                buf.S32((int)(uint)IntLiteral(Next(), 32));
                break;
            case ImmediateKind.I64:
                buf.S64((long)IntLiteral(Next(), 64));
                break;
            case ImmediateKind.F32:
                buf.U32Fixed(F32Literal(Next()));
                break;
            case ImmediateKind.F64:
                buf.U64Fixed(F64Literal(Next()));
                break;
            case ImmediateKind.V128:
            {
                Span<byte> bytes = stackalloc byte[16];
                V128Literal(bytes);
                buf.Bytes(bytes);
                break;
            }
            case ImmediateKind.HeapType:
            {
                var t = Next();
                if (IsKeyword(t, "func")) buf.Byte(0x70);
                else if (IsKeyword(t, "extern")) buf.Byte(0x6F);
                else throw Unexpected(t);
                break;
            }
            case ImmediateKind.MemoryInit:
            {
                uint mem = 0;
                if (IsIndexToken(Peek()) && IsIndexToken(Peek(1))) mem = ResolveIndex(_mems);
                buf.U32(ResolveIndex(_datas));
                buf.U32(mem);
                _needsDataCount = true;
                break;
            }
            case ImmediateKind.DataIndex:
                buf.U32(ResolveIndex(_datas));
                _needsDataCount = true;
                break;
            case ImmediateKind.MemoryCopy:
            {
                uint dst = 0, src = 0;
                if (PeekIsIndex())
                {
                    dst = ResolveIndex(_mems);
                    src = ResolveIndex(_mems);
                }
                buf.U32(dst);
                buf.U32(src);
                break;
            }
            case ImmediateKind.TableInit:
            {
                uint table = 0;
                if (IsIndexToken(Peek()) && IsIndexToken(Peek(1))) table = ResolveIndex(_tables);
                buf.U32(ResolveIndex(_elems));
                buf.U32(table);
                break;
            }
            case ImmediateKind.ElemIndex:
                buf.U32(ResolveIndex(_elems));
                break;
            case ImmediateKind.TableCopy:
            {
                uint dst = 0, src = 0;
                if (PeekIsIndex())
                {
                    dst = ResolveIndex(_tables);
                    src = ResolveIndex(_tables);
                }
                buf.U32(dst);
                buf.U32(src);
                break;
            }
            case ImmediateKind.LaneIndex:
                buf.Byte(LaneIndex(Next()));
                break;
            case ImmediateKind.MemArgLane:
                MemArg(buf, info);
                buf.Byte(LaneIndex(Next()));
                break;
            case ImmediateKind.Shuffle:
                for (int i = 0; i < 16; i++)
                {
                    var t = Peek();
                    if (t.Kind is TokenKind.LParen or TokenKind.RParen or TokenKind.Eof)
                        throw Error(t, "invalid lane length: expected 16 lane indices");
                    buf.Byte(LaneIndex(Next(), shuffle: true));
                }
                if (Peek().Kind == TokenKind.Atom) throw Error(Peek(), "invalid lane length: expected 16 lane indices");
                break;
            default:
                throw Error(opTok, $"unknown operator {Clip(Text(opTok))}");
        }
    }

    private bool IsIndexToken(Token t) =>
        t.Kind == TokenKind.Id || (t.Kind == TokenKind.Atom && _src[t.Start] is >= '0' and <= '9');

    private uint ResolveLabel(FuncContext ctx)
    {
        var t = Next();
        if (t.Kind == TokenKind.Id)
        {
            var name = Text(t)[1..];
            for (int i = ctx.Labels.Count - 1; i >= 0; i--)
            {
                if (ctx.Labels[i].Name is string n && name.SequenceEqual(n)) return (uint)(ctx.Labels.Count - 1 - i);
            }
            throw Error(t, $"unknown label {Text(t)}");
        }
        return ParseU32(t, "i32");
    }

    private uint ResolveLocal(FuncContext ctx)
    {
        var t = Next();
        if (t.Kind == TokenKind.Id)
        {
            var lookup = ctx.Locals.GetAlternateLookup<ReadOnlySpan<char>>();
            if (lookup.TryGetValue(Text(t)[1..], out uint idx)) return idx;
            throw Error(t, $"unknown local {Text(t)}");
        }
        return ParseU32(t, "i32");
    }

    private void MemArg(ByteBuffer buf, OperatorInfo info)
    {
        ulong offset = 0;
        int alignLog2 = info.NaturalAlignmentLog2;
        var t = Peek();
        if (t.Kind == TokenKind.Keyword && Text(t).StartsWith("offset="))
        {
            Next();
            var st = NumberParser.ParseNat(Text(t)["offset=".Length..], out offset);
            if (st == NumberStatus.Malformed) throw Error(t, $"unknown operator: malformed offset '{Clip(Text(t))}'");
            if (st == NumberStatus.OutOfRange || offset > uint.MaxValue) throw Error(t, "i32 constant out of range: offset");
            t = Peek();
        }
        if (t.Kind == TokenKind.Keyword && Text(t).StartsWith("align="))
        {
            Next();
            var st = NumberParser.ParseNat(Text(t)["align=".Length..], out ulong align);
            if (st == NumberStatus.Malformed) throw Error(t, $"unknown operator: malformed alignment '{Clip(Text(t))}'");
            if (st == NumberStatus.OutOfRange || align == 0 || (align & (align - 1)) != 0 || align > uint.MaxValue)
                throw Error(t, "alignment must be a power of two");
            alignLog2 = System.Numerics.BitOperations.Log2(align);
        }
        buf.U32((uint)alignLog2);
        buf.U32((uint)offset);
    }

    private byte LaneIndex(Token t, bool shuffle = false)
    {
        var st = t.Kind == TokenKind.Atom ? NumberParser.ParseNat(Text(t), out ulong v) : Fail(out v);
        // The spec words a non-numeric lane "malformed lane index" for shuffles, "unexpected token" elsewhere.
        if (st == NumberStatus.Malformed)
            throw Error(t, shuffle ? $"malformed lane index '{Clip(Text(t))}'" : $"unexpected token '{Clip(Text(t))}': expected a lane index");
        if (st == NumberStatus.OutOfRange || v > 255) throw Error(t, "malformed lane index: out of range");
        return (byte)v;
    }

    private static NumberStatus Fail(out ulong v)
    {
        v = 0;
        return NumberStatus.Malformed;
    }

    private ulong IntLiteral(Token t, int bits)
    {
        if (t.Kind != TokenKind.Atom) throw Unexpected(t);
        var st = NumberParser.ParseInt(Text(t), bits, out ulong v);
        if (st == NumberStatus.Malformed) throw Error(t, $"unknown operator: malformed i{bits} literal '{Clip(Text(t))}'");
        if (st == NumberStatus.OutOfRange) throw Error(t, "constant out of range");
        return v;
    }

    private uint F32Literal(Token t)
    {
        if (t.Kind is not (TokenKind.Atom or TokenKind.Keyword)) throw Unexpected(t);
        var st = NumberParser.ParseF32(Text(t), out uint v);
        if (st == NumberStatus.Malformed) throw MalformedLiteral(t, "f32");
        if (st == NumberStatus.OutOfRange) throw Error(t, "constant out of range");
        return v;
    }

    private ulong F64Literal(Token t)
    {
        if (t.Kind is not (TokenKind.Atom or TokenKind.Keyword)) throw Unexpected(t);
        var st = NumberParser.ParseF64(Text(t), out ulong v);
        if (st == NumberStatus.Malformed) throw MalformedLiteral(t, "f64");
        if (st == NumberStatus.OutOfRange) throw Error(t, "constant out of range");
        return v;
    }

    /// <summary>NaN patterns belong to scripts' expected results; the reference lexer has them as separate tokens.</summary>
    private MalformedModuleException MalformedLiteral(Token t, string type) =>
        Text(t) is "nan:canonical" or "nan:arithmetic"
            ? Error(t, $"unexpected token '{Text(t)}'")
            : Error(t, $"unknown operator: malformed {type} literal '{Clip(Text(t))}'");

    /// <summary>Parses <c>shape lane*</c> after <c>v128.const</c> into 16 little-endian bytes.</summary>
    private void V128Literal(Span<byte> bytes)
    {
        var shapeTok = Next();
        if (shapeTok.Kind != TokenKind.Keyword) throw Unexpected(shapeTok);
        var shape = Text(shapeTok);
        int lanes = shape switch
        {
            "i8x16" => 16,
            "i16x8" => 8,
            "i32x4" => 4,
            "i64x2" => 2,
            "f32x4" => 4,
            "f64x2" => 2,
            _ => throw Error(shapeTok, $"unexpected token: unknown vector shape '{Clip(shape)}'"),
        };
        bool isFloat = shape[0] == 'f';
        int width = 16 / lanes;
        for (int i = 0; i < lanes; i++)
        {
            var t = Peek();
            if (t.Kind != TokenKind.Atom && !(isFloat && t.Kind == TokenKind.Keyword))
                throw Error(t, "wrong number of lane literals");
            Next();
            var lane = bytes.Slice(i * width, width);
            switch (width)
            {
                case 1 when !isFloat: lane[0] = (byte)IntLiteral(t, 8); break;
                case 2: BinaryPrimitives.WriteUInt16LittleEndian(lane, (ushort)IntLiteral(t, 16)); break;
                case 4 when isFloat: BinaryPrimitives.WriteUInt32LittleEndian(lane, F32Literal(t)); break;
                case 4: BinaryPrimitives.WriteUInt32LittleEndian(lane, (uint)IntLiteral(t, 32)); break;
                case 8 when isFloat: BinaryPrimitives.WriteUInt64LittleEndian(lane, F64Literal(t)); break;
                default: BinaryPrimitives.WriteUInt64LittleEndian(lane, IntLiteral(t, 64)); break;
            }
        }
        if (Peek().Kind == TokenKind.Atom) throw Error(Peek(), "wrong number of lane literals");
    }
}
