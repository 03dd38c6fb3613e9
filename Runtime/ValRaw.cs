using System.Runtime.InteropServices;

namespace Sharptime;

/// <summary>
/// One untyped 16-byte value slot, the unit of the array-call ABI between host and wasm.
/// Little-endian on every host: an <c>i32</c> occupies bytes 0–3, an <c>i64</c> bytes 0–7, floats their bit
/// patterns likewise, a <c>v128</c> all sixteen, a reference its pointer-sized handle. Writing an <c>i32</c> into a
/// zeroed slot therefore gives the same bytes as writing the zero-extended <c>i64</c>.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 16)]
public struct ValRaw
{
    /// <summary>The slot as a 32-bit integer (bytes 0–3).</summary>
    [FieldOffset(0)] public int I32;
    /// <summary>The slot as a 64-bit integer (bytes 0–7).</summary>
    [FieldOffset(0)] public long I64;
    /// <summary>The bit pattern of a 32-bit float (bytes 0–3).</summary>
    [FieldOffset(0)] public uint F32Bits;
    /// <summary>The bit pattern of a 64-bit float (bytes 0–7).</summary>
    [FieldOffset(0)] public ulong F64Bits;
    /// <summary>A reference: a funcref's native pointer or an externref's store handle; zero is null.</summary>
    [FieldOffset(0)] public nint Ref;
    /// <summary>Bytes 8–15 (the high half of a <c>v128</c>).</summary>
    [FieldOffset(8)] public ulong High;

    /// <summary>The slot as a 32-bit float.</summary>
    public float F32 { readonly get => BitConverter.UInt32BitsToSingle(F32Bits); set => F32Bits = BitConverter.SingleToUInt32Bits(value); }

    /// <summary>The slot as a 64-bit float.</summary>
    public double F64 { readonly get => BitConverter.UInt64BitsToDouble(F64Bits); set => F64Bits = BitConverter.DoubleToUInt64Bits(value); }

    /// <summary>A slot holding <paramref name="value"/>, upper bytes zero.</summary>
    public static ValRaw FromI32(int value) => new() { I64 = (uint)value };
    /// <summary>A slot holding <paramref name="value"/>, upper bytes zero.</summary>
    public static ValRaw FromI64(long value) => new() { I64 = value };
    /// <summary>A slot holding <paramref name="value"/>'s bits, upper bytes zero.</summary>
    public static ValRaw FromF32(float value) => new() { F32Bits = BitConverter.SingleToUInt32Bits(value) };
    /// <summary>A slot holding <paramref name="value"/>'s bits, upper bytes zero.</summary>
    public static ValRaw FromF64(double value) => new() { F64Bits = BitConverter.DoubleToUInt64Bits(value) };
}
