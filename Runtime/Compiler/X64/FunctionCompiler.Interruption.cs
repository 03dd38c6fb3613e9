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
/// Fuel: fuel used minus fuel granted, negative while fuel remains; at a check, &gt;= 0 traps with OutOfFuel.
/// </para>
/// <para>
/// While wasm runs, that count lives in <see cref="FuelRegister"/> (r12, taken from the allocator and the register
/// locals in fuel mode), carried across wasm-to-wasm calls. VMStoreContext.FuelConsumed holds it whenever the host
/// can look: entry trampolines load it and store it back (also on a trap), exit trampolines and libcalls store it
/// before and reload it after (the host may have changed it).
/// </para>
/// <para>
/// Fuel is charged per straight-line stretch: operator costs add up at compile time in <see cref="_pendingFuel"/>
/// and one flag-free <c>lea</c> adds them before control leaves the stretch (branches, merges, calls, libcalls,
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

    /// <summary>Where compiled code keeps the fuel count in fuel mode (callee-saved in SysV, so libcalls keep it too).</summary>
    internal static readonly AssemblerRegister64 FuelRegister = r12;

    /// <summary>Before compiling a reachable operator in fuel mode: charges it.</summary>
    private void ChargeFuel(byte firstByte)
    {
        _pendingFuel += FuelCost(firstByte);
        // Keep the displacement an int32 even for absurdly long straight-line code.
        if (_pendingFuel >= int.MaxValue / 2) FlushFuel();
    }

    /// <summary>Adds the pending fuel to the fuel register (fuel mode). <c>lea</c>: no flags change, so a condition may stay in them.</summary>
    private void FlushFuel()
    {
        if (_pendingFuel == 0) return;
        _a.lea(FuelRegister, qword_ptr[FuelRegister + (int)_pendingFuel]);
        _pendingFuel = 0;
    }

    /// <summary>Before a libcall (fuel mode): the host may read the fuel. Uses r11.</summary>
    private void StoreFuel()
    {
        _a.mov(Scratch, qword_ptr[Vmctx + VMContextLayout.StoreContext]);
        _a.mov(qword_ptr[Scratch + VMStoreContextLayout.FuelConsumed], FuelRegister);
    }

    /// <summary>After a libcall (fuel mode): the host may have set the fuel. Uses r11; flags untouched.</summary>
    private void LoadFuel()
    {
        _a.mov(Scratch, qword_ptr[Vmctx + VMContextLayout.StoreContext]);
        _a.mov(FuelRegister, qword_ptr[Scratch + VMStoreContextLayout.FuelConsumed]);
    }

    /// <summary>
    /// The checks of a function entry or loop header. Every value is in its slot; uses rax and r11, which hold nothing
    /// then. At entry r11 already holds the store context (the stack check loaded it). Fuel is checked first: the
    /// epoch's slow path resumes after its own check.
    /// </summary>
    private void EmitInterruptionChecks(bool atEntry)
    {
        if (_fuel)
        {
            _a.test(FuelRegister, FuelRegister);
            _a.jns(TrapLabel(TrapCode.OutOfFuel));
        }
        if (_epochs)
        {
            if (!atEntry) _a.mov(Scratch, qword_ptr[Vmctx + VMContextLayout.StoreContext]);
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
            // The callback may read or set the fuel.
            if (_fuel) StoreFuel();
            _a.mov(rdi, Vmctx);
            CallBuiltinAsExit(Builtin.EpochDeadline);
            if (_fuel) LoadFuel();
            _a.test(eax, eax);
            _a.jne(TrapLabel(TrapFromEax));
            if (stub.SaveLocals) ReloadRegisterLocals();
            _a.jmp(stub.Resume);
        }
    }
}
