using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Sharptime.Vm;

/// <summary>Reads and writes one CLR type as one wasm value slot, without boxing numbers.</summary>
internal static class Scalar<T>
{
    /// <summary>The wasm kind of <typeparamref name="T"/>, or null when it is not a scalar wasm type.</summary>
    public static readonly ValKind? Kind = KindOf(typeof(T));

    private static ValKind? KindOf(Type t)
    {
        if (t == typeof(int) || t == typeof(uint)) return ValKind.I32;
        if (t == typeof(long) || t == typeof(ulong)) return ValKind.I64;
        if (t == typeof(float)) return ValKind.F32;
        if (t == typeof(double)) return ValKind.F64;
        if (t == typeof(Func)) return ValKind.FuncRef;
        if (!t.IsValueType && t != typeof(Caller) && t != typeof(Store) && !typeof(Delegate).IsAssignableFrom(t)) return ValKind.ExternRef;
        return null;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Read(Store store, in ValRaw raw)
    {
        if (typeof(T) == typeof(int)) { int v = raw.I32; return Unsafe.As<int, T>(ref v); }
        if (typeof(T) == typeof(uint)) { uint v = (uint)raw.I32; return Unsafe.As<uint, T>(ref v); }
        if (typeof(T) == typeof(long)) { long v = raw.I64; return Unsafe.As<long, T>(ref v); }
        if (typeof(T) == typeof(ulong)) { ulong v = (ulong)raw.I64; return Unsafe.As<ulong, T>(ref v); }
        if (typeof(T) == typeof(float)) { float v = raw.F32; return Unsafe.As<float, T>(ref v); }
        if (typeof(T) == typeof(double)) { double v = raw.F64; return Unsafe.As<double, T>(ref v); }
        if (typeof(T) == typeof(Func)) { var f = store.FuncFromRef(raw.Ref); return Unsafe.As<Func?, T>(ref f); }
        return (T)store.ExternFromHandle(raw.Ref)!;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Write(Store store, ref ValRaw raw, T value)
    {
        if (typeof(T) == typeof(int)) { raw.I64 = (uint)Unsafe.As<T, int>(ref value); return; }
        if (typeof(T) == typeof(uint)) { raw.I64 = Unsafe.As<T, uint>(ref value); return; }
        if (typeof(T) == typeof(long)) { raw.I64 = Unsafe.As<T, long>(ref value); return; }
        if (typeof(T) == typeof(ulong)) { raw.I64 = (long)Unsafe.As<T, ulong>(ref value); return; }
        if (typeof(T) == typeof(float)) { raw.I64 = Unsafe.As<T, uint>(ref value); return; }
        if (typeof(T) == typeof(double)) { raw.I64 = Unsafe.As<T, long>(ref value); return; }
        if (typeof(T) == typeof(Func)) { raw.I64 = store.FuncToRef(Unsafe.As<T, Func?>(ref value)); return; }
        raw.I64 = store.ExternToHandle(value);
    }

    /// <summary>The kind, or an ArgumentException naming the unsupported type.</summary>
    public static ValKind Require() =>
        Kind ?? throw new ArgumentException($"{typeof(T)} is not a wasm value type (use int, uint, long, ulong, float, double, Func or a reference type)");
}

/// <summary>Reads and writes a parameter or result list: a scalar, a ValueTuple of scalars, or ValueTuple for none.</summary>
internal abstract class Codec<T>
{
    private static readonly Codec<T>? s_instance;
    private static readonly string? s_error;

#pragma warning disable CA1810 // explicit static constructor: computes both fields at once
    static Codec()
#pragma warning restore CA1810
    {
        try
        {
            s_instance = Create();
        }
        catch (ArgumentException e)
        {
            s_error = e.Message;
        }
    }

    public abstract ValKind[] Kinds { get; }

    public abstract T Read(Store store, ReadOnlySpan<ValRaw> values);

    public abstract void Write(Store store, Span<ValRaw> values, T value);

    /// <summary>The codec, or an ArgumentException naming the unsupported type.</summary>
    public static Codec<T> Get() => s_instance ?? throw new ArgumentException(s_error);

    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "tuple element types are wasm scalars; the JIT runtime needs dynamic code anyway")]
    [UnconditionalSuppressMessage("Trimming", "IL2055", Justification = "the codec types are referenced statically")]
    [UnconditionalSuppressMessage("Trimming", "IL2077", Justification = "the codec types are referenced statically")]
    [UnconditionalSuppressMessage("Trimming", "IL2072", Justification = "the codec types are referenced statically")]
    private static Codec<T> Create()
    {
        var t = typeof(T);
        if (Scalar<T>.Kind is not null) return new ScalarCodec<T>();
        if (t == typeof(ValueTuple)) return (Codec<T>)(object)new UnitCodec();
        if (t.IsGenericType && t.FullName!.StartsWith("System.ValueTuple`", StringComparison.Ordinal))
        {
            var args = t.GetGenericArguments();
            Type? open = args.Length switch
            {
                1 => typeof(TupleCodec<>),
                2 => typeof(TupleCodec<,>),
                3 => typeof(TupleCodec<,,>),
                4 => typeof(TupleCodec<,,,>),
                5 => typeof(TupleCodec<,,,,>),
                6 => typeof(TupleCodec<,,,,,>),
                7 => typeof(TupleCodec<,,,,,,>),
                _ => null,
            };
            if (open is null) throw new ArgumentException($"{t} has too many elements (at most 7 are supported)");
            foreach (var a in args)
            {
                if (!a.IsValueType || a == typeof(int) || a == typeof(uint) || a == typeof(long) || a == typeof(ulong) || a == typeof(float) || a == typeof(double))
                    continue;
                throw new ArgumentException($"{t}: element type {a} is not a wasm value type");
            }
            try
            {
                return (Codec<T>)Activator.CreateInstance(open.MakeGenericType(args))!;
            }
            catch (System.Reflection.TargetInvocationException e) when (e.InnerException is ArgumentException inner)
            {
                throw new ArgumentException($"{t}: {inner.Message}");
            }
        }
        throw new ArgumentException($"{t} is not a wasm value type or a ValueTuple of them");
    }
}

internal sealed class ScalarCodec<T> : Codec<T>
{
    public override ValKind[] Kinds { get; } = [Scalar<T>.Require()];
    public override T Read(Store store, ReadOnlySpan<ValRaw> values) => Scalar<T>.Read(store, values[0]);
    public override void Write(Store store, Span<ValRaw> values, T value) => Scalar<T>.Write(store, ref values[0], value);
}

internal sealed class UnitCodec : Codec<ValueTuple>
{
    public override ValKind[] Kinds { get; } = [];
    public override ValueTuple Read(Store store, ReadOnlySpan<ValRaw> values) => default;
    public override void Write(Store store, Span<ValRaw> values, ValueTuple value) { }
}

internal sealed class TupleCodec<T1> : Codec<ValueTuple<T1>>
{
    public override ValKind[] Kinds { get; } = [Scalar<T1>.Require()];
    public override ValueTuple<T1> Read(Store s, ReadOnlySpan<ValRaw> v) => new(Scalar<T1>.Read(s, v[0]));
    public override void Write(Store s, Span<ValRaw> v, ValueTuple<T1> x) => Scalar<T1>.Write(s, ref v[0], x.Item1);
}

internal sealed class TupleCodec<T1, T2> : Codec<(T1, T2)>
{
    public override ValKind[] Kinds { get; } = [Scalar<T1>.Require(), Scalar<T2>.Require()];
    public override (T1, T2) Read(Store s, ReadOnlySpan<ValRaw> v) => (Scalar<T1>.Read(s, v[0]), Scalar<T2>.Read(s, v[1]));
    public override void Write(Store s, Span<ValRaw> v, (T1, T2) x)
    {
        Scalar<T1>.Write(s, ref v[0], x.Item1);
        Scalar<T2>.Write(s, ref v[1], x.Item2);
    }
}

internal sealed class TupleCodec<T1, T2, T3> : Codec<(T1, T2, T3)>
{
    public override ValKind[] Kinds { get; } = [Scalar<T1>.Require(), Scalar<T2>.Require(), Scalar<T3>.Require()];
    public override (T1, T2, T3) Read(Store s, ReadOnlySpan<ValRaw> v) =>
        (Scalar<T1>.Read(s, v[0]), Scalar<T2>.Read(s, v[1]), Scalar<T3>.Read(s, v[2]));
    public override void Write(Store s, Span<ValRaw> v, (T1, T2, T3) x)
    {
        Scalar<T1>.Write(s, ref v[0], x.Item1);
        Scalar<T2>.Write(s, ref v[1], x.Item2);
        Scalar<T3>.Write(s, ref v[2], x.Item3);
    }
}

internal sealed class TupleCodec<T1, T2, T3, T4> : Codec<(T1, T2, T3, T4)>
{
    public override ValKind[] Kinds { get; } = [Scalar<T1>.Require(), Scalar<T2>.Require(), Scalar<T3>.Require(), Scalar<T4>.Require()];
    public override (T1, T2, T3, T4) Read(Store s, ReadOnlySpan<ValRaw> v) =>
        (Scalar<T1>.Read(s, v[0]), Scalar<T2>.Read(s, v[1]), Scalar<T3>.Read(s, v[2]), Scalar<T4>.Read(s, v[3]));
    public override void Write(Store s, Span<ValRaw> v, (T1, T2, T3, T4) x)
    {
        Scalar<T1>.Write(s, ref v[0], x.Item1);
        Scalar<T2>.Write(s, ref v[1], x.Item2);
        Scalar<T3>.Write(s, ref v[2], x.Item3);
        Scalar<T4>.Write(s, ref v[3], x.Item4);
    }
}

internal sealed class TupleCodec<T1, T2, T3, T4, T5> : Codec<(T1, T2, T3, T4, T5)>
{
    public override ValKind[] Kinds { get; } = [Scalar<T1>.Require(), Scalar<T2>.Require(), Scalar<T3>.Require(), Scalar<T4>.Require(), Scalar<T5>.Require()];
    public override (T1, T2, T3, T4, T5) Read(Store s, ReadOnlySpan<ValRaw> v) =>
        (Scalar<T1>.Read(s, v[0]), Scalar<T2>.Read(s, v[1]), Scalar<T3>.Read(s, v[2]), Scalar<T4>.Read(s, v[3]), Scalar<T5>.Read(s, v[4]));
    public override void Write(Store s, Span<ValRaw> v, (T1, T2, T3, T4, T5) x)
    {
        Scalar<T1>.Write(s, ref v[0], x.Item1);
        Scalar<T2>.Write(s, ref v[1], x.Item2);
        Scalar<T3>.Write(s, ref v[2], x.Item3);
        Scalar<T4>.Write(s, ref v[3], x.Item4);
        Scalar<T5>.Write(s, ref v[4], x.Item5);
    }
}

internal sealed class TupleCodec<T1, T2, T3, T4, T5, T6> : Codec<(T1, T2, T3, T4, T5, T6)>
{
    public override ValKind[] Kinds { get; } = [Scalar<T1>.Require(), Scalar<T2>.Require(), Scalar<T3>.Require(), Scalar<T4>.Require(), Scalar<T5>.Require(), Scalar<T6>.Require()];
    public override (T1, T2, T3, T4, T5, T6) Read(Store s, ReadOnlySpan<ValRaw> v) =>
        (Scalar<T1>.Read(s, v[0]), Scalar<T2>.Read(s, v[1]), Scalar<T3>.Read(s, v[2]), Scalar<T4>.Read(s, v[3]), Scalar<T5>.Read(s, v[4]), Scalar<T6>.Read(s, v[5]));
    public override void Write(Store s, Span<ValRaw> v, (T1, T2, T3, T4, T5, T6) x)
    {
        Scalar<T1>.Write(s, ref v[0], x.Item1);
        Scalar<T2>.Write(s, ref v[1], x.Item2);
        Scalar<T3>.Write(s, ref v[2], x.Item3);
        Scalar<T4>.Write(s, ref v[3], x.Item4);
        Scalar<T5>.Write(s, ref v[4], x.Item5);
        Scalar<T6>.Write(s, ref v[5], x.Item6);
    }
}

internal sealed class TupleCodec<T1, T2, T3, T4, T5, T6, T7> : Codec<(T1, T2, T3, T4, T5, T6, T7)>
{
    public override ValKind[] Kinds { get; } =
        [Scalar<T1>.Require(), Scalar<T2>.Require(), Scalar<T3>.Require(), Scalar<T4>.Require(), Scalar<T5>.Require(), Scalar<T6>.Require(), Scalar<T7>.Require()];
    public override (T1, T2, T3, T4, T5, T6, T7) Read(Store s, ReadOnlySpan<ValRaw> v) =>
        (Scalar<T1>.Read(s, v[0]), Scalar<T2>.Read(s, v[1]), Scalar<T3>.Read(s, v[2]), Scalar<T4>.Read(s, v[3]), Scalar<T5>.Read(s, v[4]), Scalar<T6>.Read(s, v[5]), Scalar<T7>.Read(s, v[6]));
    public override void Write(Store s, Span<ValRaw> v, (T1, T2, T3, T4, T5, T6, T7) x)
    {
        Scalar<T1>.Write(s, ref v[0], x.Item1);
        Scalar<T2>.Write(s, ref v[1], x.Item2);
        Scalar<T3>.Write(s, ref v[2], x.Item3);
        Scalar<T4>.Write(s, ref v[3], x.Item4);
        Scalar<T5>.Write(s, ref v[4], x.Item5);
        Scalar<T6>.Write(s, ref v[5], x.Item6);
        Scalar<T7>.Write(s, ref v[6], x.Item7);
    }
}
