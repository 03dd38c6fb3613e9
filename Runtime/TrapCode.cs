namespace Sharptime;

/// <summary>Why WebAssembly execution stopped abnormally.</summary>
public enum TrapCode
{
    /// <summary>The <c>unreachable</c> instruction ran.</summary>
    Unreachable = 1,
    /// <summary>Integer division or remainder by zero.</summary>
    IntegerDivisionByZero,
    /// <summary>Signed division overflowed (<c>MIN / -1</c>).</summary>
    IntegerOverflow,
    /// <summary>A float-to-integer truncation got NaN or an out-of-range value.</summary>
    BadConversionToInteger,
    /// <summary>A memory access was out of bounds.</summary>
    MemoryOutOfBounds,
    /// <summary>A table access was out of bounds.</summary>
    TableOutOfBounds,
    /// <summary><c>call_indirect</c> found a null entry.</summary>
    IndirectCallToNull,
    /// <summary><c>call_indirect</c> found a function of another type.</summary>
    BadSignature,
    /// <summary>The wasm stack limit (<see cref="Config.MaxWasmStack"/>) was exceeded.</summary>
    StackOverflow,
    /// <summary><c>call_indirect</c> used an index beyond the table's end.</summary>
    UndefinedElement,
    /// <summary>
    /// The store's epoch deadline passed (<see cref="Config.EpochInterruption"/>, <see cref="Store.SetEpochDeadline"/>)
    /// and no deadline callback let execution continue.
    /// </summary>
    Interrupt,
    /// <summary>The store ran out of fuel (<see cref="Config.ConsumeFuel"/>, <see cref="Store.SetFuel"/>).</summary>
    OutOfFuel,
}

internal static class TrapCodes
{
    /// <summary>Not a trap: a host function threw; the store holds the exception to rethrow.</summary>
    public const int HostException = 100;

    /// <summary>One more than the largest <see cref="TrapCode"/>: the size of tables indexed by trap code.</summary>
    public static readonly int Count = (int)Enum.GetValues<TrapCode>().Max() + 1;

    /// <summary>The message the spec test suite expects for each trap.</summary>
    public static string Message(TrapCode code) => code switch
    {
        TrapCode.Unreachable => "unreachable",
        TrapCode.IntegerDivisionByZero => "integer divide by zero",
        TrapCode.IntegerOverflow => "integer overflow",
        TrapCode.BadConversionToInteger => "invalid conversion to integer",
        TrapCode.MemoryOutOfBounds => "out of bounds memory access",
        TrapCode.TableOutOfBounds => "out of bounds table access",
        TrapCode.IndirectCallToNull => "uninitialized element",
        TrapCode.BadSignature => "indirect call type mismatch",
        TrapCode.StackOverflow => "call stack exhausted",
        TrapCode.UndefinedElement => "undefined element",
        TrapCode.Interrupt => "interrupt",
        TrapCode.OutOfFuel => "all fuel consumed by WebAssembly",
        _ => "unknown trap",
    };
}
