namespace Sharptime;

public sealed partial class Config
{
    /// <summary>
    /// Whether compiled code checks the engine's epoch against the store's deadline, at every function entry and
    /// loop header, so another thread can stop a running call with <see cref="Engine.IncrementEpoch"/>. Default off
    /// (then no check is compiled at all). With it on, use <see cref="Store.SetEpochDeadline"/> before calling wasm:
    /// a new store's deadline is 0, which is already reached, so its first check interrupts (or runs the callback of
    /// <see cref="Store.SetEpochDeadlineCallback"/>). Changes generated code: artifacts record it.
    /// </summary>
    public bool EpochInterruption { get; set; }

    /// <summary>
    /// Whether compiled code counts the fuel it uses and traps with <see cref="TrapCode.OutOfFuel"/> when the store's
    /// fuel (<see cref="Store.SetFuel"/>) runs out. Default off (then nothing is counted or compiled). A new store has
    /// no fuel, so set some before calling wasm.
    /// <para>
    /// Cost table: every operator costs 1 unit, except <c>nop</c>, <c>drop</c>, <c>block</c>, <c>loop</c>,
    /// <c>end</c> and <c>else</c>, which cost 0. An operator is charged when it runs (operators in code that is
    /// never reached are free; a loop body is charged once per iteration; a call charges the <c>call</c> in the
    /// caller and the callee's operators in the callee). Host functions cost nothing beyond the <c>call</c>.
    /// </para>
    /// <para>
    /// Fuel is checked at function entry and loop headers: execution traps there when the fuel used has reached
    /// the fuel granted (so with 0 fuel the first check traps). Between checks a straight-line stretch may run
    /// past the limit; the count stays exact, and <see cref="Store.GetFuel"/> then reports 0. The count is exact
    /// (matches the table above for the operators run so far) whenever a host function runs, at a trap, and after
    /// a call returns; the same program uses the same fuel on every run and from a loaded artifact.
    /// </para>
    /// Changes generated code: artifacts record it.
    /// </summary>
    public bool ConsumeFuel { get; set; }
}
