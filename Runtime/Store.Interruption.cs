using System.Runtime.InteropServices;
using Sharptime.Vm;

namespace Sharptime;

public abstract unsafe partial class Store
{
    private Func<Store, EpochDeadlineAction>? _epochDeadlineCallback;

    /// <summary>Points the store context at the engine's epoch counter (called once by the constructor).</summary>
    private void InitializeInterruption() =>
        *(nint*)(Context + VMStoreContextLayout.EpochPtr) = Engine.EpochAddress;

    /// <summary>
    /// Sets the epoch deadline <paramref name="ticksBeyondCurrent"/> ticks of <see cref="Engine.IncrementEpoch"/> after
    /// the engine's current epoch: wasm of this store stops at the first function entry or loop header it reaches
    /// once the epoch gets there (with an <see cref="TrapCode.Interrupt"/> trap, or by running the deadline callback).
    /// May be called from a host function to extend the running call. A new store's deadline is 0 (already reached).
    /// </summary>
    /// <exception cref="InvalidOperationException"><see cref="Config.EpochInterruption"/> is off for this store's engine.</exception>
    public void SetEpochDeadline(ulong ticksBeyondCurrent)
    {
        RequireEpochInterruption(nameof(SetEpochDeadline));
        ulong now = Engine.CurrentEpoch;
        // Saturate: ulong.MaxValue ticks means "never".
        ulong deadline = ticksBeyondCurrent > ulong.MaxValue - now ? ulong.MaxValue : now + ticksBeyondCurrent;
        *(ulong*)(Context + VMStoreContextLayout.EpochDeadline) = deadline;
    }

    /// <summary>
    /// Runs <paramref name="callback"/> (on the thread running wasm) whenever wasm of this store reaches its epoch
    /// deadline: it returns <see cref="EpochDeadlineAction.Trap"/> to stop with an <see cref="TrapCode.Interrupt"/>
    /// trap or <see cref="EpochDeadlineAction.Continue"/> to keep running with a new deadline. An exception it throws
    /// stops the wasm call and is rethrown to the host code that called into wasm, like one from a host function.
    /// Replaces any earlier callback; <see cref="EpochDeadlineTrap"/> removes it.
    /// </summary>
    /// <exception cref="InvalidOperationException"><see cref="Config.EpochInterruption"/> is off for this store's engine.</exception>
    public void SetEpochDeadlineCallback(Func<Store, EpochDeadlineAction> callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        RequireEpochInterruption(nameof(SetEpochDeadlineCallback));
        _epochDeadlineCallback = callback;
    }

    /// <summary>
    /// Makes reaching the epoch deadline trap with <see cref="TrapCode.Interrupt"/> (the default), removing any
    /// callback set by <see cref="SetEpochDeadlineCallback"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException"><see cref="Config.EpochInterruption"/> is off for this store's engine.</exception>
    public void EpochDeadlineTrap()
    {
        RequireEpochInterruption(nameof(EpochDeadlineTrap));
        _epochDeadlineCallback = null;
    }

    /// <summary>
    /// Sets the fuel wasm of this store may still use (see <see cref="Config.ConsumeFuel"/> for what operators cost).
    /// May be called from a host function while wasm runs; the new amount counts from there. Amounts above
    /// <see cref="long.MaxValue"/> are treated as <see cref="long.MaxValue"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException"><see cref="Config.ConsumeFuel"/> is off for this store's engine.</exception>
    public void SetFuel(ulong fuel)
    {
        RequireFuel(nameof(SetFuel));
        ThrowIfDisposed();
        *(long*)(Context + VMStoreContextLayout.FuelConsumed) = -(long)Math.Min(fuel, long.MaxValue);
    }

    /// <summary>
    /// The fuel left: what <see cref="SetFuel"/> granted minus what wasm has used since. Exact inside host functions
    /// and after calls return or trap; 0 once it is used up (a straight-line stretch may overrun the limit before the
    /// next check traps).
    /// </summary>
    /// <exception cref="InvalidOperationException"><see cref="Config.ConsumeFuel"/> is off for this store's engine.</exception>
    public ulong GetFuel()
    {
        RequireFuel(nameof(GetFuel));
        ThrowIfDisposed();
        long consumed = *(long*)(Context + VMStoreContextLayout.FuelConsumed);
        return consumed >= 0 ? 0 : (ulong)-consumed;
    }

    private void RequireEpochInterruption(string operation)
    {
        if (!Engine.Config.EpochInterruption)
            throw new InvalidOperationException(
                $"{operation} needs epoch interruption: set Config.{nameof(Config.EpochInterruption)} = true on the engine's config.");
    }

    private void RequireFuel(string operation)
    {
        if (!Engine.Config.ConsumeFuel)
            throw new InvalidOperationException(
                $"{operation} needs fuel consumption: set Config.{nameof(Config.ConsumeFuel)} = true on the engine's config.");
    }

    /// <summary>
    /// The <see cref="Builtin.EpochDeadline"/> libcall's work: 0 to continue (the callback moved the deadline),
    /// <see cref="TrapCode.Interrupt"/>, or <see cref="TrapCodes.HostException"/> with the callback's exception parked.
    /// </summary>
    internal int OnEpochDeadline()
    {
        if (_epochDeadlineCallback is not { } callback) return (int)TrapCode.Interrupt;
        try
        {
            var action = callback(this);
            if (action.IsTrap) return (int)TrapCode.Interrupt;
            ulong now = Engine.CurrentEpoch;
            *(ulong*)(Context + VMStoreContextLayout.EpochDeadline) = action.Delta > ulong.MaxValue - now ? ulong.MaxValue : now + action.Delta;
            return 0;
        }
        catch (Exception e)
        {
            // The raise stub's hook attaches the backtrace (the trapping frames are still on the stack then).
            ParkException(e);
            return TrapCodes.HostException;
        }
    }

    /// <summary>The store whose context is <paramref name="storeContext"/>, or null once it has been collected.</summary>
    internal static Store? FromContext(nint storeContext) =>
        GCHandle.FromIntPtr(*(nint*)(storeContext + VMStoreContextLayout.StoreHandle)).Target as Store;
}
