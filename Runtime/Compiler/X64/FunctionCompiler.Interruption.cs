using Iced.Intel;
using Sharptime.Format;
using Sharptime.Vm;
using static Iced.Intel.AssemblerRegisters;
using static Sharptime.Compiler.X64.Operands;
using static Sharptime.Compiler.X64.Registers;

namespace Sharptime.Compiler.X64;

/// <summary>
/// Epoch interruption and fuel (<see cref="Config.EpochInterruption"/>, <see cref="Config.ConsumeFuel"/>). Both emit
/// nothing when off.
/// <para>
/// Checks sit at function entry and loop headers, so every unbounded execution path meets one. Epoch: the engine's
/// counter (through VMStoreContext.EpochPtr) against the store's deadline; past it, an out-of-line stub calls the
/// <see cref="Builtin.EpochDeadline"/> libcall (the store's callback), which continues or returns a trap code.
/// Fuel: VMStoreContext.FuelConsumed is fuel used minus fuel granted; at a check, &gt;= 0 traps with OutOfFuel.
/// </para>
/// <para>
/// Fuel is charged per straight-line stretch: operator costs add up at compile time in <see cref="_pendingFuel"/>
/// and one <c>add</c> writes them out before control leaves the stretch (branches, merges, calls, libcalls,
/// guard-page accesses that may fault). A trap stub adds what was pending at its site itself, so traps are exact
/// without code on the hot path. Costs depend only on the operators, so every compilation of a module (and its
/// artifact) charges the same.
/// </para>
/// </summary>
internal sealed partial class FunctionCompiler
{
    private bool _fuel;
    private bool _epochs;
    /// <summary>Fuel of the operators compiled since the last flush: charged at the next flush or by a trap stub.</summary>
    private long _pendingFuel;
    private readonly List<EpochStub> _epochStubs = [];

    /// <summary>An out-of-line call to the deadline libcall; <see cref="SaveLocals"/> is false at function entry, before register locals are loaded.</summary>
    private readonly record struct EpochStub(CodeLabel Slow, CodeLabel Resume, bool SaveLocals, int WasmOffset);

    private void ResetInterruption()
    {
        _fuel = _module.ConsumeFuel;
        _epochs = _module.EpochInterruption;
        _pendingFuel = 0;
        _epochStubs.Clear();
    }

    /// <summary>The documented fuel cost of the operator starting with <paramref name="firstByte"/> (prefixed operators cost 1).</summary>
    internal static int FuelCost(byte firstByte) => (Opcode)firstByte switch
    {
        Opcode.Nop or Opcode.Drop or Opcode.Block or Opcode.Loop or Opcode.End or Opcode.Else => 0,
        _ => 1,
    };

    /// <summary>
    /// Before compiling a reachable operator in fuel mode: charges it, and keeps no condition in the flags (the
    /// flush's <c>add</c> would clobber one between a compare and the branch that uses it).
    /// </summary>
    private void ChargeFuel(byte firstByte)
    {
        _pendingFuel += FuelCost(firstByte);
        // Keep the immediate an int32 even for absurdly long straight-line code.
        if (_pendingFuel >= int.MaxValue / 2) FlushFuel();
        SettleFlags();
    }

    /// <summary>Writes the pending fuel out (fuel mode). Clobbers r11 and the flags only.</summary>
    private void FlushFuel()
    {
        if (_pendingFuel == 0) return;
        _a.mov(Scratch, qword_ptr[Vmctx + VMContextLayout.StoreContext]);
        _a.add(qword_ptr[Scratch + VMStoreContextLayout.FuelConsumed], (int)_pendingFuel);
        _pendingFuel = 0;
    }

    /// <summary>
    /// The checks of a function entry or loop header. Every value is in its slot; uses rax and r11, which hold nothing
    /// then. At entry r11 already holds the store context (the stack check loaded it).
    /// </summary>
    private void EmitInterruptionChecks(bool atEntry)
    {
        if (!_fuel && !_epochs) return;
        if (!atEntry) _a.mov(Scratch, qword_ptr[Vmctx + VMContextLayout.StoreContext]);
        if (_fuel)
        {
            _a.cmp(qword_ptr[Scratch + VMStoreContextLayout.FuelConsumed], 0);
            _a.jge(TrapLabel(TrapCode.OutOfFuel));
        }
        if (_epochs)
        {
            var slow = _a.CreateLabel();
            var resume = _a.CreateLabel();
            _a.mov(rax, qword_ptr[Scratch + VMStoreContextLayout.EpochPtr]);
            _a.mov(rax, qword_ptr[rax]);
            _a.cmp(rax, qword_ptr[Scratch + VMStoreContextLayout.EpochDeadline]);
            _a.jae(slow);
            _a.Bind(resume);
            _epochStubs.Add(new EpochStub(slow, resume, !atEntry, _operatorOffset));
        }
    }

    /// <summary>
    /// The deadline stubs, out of line after the function: save register locals (the libcall clobbers caller-saved
    /// registers), call the libcall, raise its trap code if any, else reload and resume.
    /// </summary>
    private void EmitEpochStubs()
    {
        foreach (var stub in _epochStubs)
        {
            _a.Bind(stub.Slow);
            _operatorOffset = stub.WasmOffset;
            _module.MapAddress(_a.Position, stub.WasmOffset);
            if (stub.SaveLocals) SaveRegisterLocals();
            _a.mov(rdi, Vmctx);
            _a.mov(rax, qword_ptr[Vmctx + VMContextLayout.Builtins]);
            _a.call(qword_ptr[rax + 8 * (int)Builtin.EpochDeadline]);
            _a.test(eax, eax);
            _a.jne(TrapLabel(TrapFromEax));
            if (stub.SaveLocals) ReloadRegisterLocals();
            _a.jmp(stub.Resume);
        }
    }
}
