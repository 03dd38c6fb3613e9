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

    private readonly Dictionary<uint, int> _localRegister = [];
    private readonly List<(uint local, int reg, bool xmm)> _registerLocals = [];
    private readonly Dictionary<uint, int> _useCounts = [];
    private readonly Stack<bool> _blockIsLoop = new();
    private readonly List<KeyValuePair<uint, int>> _ranked = [];

    private void AssignLocalRegisters(OperatorReader body)
    {
        _localRegister.Clear();
        _registerLocals.Clear();
        _useCounts.Clear();
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
                    _useCounts[op.Index] = _useCounts.GetValueOrDefault(op.Index) + weight;
                    break;
            }
        }
        if (_useCounts.Count == 0) return;
        var ranked = _ranked;
        ranked.Clear();
        ranked.AddRange(_useCounts);
        ranked.Sort((a, b) => b.Value != a.Value ? b.Value.CompareTo(a.Value) : a.Key.CompareTo(b.Key));
        int gprs = 0, xmms = 0;
        foreach (var (local, uses) in ranked)
        {
            if (uses < 2) break;
            var type = LocalType(local);
            if (type is ValType.F32 or ValType.F64)
            {
                if (xmms == LocalXmmCandidates.Length) continue;
                int x = LocalXmmCandidates[xmms++];
                _freeXmm &= (ushort)~(1 << x);
                _localRegister[local] = x;
                _registerLocals.Add((local, x, true));
            }
            else if (type is ValType.I32 or ValType.I64 or ValType.FuncRef or ValType.ExternRef)
            {
                if (gprs == LocalGprCandidates.Length) continue;
                int r = LocalGprCandidates[gprs++];
                _freeGpr &= (ushort)~(1 << r);
                _localRegister[local] = r;
                _registerLocals.Add((local, r, false));
            }
        }
    }

    private bool IsRegisterLocal(uint index, out int reg) => _localRegister.TryGetValue(index, out reg);

    /// <summary>Loads every register-resident local from its home slot (function entry, after calls).</summary>
    private void ReloadRegisterLocals()
    {
        foreach (var (local, reg, xmm) in _registerLocals)
        {
            var type = LocalType(local);
            if (xmm)
            {
                if (type == ValType.F32) _a.movss(X[reg], LocalD(local));
                else _a.movsd(X[reg], LocalQ(local));
            }
            else if (type == ValType.I32) _a.mov(D[reg], LocalD(local));
            else _a.mov(Q[reg], LocalQ(local));
        }
    }

    /// <summary>Writes every register-resident local to its home slot (before calls, which clobber registers).</summary>
    private void SaveRegisterLocals()
    {
        foreach (var (local, reg, xmm) in _registerLocals)
        {
            if (xmm)
            {
                if (LocalType(local) == ValType.F32) _a.movss(LocalD(local), X[reg]);
                else _a.movsd(LocalQ(local), X[reg]);
            }
            else _a.mov(LocalQ(local), Q[reg]);
        }
    }
}
