using Sharptime.Format;

namespace Sharptime;

/// <summary>A function's parameter and result types.</summary>
public sealed class FunctionType : IEquatable<FunctionType>
{
    /// <summary>Creates a function type.</summary>
    public FunctionType(IEnumerable<ValKind> parameters, IEnumerable<ValKind> results)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(results);
        Parameters = parameters.ToArray();
        Results = results.ToArray();
    }

    /// <summary>The parameter types, in order.</summary>
    public IReadOnlyList<ValKind> Parameters { get; }

    /// <summary>The result types, in order.</summary>
    public IReadOnlyList<ValKind> Results { get; }

    /// <inheritdoc/>
    public bool Equals(FunctionType? other) =>
        other is not null && Parameters.SequenceEqual(other.Parameters) && Results.SequenceEqual(other.Results);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as FunctionType);

    /// <inheritdoc/>
    public override int GetHashCode() => Internal().GetHashCode();

    /// <summary>The type in WAT notation, e.g. <c>(func (param i32 i32) (result i32))</c>.</summary>
    public override string ToString() =>
        $"(func{(Parameters.Count > 0 ? " (param " + string.Join(" ", Parameters.Select(ValKinds.Name)) + ")" : "")}" +
        $"{(Results.Count > 0 ? " (result " + string.Join(" ", Results.Select(ValKinds.Name)) + ")" : "")})";

    internal FuncType Internal() =>
        new(Parameters.Select(ValKinds.ToValType).ToArray(), Results.Select(ValKinds.ToValType).ToArray());

    internal static FunctionType From(FuncType type) =>
        new(type.Params.Select(ValKinds.FromValType), type.Results.Select(ValKinds.FromValType));
}

internal static class ValKinds
{
    public static ValType ToValType(ValKind kind) => kind switch
    {
        ValKind.I32 => ValType.I32,
        ValKind.I64 => ValType.I64,
        ValKind.F32 => ValType.F32,
        ValKind.F64 => ValType.F64,
        ValKind.V128 => ValType.V128,
        ValKind.FuncRef => ValType.FuncRef,
        ValKind.ExternRef => ValType.ExternRef,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a value kind"),
    };

    public static ValKind FromValType(ValType type) => type switch
    {
        ValType.I32 => ValKind.I32,
        ValType.I64 => ValKind.I64,
        ValType.F32 => ValKind.F32,
        ValType.F64 => ValKind.F64,
        ValType.V128 => ValKind.V128,
        ValType.FuncRef => ValKind.FuncRef,
        _ => ValKind.ExternRef,
    };

    public static string Name(ValKind kind) => ToValType(kind).Name();
}
