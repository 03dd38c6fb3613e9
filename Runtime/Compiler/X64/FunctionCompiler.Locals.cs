using Sharptime.Format;
using static Iced.Intel.AssemblerRegisters;
using static Sharptime.Compiler.X64.Operands;
using static Sharptime.Compiler.X64.Registers;

namespace Sharptime.Compiler.X64;

/// <summary>
/// Register-resident locals: the most used locals (counted in a pre-pass, loop bodies weighted up) live in fixed
/// registers for the whole function, so control-flow merges need no reconciliation. Every local keeps its home
/// slot; registers are written back before calls and reloaded after, since calls clobber all registers.
/// </summary>
internal sealed partial class FunctionCompiler
{
    private static readonly int[] LocalGprCandidates = [Rbx, R12, R10, R9, R8, Rdi];
    private static readonly int[] LocalXmmCandidates = [14, 13, 12, 11, 10, 9, 8, 7];

    private readonly List<RegisterLocal> _registerLocals = [];
    private sbyte[] _localRegister = [];   // per local: its register, or -1
    private int[] _useCounts = [];
    private readonly Stack<bool> _blockIsLoop = new();

    private readonly struct RegisterLocal(uint local, int reg, ValType type, Mem home)
    {
        public readonly uint Local = local;
        public readonly int Reg = reg;
        public readonly ValType Type = type;
        public readonly Mem Home = home;
    }

    private void AssignLocalRegisters(OperatorReader body)
    {
        foreach (var r in _registerLocals) _localRegister[r.Local] = -1;
        _registerLocals.Clear();
        if (_localCount > _localRegister.Length)
        {
            int size = Math.Max(_localCount, 2 * _localRegister.Length);
            _localRegister = new sbyte[size];
            _localRegister.AsSpan().Fill(-1);
            _useCounts = new int[size];
        }
        var counts = _useCounts.AsSpan(0, _localCount);
        counts.Clear();
        int loopDepth = 0;
        int weight = 1;
        var depthKinds = _blockIsLoop;
        depthKinds.Clear();
        while (!body.IsAtEnd)
        {
            body.Read(out var op);
            switch (op.Opcode)
            {
                case Opcode.Block:
                case Opcode.If:
                    depthKinds.Push(false);
                    break;
                case Opcode.Loop:
                    depthKinds.Push(true);
                    loopDepth++;
                    weight = loopDepth >= 3 ? 64 : 1 << (2 * loopDepth);
                    break;
                case Opcode.End:
                    if (depthKinds.Count > 0 && depthKinds.Pop())
                    {
                        loopDepth--;
                        weight = loopDepth >= 3 ? 64 : 1 << (2 * loopDepth);
                    }
                    break;
                case Opcode.LocalGet:
                case Opcode.LocalSet:
                case Opcode.LocalTee:
                    counts[(int)op.Index] += weight;
                    break;
            }
        }

        // Pick the most used locals of each register class (ties to the lower index); a few candidates, so
        // repeated selection beats sorting every local.
        Span<int> taken = stackalloc int[LocalGprCandidates.Length + LocalXmmCandidates.Length];
        int gprs = 0, xmms = 0;
        while (gprs < LocalGprCandidates.Length || xmms < LocalXmmCandidates.Length)
        {
            int best = -1, bestUses = 1;
            for (int i = 0; i < counts.Length; i++)
            {
                if (counts[i] <= bestUses) continue;
                var candidate = LocalType((uint)i);
                bool full = candidate switch
                {
                    ValType.F32 or ValType.F64 => xmms == LocalXmmCandidates.Length,
                    ValType.V128 => true,
                    _ => gprs == LocalGprCandidates.Length,
                };
                if (full) continue;
                best = i;
                bestUses = counts[i];
            }
            if (best < 0) break;
            counts[best] = 0;
            var type = LocalType((uint)best);
            int reg;
            if (type is ValType.F32 or ValType.F64)
            {
                reg = LocalXmmCandidates[xmms++];
                _freeXmm &= (ushort)~(1 << reg);
            }
            else
            {
                reg = LocalGprCandidates[gprs++];
                _freeGpr &= (ushort)~(1 << reg);
            }
            _localRegister[best] = (sbyte)reg;
            _registerLocals.Add(new RegisterLocal((uint)best, reg, type, LocalQ((uint)best)));
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
    }

    /// <summary>Writes every register-resident local to its home slot (before calls, which clobber registers).</summary>
    private void SaveRegisterLocals()
    {
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
    }
}
