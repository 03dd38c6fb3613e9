namespace Sharptime;

/// <summary>
/// A typed WebAssembly value as the host sees it: a number, a <see cref="Func"/> (funcref) or any .NET object
/// (externref). References may be null.
/// </summary>
public readonly struct Val : IEquatable<Val>
{
    private readonly long _bits;
    private readonly object? _ref;

    private Val(ValKind kind, long bits, object? reference)
    {
        Kind = kind;
        _bits = bits;
        _ref = reference;
    }

    /// <summary>The value's type.</summary>
    public ValKind Kind { get; }

    /// <summary>An <c>i32</c>.</summary>
    public static Val FromI32(int value) => new(ValKind.I32, (uint)value, null);
    /// <summary>An <c>i64</c>.</summary>
    public static Val FromI64(long value) => new(ValKind.I64, value, null);
    /// <summary>An <c>f32</c>.</summary>
    public static Val FromF32(float value) => new(ValKind.F32, BitConverter.SingleToUInt32Bits(value), null);
    /// <summary>An <c>f32</c> with an exact bit pattern (NaN payloads survive).</summary>
    public static Val FromF32Bits(uint bits) => new(ValKind.F32, bits, null);
    /// <summary>An <c>f64</c>.</summary>
    public static Val FromF64(double value) => new(ValKind.F64, BitConverter.DoubleToInt64Bits(value), null);
    /// <summary>An <c>f64</c> with an exact bit pattern (NaN payloads survive).</summary>
    public static Val FromF64Bits(ulong bits) => new(ValKind.F64, (long)bits, null);
    /// <summary>A <c>funcref</c>; null is the null reference.</summary>
    public static Val FromFunc(Func? func) => new(ValKind.FuncRef, 0, func);
    /// <summary>An <c>externref</c> carrying <paramref name="value"/>; null is the null reference.</summary>
    public static Val FromExtern(object? value) => new(ValKind.ExternRef, 0, value);
    /// <summary>The null reference of <paramref name="kind"/> (<see cref="ValKind.FuncRef"/> or <see cref="ValKind.ExternRef"/>).</summary>
    public static Val Null(ValKind kind) => kind is ValKind.FuncRef or ValKind.ExternRef
        ? new(kind, 0, null)
        : throw new ArgumentException($"{kind} is not a reference type", nameof(kind));

    /// <summary>Converts an <see cref="int"/> to an <c>i32</c> value.</summary>
    public static implicit operator Val(int value) => FromI32(value);
    /// <summary>Converts a <see cref="long"/> to an <c>i64</c> value.</summary>
    public static implicit operator Val(long value) => FromI64(value);
    /// <summary>Converts a <see cref="float"/> to an <c>f32</c> value.</summary>
    public static implicit operator Val(float value) => FromF32(value);
    /// <summary>Converts a <see cref="double"/> to an <c>f64</c> value.</summary>
    public static implicit operator Val(double value) => FromF64(value);

    /// <summary>The <c>i32</c> this value holds.</summary>
    /// <exception cref="InvalidOperationException">The value is of another kind.</exception>
    public int AsI32() => Kind == ValKind.I32 ? (int)_bits : throw WrongKind(ValKind.I32);
    /// <summary>The <c>i64</c> this value holds.</summary>
    public long AsI64() => Kind == ValKind.I64 ? _bits : throw WrongKind(ValKind.I64);
    /// <summary>The <c>f32</c> this value holds.</summary>
    public float AsF32() => Kind == ValKind.F32 ? BitConverter.UInt32BitsToSingle((uint)_bits) : throw WrongKind(ValKind.F32);
    /// <summary>The <c>f64</c> this value holds.</summary>
    public double AsF64() => Kind == ValKind.F64 ? BitConverter.Int64BitsToDouble(_bits) : throw WrongKind(ValKind.F64);
    /// <summary>The function a <c>funcref</c> refers to, or null.</summary>
    public Func? AsFunc() => Kind == ValKind.FuncRef ? (Func?)_ref : throw WrongKind(ValKind.FuncRef);
    /// <summary>The object an <c>externref</c> carries, or null.</summary>
    public object? AsExtern() => Kind == ValKind.ExternRef ? _ref : throw WrongKind(ValKind.ExternRef);

    /// <summary>True for a null reference.</summary>
    public bool IsNull => Kind is ValKind.FuncRef or ValKind.ExternRef && _ref is null;

    /// <summary>The raw bits of a numeric value (an <c>i32</c> or <c>f32</c> zero-extended).</summary>
    public long RawBits => _bits;

    internal object? Reference => _ref;

    internal static Val FromRawBits(ValKind kind, long bits) => new(kind, bits, null);

    /// <inheritdoc/>
    public bool Equals(Val other) => Kind == other.Kind && _bits == other._bits && ReferenceEquals(_ref, other._ref);
    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Val v && Equals(v);
    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Kind, _bits, _ref);
    /// <summary>Equality of kind and bits (references by identity).</summary>
    public static bool operator ==(Val left, Val right) => left.Equals(right);
    /// <summary>Inequality of kind and bits (references by identity).</summary>
    public static bool operator !=(Val left, Val right) => !left.Equals(right);

    /// <summary>The value in WAST-like notation, e.g. <c>i32:42</c>.</summary>
    public override string ToString() => Kind switch
    {
        ValKind.I32 => $"i32:{(int)_bits}",
        ValKind.I64 => $"i64:{_bits}",
        ValKind.F32 => $"f32:{AsF32()}",
        ValKind.F64 => $"f64:{AsF64()}",
        ValKind.FuncRef => _ref is null ? "funcref:null" : "funcref",
        ValKind.ExternRef => _ref is null ? "externref:null" : $"externref:{_ref}",
        _ => Kind.ToString(),
    };

    private InvalidOperationException WrongKind(ValKind expected) =>
        new($"the value is {ValKinds.Name(Kind)}, not {ValKinds.Name(expected)}");
}
