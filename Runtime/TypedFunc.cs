using Sharptime.Vm;

namespace Sharptime;

/// <summary>
/// A function viewed with CLR parameter and result types, checked once against its wasm type when created
/// (<see cref="Func.Typed{TParams, TResults}"/>). Calls convert values without boxing or allocating.
/// </summary>
/// <typeparam name="TParams">A scalar, a ValueTuple of scalars, or <see cref="ValueTuple"/> for no parameters.</typeparam>
/// <typeparam name="TResults">A scalar, a ValueTuple of scalars, or <see cref="ValueTuple"/> for no results.</typeparam>
public sealed unsafe class TypedFunc<TParams, TResults>
{
    private readonly Codec<TParams> _params;
    private readonly Codec<TResults> _results;
    private readonly int _slots;

    internal TypedFunc(Func func)
    {
        Func = func;
        _params = Codec<TParams>.Get();
        _results = Codec<TResults>.Get();
        _slots = Math.Max(func.Slots, 1);
    }

    /// <summary>The underlying function.</summary>
    public Func Func { get; }

    /// <summary>Calls the function.</summary>
    /// <exception cref="TrapException">Execution trapped.</exception>
    /// <exception cref="ArgumentException">A reference argument belongs to another store.</exception>
    /// <exception cref="ObjectDisposedException">The store is disposed.</exception>
    public TResults Call(TParams args)
    {
        var store = Func.Store;
        int n = _slots;
        if (n > 64) return CallHeap(args);
        ValRaw* values = stackalloc ValRaw[n];
        var span = new Span<ValRaw>(values, n);
        _params.Write(store, span, args);
        Func.CallRaw(values, (nuint)n);
        return _results.Read(store, span);
    }

    private TResults CallHeap(TParams args)
    {
        var store = Func.Store;
        var buffer = new ValRaw[_slots];
        _params.Write(store, buffer, args);
        fixed (ValRaw* values = buffer) Func.CallRaw(values, (nuint)buffer.Length);
        return _results.Read(store, buffer);
    }
}
