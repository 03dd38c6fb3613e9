using System.Runtime.CompilerServices;
using Sharptime.Format;

namespace Sharptime.Validation;

/// <summary>
/// The fused decode-and-validate loop: one dispatch per operator on its first byte, immediates read from a local
/// position, stack effects applied in place. Operators it does not handle (prefixed, br_table, tables, references,
/// long or truncated encodings...) go through <see cref="OperatorReader.Read"/> and <see cref="Validate"/>, so
/// the two paths accept and reject exactly the same bodies, with the same exceptions.
/// </summary>
internal sealed partial class OperatorValidator
{
    // Fused kinds (low byte of an entry of Shapes). The loop dispatches on the opcode byte itself; the kinds of the
    // grouped cases (unary, binary, load, store) are checked there, the others name the operator's case.
    private const byte KSlow = 0;
    private const byte KUnreachable = 1;
    private const byte KNop = 2;
    private const byte KBlock = 3;
    private const byte KLoop = 4;
    private const byte KIf = 5;
    private const byte KElse = 6;
    private const byte KEnd = 7;
    private const byte KBr = 8;
    private const byte KBrIf = 9;
    private const byte KReturn = 10;
    private const byte KCall = 11;
    private const byte KDrop = 12;
    private const byte KSelect = 13;
    private const byte KLocalGet = 14;
    private const byte KLocalSet = 15;
    private const byte KLocalTee = 16;
    private const byte KGlobalGet = 17;
    private const byte KGlobalSet = 18;
    private const byte KLoad = 19;
    private const byte KStore = 20;
    private const byte KI32Const = 21;
    private const byte KI64Const = 22;
    private const byte KF32Const = 23;
    private const byte KF64Const = 24;
    private const byte KUnary = 25;
    private const byte KBinary = 26;

    /// <summary>
    /// Per first byte: kind | operand type &lt;&lt; 8 | result type &lt;&lt; 16 | natural alignment &lt;&lt; 24.
    /// The operand type is the one a unary or binary operator pops, or the value a store pops (above its i32 address).
    /// </summary>
    private static readonly uint[] Shapes = CreateShapes();

    /// <summary>
    /// Decodes and validates operators from <paramref name="reader"/> until the function's final <c>end</c>
    /// (the same as calling <see cref="OperatorReader.Read"/> then <see cref="Validate"/> until <see cref="IsFunctionEnded"/>).
    /// </summary>
    public void ValidateFunctionBody(ref OperatorReader reader)
    {
        ReadOnlySpan<byte> code = reader.Code;
        int baseOffset = reader.BaseOffset;
        int pos = reader.Position;
        uint[] shapes = Shapes;
        // The operand stack is kept in locals inside the loop: the fields are written back before anything that
        // uses them (the helpers, the general path) and reloaded after (see Reload).
        ValType[] stack = _operands;
        int sp = _operandCount;
        int floor = _floor;

        // Every fast case checks everything first and changes nothing before it may go to Slow, which decodes and
        // validates the operator again from its start on the general path (which then raises the right error).
        // Only end can finish the function: its fast case checks, and the helpers and the general path return
        // through Reload, which checks.
        if (_frameCount == 0) goto Done;
        while (true)
        {
            int start = pos;
            if ((uint)pos >= (uint)code.Length) goto Slow; // Read reports the missing end
            int opcode = code[pos];
            uint shape = shapes[opcode];
            pos++;

            // Dispatch on the opcode byte itself, not on the shape's kind: the jump then waits for one load, not two.
            // The grouped cases check that the shape agrees (a table mistake then costs speed, not correctness).
            switch (opcode)
            {
                case 0x46: case 0x47: case 0x48: case 0x49: case 0x4A: case 0x4B: case 0x4C: case 0x4D:
                case 0x4E: case 0x4F: case 0x51: case 0x52: case 0x53: case 0x54: case 0x55: case 0x56:
                case 0x57: case 0x58: case 0x59: case 0x5A: case 0x5B: case 0x5C: case 0x5D: case 0x5E:
                case 0x5F: case 0x60: case 0x61: case 0x62: case 0x63: case 0x64: case 0x65: case 0x66:
                case 0x6A: case 0x6B: case 0x6C: case 0x6D: case 0x6E: case 0x6F: case 0x70: case 0x71:
                case 0x72: case 0x73: case 0x74: case 0x75: case 0x76: case 0x77: case 0x78: case 0x7C:
                case 0x7D: case 0x7E: case 0x7F: case 0x80: case 0x81: case 0x82: case 0x83: case 0x84:
                case 0x85: case 0x86: case 0x87: case 0x88: case 0x89: case 0x8A: case 0x92: case 0x93:
                case 0x94: case 0x95: case 0x96: case 0x97: case 0x98: case 0xA0: case 0xA1: case 0xA2:
                case 0xA3: case 0xA4: case 0xA5: case 0xA6:
                {
                    if ((byte)shape != KBinary) goto Slow;
                    ValType t = (ValType)(byte)(shape >> 8);
                    int n = sp - 2;
                    if (n < floor || stack[n + 1] != t || stack[n] != t) goto Slow;
                    stack[n] = (ValType)(byte)(shape >> 16);
                    sp = n + 1;
                    continue;
                }

                case 0x45: case 0x50: case 0x67: case 0x68: case 0x69: case 0x79: case 0x7A: case 0x7B:
                case 0x8B: case 0x8C: case 0x8D: case 0x8E: case 0x8F: case 0x90: case 0x91: case 0x99:
                case 0x9A: case 0x9B: case 0x9C: case 0x9D: case 0x9E: case 0x9F: case 0xA7: case 0xA8:
                case 0xA9: case 0xAA: case 0xAB: case 0xAC: case 0xAD: case 0xAE: case 0xAF: case 0xB0:
                case 0xB1: case 0xB2: case 0xB3: case 0xB4: case 0xB5: case 0xB6: case 0xB7: case 0xB8:
                case 0xB9: case 0xBA: case 0xBB: case 0xBC: case 0xBD: case 0xBE: case 0xBF: case 0xC0:
                case 0xC1: case 0xC2: case 0xC3: case 0xC4:
                {
                    if ((byte)shape != KUnary) goto Slow;
                    int n = sp - 1;
                    if (n < floor || stack[n] != (ValType)(byte)(shape >> 8)) goto Slow;
                    stack[n] = (ValType)(byte)(shape >> 16);
                    continue;
                }

                case 0x20: // LocalGet
                {
                    pos = ReadU32(code, pos, out uint index);
                    if (pos < 0) goto Slow;
                    ValType t = _locals.TypeOrZero(index);
                    if (t == 0 || (uint)sp >= (uint)stack.Length) goto Slow;
                    stack[sp++] = t;
                    CountUse(index);
                    continue;
                }

                case 0x21: // LocalSet
                {
                    pos = ReadU32(code, pos, out uint index);
                    if (pos < 0) goto Slow;
                    ValType t = _locals.TypeOrZero(index);
                    int n = sp - 1;
                    if (t == 0 || n < floor || stack[n] != t) goto Slow;
                    sp = n;
                    CountUse(index);
                    continue;
                }

                case 0x22: // LocalTee
                {
                    pos = ReadU32(code, pos, out uint index);
                    if (pos < 0) goto Slow;
                    ValType t = _locals.TypeOrZero(index);
                    int n = sp - 1;
                    if (t == 0 || n < floor || stack[n] != t) goto Slow;
                    CountUse(index);
                    continue;
                }

                case 0x41: // I32Const
                    pos = SkipLeb(code, pos, 4);
                    if (pos < 0 || (uint)sp >= (uint)stack.Length) goto Slow;
                    stack[sp++] = ValType.I32;
                    continue;

                case 0x42: // I64Const
                    pos = SkipLeb(code, pos, 9);
                    if (pos < 0 || (uint)sp >= (uint)stack.Length) goto Slow;
                    stack[sp++] = ValType.I64;
                    continue;

                case 0x43: // F32Const
                    if (code.Length - pos < 4 || (uint)sp >= (uint)stack.Length) goto Slow;
                    pos += 4;
                    stack[sp++] = ValType.F32;
                    continue;

                case 0x44: // F64Const
                    if (code.Length - pos < 8 || (uint)sp >= (uint)stack.Length) goto Slow;
                    pos += 8;
                    stack[sp++] = ValType.F64;
                    continue;

                case 0x28: case 0x29: case 0x2A: case 0x2B: case 0x2C: case 0x2D: case 0x2E: case 0x2F:
                case 0x30: case 0x31: case 0x32: case 0x33: case 0x34: case 0x35:
                {
                    if ((byte)shape != KLoad) goto Slow;
                    // memarg: one-byte alignment within the natural one, then the offset.
                    if ((uint)pos >= (uint)code.Length || code[pos] > shape >> 24) goto Slow;
                    pos = SkipLeb(code, pos + 1, 4);
                    int n = sp - 1;
                    if (pos < 0 || _module.Memories.Count == 0 || n < floor || stack[n] != ValType.I32) goto Slow;
                    stack[n] = (ValType)(byte)(shape >> 16);
                    continue;
                }

                case 0x36: case 0x37: case 0x38: case 0x39: case 0x3A: case 0x3B: case 0x3C: case 0x3D:
                case 0x3E:
                {
                    if ((byte)shape != KStore) goto Slow;
                    if ((uint)pos >= (uint)code.Length || code[pos] > shape >> 24) goto Slow;
                    pos = SkipLeb(code, pos + 1, 4);
                    int n = sp - 2;
                    if (pos < 0 || _module.Memories.Count == 0 || n < floor ||
                        stack[n + 1] != (ValType)(byte)(shape >> 8) || stack[n] != ValType.I32) goto Slow;
                    sp = n;
                    continue;
                }

                case 0x1A: // Drop
                    if (sp - 1 < floor) goto Slow;
                    sp--;
                    continue;

                case 0x1B: // Select
                {
                    // Two operands of one numeric or vector type (0x7B to 0x7F) under an i32.
                    int n = sp - 3;
                    if (n < floor || stack[n + 2] != ValType.I32) goto Slow;
                    ValType t = stack[n + 1];
                    if (stack[n] != t || (uint)(t - ValType.V128) > ValType.I32 - ValType.V128) goto Slow;
                    sp = n + 1;
                    continue;
                }

                case 0x23: // GlobalGet
                {
                    pos = ReadU32(code, pos, out uint index);
                    var globals = _module.Globals;
                    if (pos < 0 || index >= (uint)globals.Count || (uint)sp >= (uint)stack.Length) goto Slow;
                    stack[sp++] = globals[(int)index].Type.Type;
                    continue;
                }

                case 0x01: // Nop
                    continue;

                // The rest change frames or read module state: they run through the shared helpers.

                case 0x02: // Block
                case 0x03: // Loop
                case 0x04: // If
                {
                    // Only the one-byte block types; type indices go the general way.
                    if ((uint)pos >= (uint)code.Length) goto Slow;
                    byte typeByte = code[pos];
                    ValType[] results;
                    if (typeByte == 0x40) results = NoTypes;
                    else if (ValTypes.IsDefined(typeByte)) results = SingleTypes[typeByte];
                    else goto Slow;
                    pos++;

                    // Without parameters, entering only pushes a frame (after popping if's i32 condition).
                    bool isIf = opcode == 0x04;
                    int height = isIf ? sp - 1 : sp;
                    if (_frameCount < _frames.Length && (!isIf || (height >= floor && stack[height] == ValType.I32)))
                    {
                        _frames[_frameCount++] = new ControlFrame
                        {
                            Kind = opcode == 0x02 ? ControlKind.Block : isIf ? ControlKind.If : ControlKind.Loop,
                            Unreachable = false,
                            Height = height,
                            Offset = baseOffset + start,
                            Params = NoTypes,
                            Results = results,
                        };
                        sp = height;
                        _floor = floor = height;
                        _polymorphic = false;
                        if (opcode == 0x03) ChangeLoopDepth(1);
                        continue;
                    }

                    var blockType = typeByte == 0x40
                        ? new BlockType(BlockTypeKind.Empty, default, 0)
                        : new BlockType(BlockTypeKind.Value, (ValType)typeByte, 0);
                    _operandCount = sp;
                    if (isIf) ValidateIf(blockType, baseOffset + start);
                    else ValidateBlock(opcode == 0x02 ? ControlKind.Block : ControlKind.Loop, blockType, baseOffset + start);
                    goto Reload;
                }

                case 0x05: // Else
                {
                    // Fast when the if's results are exactly on top of its height: then the frame turns into the else
                    // frame in place, with the parameters pushed again.
                    ref ControlFrame frame = ref _frames[_frameCount - 1];
                    var results = frame.Results;
                    var parameters = frame.Params;
                    if (frame.Kind == ControlKind.If && sp - results.Length == frame.Height && TopIs(stack, sp, floor, results) &&
                        frame.Height + parameters.Length <= stack.Length)
                    {
                        sp = frame.Height;
                        parameters.CopyTo(stack, sp);
                        sp += parameters.Length;
                        frame.Kind = ControlKind.Else;
                        frame.Unreachable = false;
                        _floor = floor = frame.Height;
                        _polymorphic = false;
                        continue;
                    }
                    _operandCount = sp;
                    ValidateElse(baseOffset + start);
                    goto Reload;
                }

                case 0x0B: // End
                {
                    // Fast when the block's results are exactly on top of its height (and an if without else has no types):
                    // then popping and re-pushing them changes nothing but the frame stack.
                    ref ControlFrame frame = ref _frames[_frameCount - 1];
                    var results = frame.Results;
                    if (sp - results.Length == frame.Height && TopIs(stack, sp, floor, results) &&
                        (frame.Kind != ControlKind.If || (frame.Params.Length | results.Length) == 0))
                    {
                        int remaining = --_frameCount;
                        if (frame.Kind == ControlKind.Loop) ChangeLoopDepth(-1);
                        if (remaining == 0)
                        {
                            _floor = 0;
                            _polymorphic = false;
                            sp = frame.Height;
                            goto Done;
                        }
                        ref ControlFrame outer = ref _frames[remaining - 1];
                        _floor = floor = outer.Height;
                        _polymorphic = outer.Unreachable;
                        continue;
                    }
                    _operandCount = sp;
                    ValidateEnd(baseOffset + start);
                    goto Reload;
                }

                case 0x0C: // Br
                {
                    pos = ReadU32(code, pos, out uint label);
                    if (pos < 0) goto Slow;
                    _operandCount = sp;
                    ValidateBr(label, baseOffset + start);
                    goto Reload;
                }

                case 0x0D: // BrIf
                {
                    pos = ReadU32(code, pos, out uint label);
                    if (pos < 0) goto Slow;
                    // Fast when the condition and the label's types are exactly on top: then only the condition goes.
                    int n = sp - 1;
                    if (n >= floor && stack[n] == ValType.I32 && label < (uint)_frameCount &&
                        TopIs(stack, n, floor, _frames[_frameCount - 1 - (int)label].LabelTypes))
                    {
                        sp = n;
                        continue;
                    }
                    _operandCount = sp;
                    ValidateBrIf(label, baseOffset + start);
                    goto Reload;
                }

                case 0x0F: // Return
                    _operandCount = sp;
                    ValidateReturn(baseOffset + start);
                    goto Reload;

                case 0x10: // Call
                {
                    pos = ReadU32(code, pos, out uint function);
                    if (pos < 0) goto Slow;
                    // Fast when the parameters are exactly on top and the results fit.
                    var typeIndices = _module.FunctionTypeIndices;
                    var types = _module.Types;
                    if (function < (uint)typeIndices.Count && typeIndices[(int)function] is var typeIndex && typeIndex < (uint)types.Count)
                    {
                        var type = types[(int)typeIndex];
                        int n = sp - type.Params.Length;
                        var results = type.Results;
                        if (TopIs(stack, sp, floor, type.Params) && n + results.Length <= stack.Length)
                        {
                            results.CopyTo(stack, n);
                            sp = n + results.Length;
                            continue;
                        }
                    }
                    _operandCount = sp;
                    ValidateCall(function, baseOffset + start);
                    goto Reload;
                }

                case 0x24: // GlobalSet
                {
                    pos = ReadU32(code, pos, out uint index);
                    if (pos < 0) goto Slow;
                    _operandCount = sp;
                    ValidateGlobalSet(index, baseOffset + start);
                    goto Reload;
                }

                case 0x00: // Unreachable
                    _operandCount = sp;
                    SetUnreachable();
                    goto Reload;

                default:
                    goto Slow;
            }

        Slow:
            _operandCount = sp;
            pos = ValidateGeneral(ref reader, start);

        Reload:
            stack = _operands;
            sp = _operandCount;
            floor = _floor;
            if (_frameCount == 0) break;
        }

    Done:
        _operandCount = sp;
        reader.Position = pos;
    }

    /// <summary>
    /// Whether the top of the stack (height <paramref name="sp"/>, above <paramref name="floor"/>) is exactly
    /// <paramref name="types"/>, with no Unknown operand: then the spec's pops of these types succeed and leave them in place.
    /// </summary>
    private static bool TopIs(ValType[] stack, int sp, int floor, ValType[] types)
    {
        int n = sp - types.Length;
        if (n < floor || (uint)sp > (uint)stack.Length) return false;
        for (int i = 0; i < types.Length; i++)
        {
            if (stack[n + i] != types[i]) return false;
        }
        return true;
    }

    /// <summary>The general path for the operator at <paramref name="start"/>; returns the position after it.</summary>
    // Not inlined: keeps the large Operator struct (and its zeroing) out of the fused loop's frame.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private int ValidateGeneral(ref OperatorReader reader, int start)
    {
        reader.Position = start;
        reader.Read(out var op);
        Validate(in op);
        return reader.Position;
    }

    /// <summary>
    /// An unsigned LEB128 of at most four bytes (none of which is the fifth, range-checked byte): returns the
    /// position after it, or -1 when it is longer or runs past the code (the general reader then reports it).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int ReadU32(ReadOnlySpan<byte> code, int pos, out uint value)
    {
        if ((uint)pos < (uint)code.Length)
        {
            uint b = code[pos];
            if (b < 0x80)
            {
                value = b;
                return pos + 1;
            }
        }
        return ReadU32Long(code, pos, out value);
    }

    private static int ReadU32Long(ReadOnlySpan<byte> code, int pos, out uint value)
    {
        uint result = 0;
        for (int shift = 0; shift <= 21; shift += 7)
        {
            if ((uint)pos >= (uint)code.Length) break;
            uint b = code[pos++];
            result |= (b & 0x7F) << shift;
            if (b < 0x80)
            {
                value = result;
                return pos;
            }
        }
        value = 0;
        return -1;
    }

    /// <summary>
    /// Skips a LEB128 of at most <paramref name="maxBytes"/> bytes, all before the integer's last, range-checked byte
    /// (so any such encoding is well-formed). Returns the position after it, or -1 (the general reader decides).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int SkipLeb(ReadOnlySpan<byte> code, int pos, int maxBytes)
    {
        int end = Math.Min(code.Length, pos + maxBytes);
        while (pos < end)
        {
            if (code[pos++] < 0x80) return pos;
        }
        return -1;
    }

    private static uint[] CreateShapes()
    {
        var shapes = new uint[256];
        foreach (var info in OperatorTable.All)
        {
            if (info.Prefix != 0) continue;
            uint code = info.Code;
            byte kind = info.Opcode switch
            {
                Opcode.Unreachable => KUnreachable,
                Opcode.Nop => KNop,
                Opcode.Block => KBlock,
                Opcode.Loop => KLoop,
                Opcode.If => KIf,
                Opcode.Else => KElse,
                Opcode.End => KEnd,
                Opcode.Br => KBr,
                Opcode.BrIf => KBrIf,
                Opcode.Return => KReturn,
                Opcode.Call => KCall,
                Opcode.Drop => KDrop,
                Opcode.Select => KSelect,
                Opcode.LocalGet => KLocalGet,
                Opcode.LocalSet => KLocalSet,
                Opcode.LocalTee => KLocalTee,
                Opcode.GlobalGet => KGlobalGet,
                Opcode.GlobalSet => KGlobalSet,
                Opcode.I32Const => KI32Const,
                Opcode.I64Const => KI64Const,
                Opcode.F32Const => KF32Const,
                Opcode.F64Const => KF64Const,
                _ => KSlow,
            };
            uint operand = 0, result = 0;
            if (kind == KSlow && info.Params is { } p && info.Results is { } r)
            {
                if (info.Immediate == ImmediateKind.None && r.Length == 1 && p.Length == 1)
                {
                    kind = KUnary;
                    operand = (uint)p[0];
                    result = (uint)r[0];
                }
                else if (info.Immediate == ImmediateKind.None && r.Length == 1 && p.Length == 2 && p[0] == p[1])
                {
                    kind = KBinary;
                    operand = (uint)p[0];
                    result = (uint)r[0];
                }
                else if (info.Immediate == ImmediateKind.MemArg && p.Length == 1 && p[0] == ValType.I32 && r.Length == 1)
                {
                    kind = KLoad;
                    result = (uint)r[0];
                }
                else if (info.Immediate == ImmediateKind.MemArg && p.Length == 2 && p[0] == ValType.I32 && r.Length == 0)
                {
                    kind = KStore;
                    operand = (uint)p[1];
                }
            }
            shapes[code] = kind | operand << 8 | result << 16 | (uint)info.NaturalAlignmentLog2 << 24;
        }
        return shapes;
    }
}
