using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Sharptime.Format;
using Sharptime.Vm;

namespace Sharptime;

/// <summary>The untyped form of a host function: reads <paramref name="args"/>, writes every element of <paramref name="results"/>.</summary>
/// <param name="caller">The calling instance (its exports and the store data).</param>
/// <param name="args">The arguments, one per parameter of the function type.</param>
/// <param name="results">One slot per result, pre-set to zero/null of the right kind; each must keep its kind.</param>
public delegate void HostCallback(Caller caller, ReadOnlySpan<Val> args, Span<Val> results);

/// <summary>A host function body on raw slots: arguments in, results out, in place.</summary>
internal delegate void RawHostCallback(Caller caller, Span<ValRaw> values);

/// <summary>A WebAssembly function: exported by an instance, or defined by the host. Belongs to one store.</summary>
public sealed unsafe partial class Func
{
    private const int StackSlots = 32;

    private FunctionType? _type;

    private Func(Store store, FuncType type, int typeId, nint funcRef, RawHostCallback? host, Instance? instance)
    {
        Store = store;
        InternalType = type;
        FuncRef = funcRef;
        Host = host;
        Instance = instance;
        TypeId = typeId;
        Slots = Math.Max(type.Params.Length, type.Results.Length);
    }

    /// <summary>The store the function belongs to.</summary>
    public Store Store { get; }

    /// <summary>The function's parameter and result types.</summary>
    public FunctionType Type => _type ??= FunctionType.From(InternalType);

    internal FuncType InternalType { get; }

    /// <summary>The function's native VMFuncRef.</summary>
    internal nint FuncRef { get; }

    internal int TypeId { get; }

    /// <summary>max(parameters, results): the slot count of the array-call ABI.</summary>
    internal int Slots { get; }

    /// <summary>The body of a host function; null for wasm functions.</summary>
    internal RawHostCallback? Host { get; }

    /// <summary>The instance defining a wasm function.</summary>
    internal Instance? Instance { get; }

    /// <summary>A wasm function whose VMFuncRef is already filled in; registered with the store.</summary>
    internal static Func ForWasm(Store store, FuncType type, int typeId, nint funcRef, Instance instance)
    {
        var func = new Func(store, type, typeId, funcRef, null, instance);
        store.RegisterFunc(func);
        return func;
    }

    /// <summary>A host function on raw slots: allocates its host context and VMFuncRef, registers it with the store.</summary>
    internal static Func ForHost(Store store, FuncType type, RawHostCallback callback)
    {
        ArgumentNullException.ThrowIfNull(store);
        store.ThrowIfDisposed();
        nint ctx = store.Alloc(VMHostContextLayout.Size);
        var func = new Func(store, type, store.Engine.TypeId(type), ctx + VMHostContextLayout.FuncRef, callback, null);
        *(nint*)(ctx + VMHostContextLayout.StoreContext) = store.Context;
        *(nint*)(ctx + VMHostContextLayout.Dispatch) = (nint)(delegate* unmanaged[Cdecl]<nint, nint, ValRaw*, nuint, int>)&Dispatch;
        *(nint*)(ctx + VMHostContextLayout.Handle) = store.NewHandle(func);
        nint funcRef = func.FuncRef;
        *(nint*)(funcRef + VMFuncRefLayout.WasmCall) = store.Engine.ExitTrampoline(func.TypeId);
        *(nint*)(funcRef + VMFuncRefLayout.ArrayCall) = 0;
        *(int*)(funcRef + VMFuncRefLayout.TypeId) = func.TypeId;
        *(nint*)(funcRef + VMFuncRefLayout.Vmctx) = ctx;
        store.RegisterFunc(func);
        return func;
    }

    /// <summary>Creates a host function of <paramref name="type"/> that runs <paramref name="callback"/>.</summary>
    /// <exception cref="ObjectDisposedException">The store is disposed.</exception>
    public static Func FromCallback(Store store, FunctionType type, HostCallback callback)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(callback);
        var parameters = type.Parameters.ToArray();
        var resultKinds = type.Results.ToArray();
        var internalType = type.Internal();
        return ForHost(store, internalType, (caller, values) =>
        {
            var s = caller.Store;
            var args = new Val[parameters.Length];
            for (int i = 0; i < args.Length; i++) args[i] = s.FromRaw(parameters[i], values[i]);
            var results = new Val[resultKinds.Length];
            for (int i = 0; i < results.Length; i++) results[i] = Zero(resultKinds[i]);
            callback(caller, args, results);
            for (int i = 0; i < results.Length; i++)
            {
                if (results[i].Kind != resultKinds[i])
                    throw new InvalidOperationException(
                        $"host function of type {type} returned {ValKinds.Name(results[i].Kind)} for result {i}, expected {ValKinds.Name(resultKinds[i])}");
                values[i] = s.ToRaw(results[i]);
            }
        });
    }

    internal static FuncType HostType(ValKind[] parameters, ValKind[] results) =>
        new(Array.ConvertAll(parameters, ValKinds.ToValType), Array.ConvertAll(results, ValKinds.ToValType));

    internal static Val Zero(ValKind kind) => kind is ValKind.FuncRef or ValKind.ExternRef ? Val.Null(kind) : Val.FromRawBits(kind, 0);

    /// <summary>Calls the function with <paramref name="args"/> and returns its results.</summary>
    /// <exception cref="ArgumentException">Wrong argument count or types, or a reference of another store.</exception>
    /// <exception cref="TrapException">Execution trapped.</exception>
    /// <exception cref="ObjectDisposedException">The store is disposed.</exception>
    public Val[] Call(params Val[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var results = new Val[Type.Results.Count];
        Call(args, results);
        return results;
    }

    /// <summary>Calls the function with <paramref name="args"/>, writing its results into the first elements of <paramref name="results"/>.</summary>
    /// <exception cref="ArgumentException">Wrong argument count or types, a reference of another store, or too small a result span.</exception>
    /// <exception cref="TrapException">Execution trapped.</exception>
    /// <exception cref="ObjectDisposedException">The store is disposed.</exception>
    public void Call(ReadOnlySpan<Val> args, Span<Val> results)
    {
        Store.ThrowIfDisposed();
        var ps = InternalType.Params;
        var rs = InternalType.Results;
        if (args.Length != ps.Length)
            throw new ArgumentException($"function of type {Type} takes {ps.Length} argument(s), got {args.Length}", nameof(args));
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i].Kind != ValKinds.FromValType(ps[i]))
                throw new ArgumentException($"argument {i} of function of type {Type}: expected {ps[i].Name()}, found {ValKinds.Name(args[i].Kind)}", nameof(args));
        }
        if (results.Length < rs.Length)
            throw new ArgumentException($"function of type {Type} has {rs.Length} result(s); the result span has room for {results.Length}", nameof(results));
        int n = Math.Max(Slots, 1);
        ValRaw[]? heap = n > StackSlots ? new ValRaw[n] : null;
        ValRaw* stack = stackalloc ValRaw[heap is null ? n : 1];
        fixed (ValRaw* pinned = heap)
        {
            ValRaw* values = heap is null ? stack : pinned;
            for (int i = 0; i < args.Length; i++) values[i] = Store.ToRaw(args[i]);
            CallRaw(values, (nuint)Slots);
            for (int i = 0; i < rs.Length; i++) results[i] = Store.FromRaw(ValKinds.FromValType(rs[i]), values[i]);
        }
    }

    /// <summary>Calls through the array-call ABI (host functions directly); <paramref name="count"/> is at least <see cref="Slots"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void CallRaw(ValRaw* values, nuint count)
    {
        if (Host is { } host)
        {
            Store.ThrowIfDisposed();
            host(Store.HostCaller, new Span<ValRaw>(values, (int)count));
            return;
        }
        nint vmctx = *(nint*)(FuncRef + VMFuncRefLayout.Vmctx);
        Store.CallArray(*(nint*)(FuncRef + VMFuncRefLayout.ArrayCall), vmctx, vmctx, values, count);
    }

    /// <summary>The exit trampolines' target: runs a host function; never lets an exception escape.</summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int Dispatch(nint hostCtx, nint callerVmctx, ValRaw* values, nuint count)
    {
        Func? func = null;
        try
        {
            func = (Func)GCHandle.FromIntPtr(*(nint*)(hostCtx + VMHostContextLayout.Handle)).Target!;
            var caller = callerVmctx != 0 && Sharptime.Instance.FromVmctx(callerVmctx) is { } instance ? instance.Caller : func.Store.HostCaller;
            func.Host!(caller, new Span<ValRaw>(values, (int)count));
            return 0;
        }
        catch (Exception e)
        {
            try
            {
                func?.Store.AttachBacktrace(e);
                func?.Store.ParkException(e);
            }
            catch
            {
                // Parking cannot fail in practice; never let anything escape into native code.
            }
            *(int*)(*(nint*)(hostCtx + VMHostContextLayout.StoreContext) + VMStoreContextLayout.TrapCode) = TrapCodes.HostException;
            return 1;
        }
    }

    /// <summary>
    /// A typed view of the function, checked once against its wasm type: <typeparamref name="TParams"/> and
    /// <typeparamref name="TResults"/> are each a scalar (<see cref="int"/>, <see cref="long"/>, <see cref="float"/>,
    /// <see cref="double"/>, <see cref="Func"/> for funcref, a reference type for externref), a
    /// <see cref="ValueTuple"/> of them, or <see cref="ValueTuple"/> for none.
    /// </summary>
    /// <exception cref="ArgumentException">The types do not match the function's wasm type.</exception>
    public TypedFunc<TParams, TResults> Typed<TParams, TResults>()
    {
        Store.ThrowIfDisposed();
        var p = Codec<TParams>.Get();
        var r = Codec<TResults>.Get();
        var expected = new FunctionType(p.Kinds, r.Kinds);
        if (!expected.Equals(Type))
            throw new ArgumentException($"typed function mismatch: the wasm function has type {Type}, the requested type is {expected}");
        return new TypedFunc<TParams, TResults>(this);
    }

    /// <summary>The function type in WAT notation.</summary>
    public override string ToString() => Type.ToString();
}
