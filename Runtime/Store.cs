using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using Sharptime.Vm;

namespace Sharptime;

/// <summary>
/// Owns every instance, function, memory, table and global created in it, and the native memory behind them.
/// Not thread-safe: use a store from one thread at a time. Dispose it to free everything it owns.
/// </summary>
/// <remarks>
/// <para>
/// Dispose every store. One that is never disposed keeps its memories, tables and native state, and the code of its
/// modules, until the process exits: compiled code holds handles to its instances and functions, so the garbage
/// collector never finds it unreachable. That is deliberate: a collector-driven release could unmap a memory while a
/// span from <see cref="Memory.GetSpan()"/> still points into it.
/// </para>
/// <para>
/// A store, and every object that belongs to it (instances, functions, memories, tables, globals), may move to another
/// thread between calls, but must never be used from two threads at once; its <see cref="Limiter"/> is called on the
/// thread using the store. Many stores may run on many threads at once.
/// </para>
/// </remarks>
public abstract unsafe partial class Store : IDisposable
{
    private readonly List<nint> _allocations = [];
    private readonly List<GCHandle> _handles = [];
    private readonly List<IDisposable> _owned = [];
    private readonly List<object?> _externs = [];
    private readonly Dictionary<object, nint> _externHandles = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<nint, Func> _funcs = [];
    private Exception? _parked;
    private int _wasmDepth;
    private bool _disposed;
    private static int s_nextId;
    private readonly int _id = Interlocked.Increment(ref s_nextId);

    private protected Store(Engine engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        engine.ThrowIfDisposed();
        Engine = engine;
        Context = Alloc(VMStoreContextLayout.Size);
        HostCaller = new Caller(this, null);
        var self = GCHandle.Alloc(this, GCHandleType.Weak);
        _handles.Add(self);
        *(nint*)(Context + VMStoreContextLayout.StoreHandle) = GCHandle.ToIntPtr(self);
        InitializeInterruption();
        if (engine.Config.WasmBacktrace)
            *(nint*)(Context + VMStoreContextLayout.TrapHook) = (nint)(delegate* unmanaged[Cdecl]<nint, void>)&OnTrap;
    }

    /// <summary>The engine this store belongs to.</summary>
    public Engine Engine { get; }

    /// <summary>The user data given when the store was created, as an object.</summary>
    public abstract object? DataObject { get; }

    /// <summary>True once <see cref="Dispose"/> has run.</summary>
    public bool IsDisposed => _disposed;

    /// <summary>The native VMStoreContext.</summary>
    internal nint Context { get; }

    internal Caller HostCaller { get; }

    internal List<Instance> Instances { get; } = [];

    /// <summary>Allocates zeroed native memory owned by (and freed with) the store.</summary>
    internal nint Alloc(int size)
    {
        var p = (nint)NativeMemory.AllocZeroed((nuint)size);
        _allocations.Add(p);
        return p;
    }

    internal nint NewHandle(object target)
    {
        var h = GCHandle.Alloc(target);
        _handles.Add(h);
        return GCHandle.ToIntPtr(h);
    }

    internal void Own(IDisposable resource) => _owned.Add(resource);

    internal void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    /// <summary>Checks that an object passed to an operation of this store belongs to it.</summary>
    internal void CheckOwns(Store other, string what)
    {
        if (!ReferenceEquals(other, this))
            throw new ArgumentException($"the {what} belongs to another store ({other}) than the one used ({this})");
    }

    // ---- references ----

    /// <summary>The store handle (index + 1) of an externref payload; 0 for null. Objects stay alive until the store is disposed.</summary>
    internal nint ExternToHandle(object? value)
    {
        if (value is null) return 0;
        if (_externHandles.TryGetValue(value, out var h)) return h;
        _externs.Add(value);
        h = _externs.Count;
        _externHandles.Add(value, h);
        return h;
    }

    internal object? ExternFromHandle(nint handle) => handle == 0 ? null : _externs[(int)(handle - 1)];

    internal void RegisterFunc(Func func) => _funcs[func.FuncRef] = func;

    internal Func? FuncFromRef(nint funcRef) =>
        funcRef == 0 ? null : _funcs.TryGetValue(funcRef, out var f) ? f : throw new InvalidOperationException($"unknown funcref 0x{funcRef:x}");

    internal nint FuncToRef(Func? func)
    {
        if (func is null) return 0;
        CheckOwns(func.Store, "function");
        return func.FuncRef;
    }

    /// <summary>A value as a raw slot; references are checked against this store.</summary>
    internal ValRaw ToRaw(in Val value)
    {
        var raw = default(ValRaw);
        switch (value.Kind)
        {
            case ValKind.FuncRef: raw.Ref = FuncToRef((Func?)value.Reference); break;
            case ValKind.ExternRef: raw.Ref = ExternToHandle(value.Reference); break;
            default: raw.I64 = value.RawBits; break;
        }
        return raw;
    }

    internal Val FromRaw(ValKind kind, in ValRaw raw) => kind switch
    {
        ValKind.I32 => Val.FromI32(raw.I32),
        ValKind.I64 => Val.FromI64(raw.I64),
        ValKind.F32 => Val.FromF32Bits(raw.F32Bits),
        ValKind.F64 => Val.FromF64Bits(raw.F64Bits),
        ValKind.FuncRef => Val.FromFunc(FuncFromRef(raw.Ref)),
        ValKind.ExternRef => Val.FromExtern(ExternFromHandle(raw.Ref)),
        _ => throw new NotSupportedException($"{kind} values are not supported yet"),
    };

    // ---- calls into wasm ----

    internal void ParkException(Exception e) => _parked = e;

    /// <summary>Calls an array-call entry trampoline, setting the stack limit on the outermost call; throws the trap or host exception.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal void CallArray(nint arrayCall, nint calleeVmctx, nint callerVmctx, ValRaw* values, nuint count)
    {
        ThrowIfDisposed();
        int marker = 0;
        if (_wasmDepth == 0)
            *(nint*)(Context + VMStoreContextLayout.StackLimit) = (nint)(&marker) - (nint)Engine.Config.MaxWasmStack;
        // Trampolines never let an exception out (traps and host exceptions come back as a status), so no finally.
        _wasmDepth++;
        int status = ((delegate* unmanaged<nint, nint, ValRaw*, nuint, int>)arrayCall)(calleeVmctx, callerVmctx, values, count);
        _wasmDepth--;
        if (status != 0) ThrowTrap();
    }

    internal void ThrowTrap()
    {
        int code = *(int*)(Context + VMStoreContextLayout.TrapCode);
        var backtrace = _trapBacktrace;
        _trapBacktrace = null;
        if (code == TrapCodes.HostException && _parked is { } e)
        {
            _parked = null;
            ExceptionDispatchInfo.Throw(e);
        }
        throw new TrapException((TrapCode)code, backtrace);
    }

    private WasmBacktrace? _trapBacktrace;

    /// <summary>The raise stub's hook: captures the backtrace while the trapping frames are still on the stack.</summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnTrap(nint context)
    {
        try
        {
            if (GCHandle.FromIntPtr(*(nint*)(context + VMStoreContextLayout.StoreHandle)).Target is not Store store) return;
            nint pc = *(nint*)(context + VMStoreContextLayout.TrapPc), fp = *(nint*)(context + VMStoreContextLayout.TrapFp);
            if (*(int*)(context + VMStoreContextLayout.TrapCode) == TrapCodes.HostException)
            {
                // Host functions' exceptions got their backtrace in the dispatcher, where the host frames still were;
                // one thrown by a libcall's callback (an epoch deadline callback) gets it here.
                if (store._parked is { } parked && !parked.Data.Contains(WasmBacktrace.ExceptionDataKey))
                    parked.Data[WasmBacktrace.ExceptionDataKey] = BacktraceCollector.FromTrap(pc, fp);
                return;
            }
            store._trapBacktrace = BacktraceCollector.FromTrap(pc, fp);
        }
        catch
        {
            // Never let an exception into native code; the trap is reported without a backtrace.
        }
    }

    /// <summary>The wasm frames below the host function now running.</summary>
    internal WasmBacktrace CaptureFromLastExit() =>
        _wasmDepth == 0 ? WasmBacktrace.Empty : BacktraceCollector.FromExit(*(nint*)(Context + VMStoreContextLayout.LastExitFp));

    /// <summary>Attaches the current wasm backtrace to a host exception about to cross wasm frames (once: the innermost wins).</summary>
    internal void AttachBacktrace(Exception e)
    {
        if (!Engine.Config.WasmBacktrace || e is TrapException { Backtrace: not null } || e.Data.Contains(WasmBacktrace.ExceptionDataKey)) return;
        e.Data[WasmBacktrace.ExceptionDataKey] = CaptureFromLastExit();
    }

    /// <summary>A short description naming the store, e.g. <c>store #3</c>.</summary>
    public override string ToString() => $"store #{_id}";

    /// <summary>Frees everything the store owns. Objects of the store throw <see cref="ObjectDisposedException"/> afterwards.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var o in _owned) o.Dispose();
        foreach (var h in _handles) h.Free();
        foreach (var p in _allocations) NativeMemory.Free((void*)p);
        _owned.Clear();
        _handles.Clear();
        _allocations.Clear();
        _externs.Clear();
        _externHandles.Clear();
        _funcs.Clear();
        Instances.Clear();
        GC.SuppressFinalize(this);
    }
}

/// <summary>A store carrying user data of type <typeparamref name="T"/>, reachable from host functions through <see cref="Caller"/>.</summary>
/// <typeparam name="T">The type of the user data.</typeparam>
public sealed partial class Store<T> : Store
{
    /// <summary>Creates a store in <paramref name="engine"/> holding <paramref name="data"/>.</summary>
    /// <exception cref="ObjectDisposedException"><paramref name="engine"/> was disposed.</exception>
    public Store(Engine engine, T data) : base(engine) => Data = data;

    /// <summary>The user data.</summary>
    public T Data { get; set; }

    /// <inheritdoc/>
    public override object? DataObject => Data;
}
