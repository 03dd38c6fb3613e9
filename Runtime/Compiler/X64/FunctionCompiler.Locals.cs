using Sharptime.Format;
using Sharptime.Validation;
using static Iced.Intel.AssemblerRegisters;
using static Sharptime.Compiler.X64.Operands;
using static Sharptime.Compiler.X64.Registers;

namespace Sharptime.Compiler.X64;

/// <summary>
/// Register-resident locals: the most used locals (counted during validation or in a pre-pass, loop bodies weighted
/// up, see <see cref="LocalUseRanking"/>) live in fixed
/// registers for the whole function, so control-flow merges need no reconciliation. Every local keeps its home
/// slot; registers are written back before calls and reloaded after, since calls clobber all registers.
/// </summary>
internal sealed partial class FunctionCompiler
{
    private static readonly int[] LocalGprCandidates = [Rbx, R12, R10, R9, R8, Rdi];
    private static readonly int[] LocalGprCandidatesWithFuel = [Rbx, R10, R9, R8, Rdi];   // r12 counts fuel
    private static readonly int[] LocalXmmCandidates = [14, 13, 12, 11, 10, 9, 8, 7];

    private readonly List<RegisterLocal> _registerLocals = [];
    private sbyte[] _localRegister = [];   // per local: its register, or -1
    private int[] _useCounts = [];
    // Where this function's first save and reload sequences were emitted (-1: not yet). The sequences depend only
    // on the register locals, fixed per function, so later ones copy those bytes instead of encoding again.
    private int _saveAt, _saveLength, _reloadAt, _reloadLength;
    private bool[] _blockIsLoop = new bool[64];   // per open block of the pre-pass: whether it is a loop

    // Pre-pass actions per first byte of an operator. The body is validated, so only block nesting and local
    // indices matter and the immediates of everything else can be skipped by shape, without decoding the operator
    // in full (the general reader made this pass cost about as much as decoding for compilation).
    private const byte ScanNone = 0, ScanLeb = 1, ScanTwoLebs = 2, ScanF32 = 3, ScanF64 = 4, ScanGeneral = 5,
        ScanBlock = 6, ScanLoop = 7, ScanEnd = 8, ScanLocal = 9;
    private static readonly byte[] ScanActions = CreateScanActions();

    private static byte[] CreateScanActions()
    {
        var actions = new byte[256];
        for (int b = 0; b < 256; b++)
        {
            var info = OperatorTable.GetSingleByte((byte)b);
            actions[b] = info is null ? ScanGeneral : info.Immediate switch
            {
                ImmediateKind.None => ScanNone,
                // One LEB or one byte (block types, memory indices and heap types are single bytes or LEBs).
                ImmediateKind.BlockType or ImmediateKind.LabelIndex or ImmediateKind.FunctionIndex or ImmediateKind.LocalIndex
                    or ImmediateKind.GlobalIndex or ImmediateKind.TableIndex or ImmediateKind.MemoryIndex or ImmediateKind.I32
                    or ImmediateKind.I64 or ImmediateKind.HeapType or ImmediateKind.DataIndex or ImmediateKind.ElemIndex => ScanLeb,
                ImmediateKind.CallIndirect or ImmediateKind.MemArg or ImmediateKind.TableInit or ImmediateKind.TableCopy
                    or ImmediateKind.MemoryCopy or ImmediateKind.MemoryInit => ScanTwoLebs,
                ImmediateKind.F32 => ScanF32,
                ImmediateKind.F64 => ScanF64,
                _ => ScanGeneral,   // br_table, typed select, anything rare: the general reader
            };
        }
        actions[(int)Opcode.Block] = ScanBlock;
        actions[(int)Opcode.If] = ScanBlock;
        actions[(int)Opcode.Loop] = ScanLoop;
        actions[(int)Opcode.End] = ScanEnd;
        actions[(int)Opcode.LocalGet] = ScanLocal;
        actions[(int)Opcode.LocalSet] = ScanLocal;
        actions[(int)Opcode.LocalTee] = ScanLocal;
        return actions;
    }

    /// <summary>
    /// Adds up, per local, its local.get/set/tee operators, weighted by loop nesting as validation does
    /// (<see cref="LocalUseRanking"/>).
    /// </summary>
    private void CountLocalUses(OperatorReader body, Span<int> counts)
    {
        ReadOnlySpan<byte> code = body.Code;
        byte[] actions = ScanActions;
        int pos = body.Position;
        int loopDepth = 0, weight = 1, depth = 0;
        while (pos < code.Length)
        {
            switch (actions[code[pos]])
            {
                case ScanNone:
                    pos++;
                    break;
                case ScanLeb:
                    pos = SkipLeb(code, pos + 1);
                    break;
                case ScanTwoLebs:
                    pos = SkipLeb(code, SkipLeb(code, pos + 1));
                    break;
                case ScanF32:
                    pos += 5;
                    break;
                case ScanF64:
                    pos += 9;
                    break;
                case ScanLocal:
                {
                    uint index = code[pos + 1];
                    if (index < 0x80) pos += 2;
                    else
                    {
                        body.Position = pos;
                        body.Read(out var op);
                        index = op.Index;
                        pos = body.Position;
                    }
                    counts[(int)index] += weight;
                    break;
                }
                case ScanBlock:
                case ScanLoop:
                {
                    bool loop = code[pos] == (byte)Opcode.Loop;
                    if (depth == _blockIsLoop.Length) Array.Resize(ref _blockIsLoop, 2 * depth);
                    _blockIsLoop[depth++] = loop;
                    if (loop)
                    {
                        loopDepth++;
                        weight = LocalUseRanking.Weight(loopDepth);
                    }
                    pos = SkipLeb(code, pos + 1);
                    break;
                }
                case ScanEnd:
                    pos++;
                    if (depth > 0 && _blockIsLoop[--depth])
                    {
                        loopDepth--;
                        weight = LocalUseRanking.Weight(loopDepth);
                    }
                    break;
                default:
                    body.Position = pos;
                    body.Read(out _);
                    pos = body.Position;
                    break;
            }
        }
    }

    /// <summary>The position after the LEB128 at <paramref name="pos"/> (the body is validated, so it is well formed).</summary>
    private static int SkipLeb(ReadOnlySpan<byte> code, int pos)
    {
        while ((code[pos++] & 0x80) != 0) { }
        return pos;
    }

    private readonly struct RegisterLocal(uint local, int reg, ValType type, Mem home)
    {
        public readonly uint Local = local;
        public readonly int Reg = reg;
        public readonly ValType Type = type;
        public readonly Mem Home = home;
    }

    private void AssignLocalRegisters(OperatorReader body, int definedIndex)
    {
        foreach (var r in _registerLocals) _localRegister[r.Local] = -1;
        _registerLocals.Clear();
        _saveAt = -1;
        _reloadAt = -1;
        if (_localCount > _localRegister.Length)
        {
            int size = Math.Max(_localCount, 2 * _localRegister.Length);
            _localRegister = new sbyte[size];
            _localRegister.AsSpan().Fill(-1);
            _useCounts = new int[size];
        }

        // Validation ranked the locals by use; a body compiled without it (or with too many locals) is counted here.
        var rankings = _info.LocalUseRankings;
        uint[]? ranking = rankings is not null && (uint)definedIndex < (uint)rankings.Length ? rankings[definedIndex] : null;
        if (ranking is null)
        {
            var counts = _useCounts.AsSpan(0, _localCount);
            counts.Clear();
            CountLocalUses(body, counts);
            ranking = LocalUseRanking.Rank(counts, _locals);
        }

        // The most used locals of each register class, until the class's registers run out.
        int gprs = 0, xmms = 0;
        var gprCandidates = _fuel ? LocalGprCandidatesWithFuel : LocalGprCandidates;
        foreach (uint local in ranking)
        {
            var type = LocalType(local);
            int reg;
            if (LocalUseRanking.IsFloatClass(type))
            {
                if (xmms == LocalXmmCandidates.Length) continue;
                reg = LocalXmmCandidates[xmms++];
                _freeXmm &= (ushort)~(1 << reg);
            }
            else
            {
                if (gprs == gprCandidates.Length) continue;
                reg = gprCandidates[gprs++];
                _freeGpr &= (ushort)~(1 << reg);
            }
            _localRegister[local] = (sbyte)reg;
            _registerLocals.Add(new RegisterLocal(local, reg, type, LocalQ(local)));
        }
    }

    private bool IsRegisterLocal(uint index, out int reg)
    {
        reg = _localRegister[index];
        return reg >= 0;
    }

    /// <summary>Loads every register-resident local from its home slot (function entry, after calls).</summary>
    private void ReloadRegisterLocals()
    {
        if (_reloadAt >= 0)
        {
            _a.Repeat(_reloadAt, _reloadLength);
            return;
        }
        int start = _a.Position;
        foreach (var r in _registerLocals)
        {
            switch (r.Type)
            {
                case ValType.F32: _a.movss(X[r.Reg], r.Home); break;
                case ValType.F64: _a.movsd(X[r.Reg], r.Home); break;
                case ValType.I32: _a.mov(D[r.Reg], r.Home); break;
                default: _a.mov(Q[r.Reg], r.Home); break;
            }
        }
        _reloadAt = start;
        _reloadLength = _a.Position - start;
    }

    /// <summary>Writes every register-resident local to its home slot (before calls, which clobber registers).</summary>
    private void SaveRegisterLocals()
    {
        if (_saveAt >= 0)
        {
            _a.Repeat(_saveAt, _saveLength);
            return;
        }
        int start = _a.Position;
        foreach (var r in _registerLocals)
        {
            switch (r.Type)
            {
                case ValType.F32: _a.movss(r.Home, X[r.Reg]); break;
                case ValType.F64: _a.movsd(r.Home, X[r.Reg]); break;
                // A 64-bit store keeps the slot's upper half zero for an i32 (registers hold i32s zero-extended).
                default: _a.mov(r.Home, Q[r.Reg]); break;
            }
        }
        _saveAt = start;
        _saveLength = _a.Position - start;
    }
}
