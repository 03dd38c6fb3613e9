namespace Sharptime.Format;

/// <summary>A WebAssembly value type; the numeric value is its binary encoding.</summary>
internal enum ValType : byte
{
    I32 = 0x7F,
    I64 = 0x7E,
    F32 = 0x7D,
    F64 = 0x7C,
    V128 = 0x7B,
    FuncRef = 0x70,
    ExternRef = 0x6F,
}

internal static class ValTypes
{
    public static bool IsReference(this ValType t) => t is ValType.FuncRef or ValType.ExternRef;

    public static bool IsDefined(byte b) => b is 0x7F or 0x7E or 0x7D or 0x7C or 0x7B or 0x70 or 0x6F;

    public static string Name(this ValType t) => t switch
    {
        ValType.I32 => "i32",
        ValType.I64 => "i64",
        ValType.F32 => "f32",
        ValType.F64 => "f64",
        ValType.V128 => "v128",
        ValType.FuncRef => "funcref",
        ValType.ExternRef => "externref",
        _ => $"<type 0x{(byte)t:x2}>",
    };
}
