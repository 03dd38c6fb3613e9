using System.Runtime.InteropServices;
using Sharptime.Format;
using Sharptime.Tests.Shared;
using Sharptime.Text;
using Sharptime.Validation;
using Xunit.Abstractions;

namespace Sharptime.Tests.Compiler;

public class FloatAndConversionTests(ITestOutputHelper output)
{
    private static long F32(float f) => BitConverter.SingleToUInt32Bits(f);
    private static long F64(double d) => BitConverter.DoubleToInt64Bits(d);

    private static string Unary(string param, string result, string op) =>
        $"(module (func (export \"f\") (param {param}) (result {result}) local.get 0 {op}))";

    private static string Binary(string type, string result, string op) =>
        $"(module (func (export \"f\") (param {type} {type}) (result {result}) local.get 0 local.get 1 {op}))";

    private static ValRaw Run(string wat, params long[] args)
    {
        using var jit = new JitHarness(wat);
        return jit.Call("f", args)[0];
    }

    private static TrapCode Trap(string wat, long arg)
    {
        using var jit = new JitHarness(wat);
        return Assert.Throws<TrapException>(() => jit.Call("f", arg)).Code;
    }

    // ---- arithmetic ----------------------------------------------------------------------------------

    [Fact]
    public void AddsF64() => Assert.Equal(F64(0.1 + 0.2), (long)Run(Binary("f64", "f64", "f64.add"), F64(0.1), F64(0.2)).F64Bits);

    [Fact]
    public void DividesF32() => Assert.Equal(F32(1f / 3f), Run(Binary("f32", "f32", "f32.div"), F32(1f), F32(3f)).F32Bits);

    [Fact]
    public void MinOfSignedZerosIsNegativeZero()
    {
        Assert.Equal(F32(-0f), Run(Binary("f32", "f32", "f32.min"), F32(0f), F32(-0f)).F32Bits);
        Assert.Equal(F32(-0f), Run(Binary("f32", "f32", "f32.min"), F32(-0f), F32(0f)).F32Bits);
        Assert.Equal(F64(-0.0), (long)Run(Binary("f64", "f64", "f64.min"), F64(0.0), F64(-0.0)).F64Bits);
    }

    [Fact]
    public void MaxOfSignedZerosIsPositiveZero()
    {
        Assert.Equal(F32(0f), Run(Binary("f32", "f32", "f32.max"), F32(-0f), F32(0f)).F32Bits);
        Assert.Equal(F64(0.0), (long)Run(Binary("f64", "f64", "f64.max"), F64(0.0), F64(-0.0)).F64Bits);
    }

    [Fact]
    public void MinAndMaxPropagateNaN()
    {
        Assert.True(float.IsNaN(BitConverter.UInt32BitsToSingle(Run(Binary("f32", "f32", "f32.min"), F32(1f), F32(float.NaN)).F32Bits)));
        Assert.True(float.IsNaN(BitConverter.UInt32BitsToSingle(Run(Binary("f32", "f32", "f32.max"), F32(float.NaN), F32(1f)).F32Bits)));
        // A signalling NaN comes back quiet (an arithmetic NaN).
        Assert.Equal(0x7FF8_0000_0000_0000UL, Run(Binary("f64", "f64", "f64.max"), F64(2.0), 0x7FF0_0000_0000_0001).F64Bits & 0x7FF8_0000_0000_0000UL);
    }

    [Fact]
    public void MinAndMaxOfOrdinaryValues()
    {
        Assert.Equal(F32(-2f), Run(Binary("f32", "f32", "f32.min"), F32(3f), F32(-2f)).F32Bits);
        Assert.Equal(F64(3.0), (long)Run(Binary("f64", "f64", "f64.max"), F64(3.0), F64(-2.0)).F64Bits);
    }

    [Fact]
    public void CopysignKeepsNaNPayload()
    {
        Assert.Equal(0xFFA0_0001u, Run(Binary("f32", "f32", "f32.copysign"), 0x7FA0_0001, F32(-1f)).F32Bits);
        Assert.Equal(0x7FF0_0000_0000_0123UL, Run(Binary("f64", "f64", "f64.copysign"), unchecked((long)0xFFF0_0000_0000_0123), F64(1.0)).F64Bits);
    }

    [Fact]
    public void AbsAndNegAreBitOperations()
    {
        Assert.Equal(0x7FA0_0001u, Run(Unary("f32", "f32", "f32.abs"), 0xFFA0_0001).F32Bits);
        Assert.Equal(0xFFA0_0001u, Run(Unary("f32", "f32", "f32.neg"), 0x7FA0_0001).F32Bits);
        Assert.Equal(0x8000_0000_0000_0000UL, Run(Unary("f64", "f64", "f64.neg"), 0).F64Bits);
        Assert.Equal(F64(2.5), (long)Run(Unary("f64", "f64", "f64.abs"), F64(-2.5)).F64Bits);
    }

    [Fact]
    public void ConstantAbsNegCopysignFold() => Assert.Equal(F32(-1.5f), Run("""
        (module (func (export "f") (param f32) (result f32)
          f32.const 1.5 f32.neg f32.abs f32.const -0 f32.copysign))
        """, 0).F32Bits);

    [Fact]
    public void RoundingModes()
    {
        Assert.Equal(F32(-1f), Run(Unary("f32", "f32", "f32.floor"), F32(-0.5f)).F32Bits);
        Assert.Equal(F32(-0f), Run(Unary("f32", "f32", "f32.ceil"), F32(-0.5f)).F32Bits);
        Assert.Equal(F64(-2.0), (long)Run(Unary("f64", "f64", "f64.trunc"), F64(-2.7)).F64Bits);
        Assert.Equal(F64(2.0), (long)Run(Unary("f64", "f64", "f64.nearest"), F64(2.5)).F64Bits);
        Assert.Equal(F32(4f), Run(Unary("f32", "f32", "f32.nearest"), F32(3.5f)).F32Bits);
        Assert.Equal(F64(3.0), (long)Run(Unary("f64", "f64", "f64.sqrt"), F64(9.0)).F64Bits);
    }

    // ---- comparisons ---------------------------------------------------------------------------------

    [Theory]
    [InlineData("eq", 0, 1, 0)] [InlineData("ne", 1, 0, 1)]
    [InlineData("lt", 1, 0, 0)] [InlineData("gt", 0, 0, 0)]
    [InlineData("le", 1, 1, 0)] [InlineData("ge", 0, 1, 0)]
    public void ComparisonsHandleOrderEqualityAndNaN(string op, int oneVsTwo, int twoVsTwo, int withNaN)
    {
        foreach (var t in new[] { "f32", "f64" })
        {
            using var jit = new JitHarness(Binary(t, "i32", $"{t}.{op}"));
            long Of(double d) => t == "f32" ? F32((float)d) : F64(d);
            Assert.Equal(oneVsTwo, jit.CallI32("f", Of(1), Of(2)));
            Assert.Equal(twoVsTwo, jit.CallI32("f", Of(2), Of(2)));
            Assert.Equal(withNaN, jit.CallI32("f", Of(double.NaN), Of(2)));
            Assert.Equal(withNaN, jit.CallI32("f", Of(2), Of(double.NaN)));
        }
    }

    [Fact]
    public void ComparisonFeedsBranchesAndEqz()
    {
        using var jit = new JitHarness("""
            (module
              (func (export "br") (param f64 f64) (result i32)
                block local.get 0 local.get 1 f64.lt br_if 0 i32.const 0 return end i32.const 1)
              (func (export "eqz") (param f32 f32) (result i32) local.get 0 local.get 1 f32.gt i32.eqz)
              (func (export "sel") (param f32 f32) (result i32) i32.const 10 i32.const 20 local.get 0 local.get 1 f32.ge select))
            """);
        Assert.Equal(1, jit.CallI32("br", F64(1), F64(2)));
        Assert.Equal(0, jit.CallI32("br", F64(double.NaN), F64(2)));
        Assert.Equal(1, jit.CallI32("eqz", F32(float.NaN), F32(1)));
        Assert.Equal(0, jit.CallI32("eqz", F32(2), F32(1)));
        Assert.Equal(10, jit.CallI32("sel", F32(2), F32(2)));
        Assert.Equal(20, jit.CallI32("sel", F32(float.NaN), F32(2)));
    }

    // ---- conversions ---------------------------------------------------------------------------------

    [Fact]
    public void IntegerWidthConversions()
    {
        Assert.Equal(0x89AB_CDEF, Run(Unary("i64", "i32", "i32.wrap_i64"), 0x0123_4567_89AB_CDEF).I64 & 0xFFFF_FFFF);
        Assert.Equal(-1L, Run(Unary("i32", "i64", "i64.extend_i32_s"), 0xFFFF_FFFF).I64);
        Assert.Equal(0xFFFF_FFFFL, Run(Unary("i32", "i64", "i64.extend_i32_u"), 0xFFFF_FFFF).I64);
        Assert.Equal(-128, Run(Unary("i32", "i32", "i32.extend8_s"), 0x80).I32);
        Assert.Equal(0x7FFF, Run(Unary("i32", "i32", "i32.extend16_s"), 0x1_7FFF).I32);
        Assert.Equal(-32768L, Run(Unary("i64", "i64", "i64.extend16_s"), 0x8000).I64);
        Assert.Equal(int.MinValue, Run(Unary("i64", "i64", "i64.extend32_s"), 0x1234_8000_0000).I64);
    }

    [Fact]
    public void WrapResultIsZeroExtended() => Assert.Equal(0x89AB_CDEFL, Run("""
        (module (func (export "f") (param i64) (result i64) local.get 0 i32.wrap_i64 i64.extend_i32_u))
        """, 0x0123_4567_89AB_CDEF).I64);

    [Fact]
    public void ReinterpretationsRoundTripBitExactly()
    {
        Assert.Equal(0x7FA0_0001u, Run("""
            (module (func (export "f") (param f32) (result f32) local.get 0 i32.reinterpret_f32 f32.reinterpret_i32))
            """, 0x7FA0_0001).F32Bits);
        Assert.Equal(0xFFF0_0000_0000_0001UL, Run("""
            (module (func (export "f") (param i64) (result i64) local.get 0 f64.reinterpret_i64 i64.reinterpret_f64))
            """, unchecked((long)0xFFF0_0000_0000_0001)).F64Bits);
        Assert.Equal(0x3F80_0000, Run(Unary("f32", "i32", "i32.reinterpret_f32"), F32(1f)).I32);
    }

    [Fact]
    public void DemoteAndPromote()
    {
        Assert.Equal(F32(0.1f), Run(Unary("f64", "f32", "f32.demote_f64"), F64(0.1)).F32Bits);
        Assert.Equal(F64((double)0.1f), (long)Run(Unary("f32", "f64", "f64.promote_f32"), F32(0.1f)).F64Bits);
    }

    [Fact]
    public void ConvertsSignedAndUnsigned32()
    {
        Assert.Equal(F32(-1f), Run(Unary("i32", "f32", "f32.convert_i32_s"), 0xFFFF_FFFF).F32Bits);
        Assert.Equal(F32(4294967296f), Run(Unary("i32", "f32", "f32.convert_i32_u"), 0xFFFF_FFFF).F32Bits);
        Assert.Equal(F64(4294967295.0), (long)Run(Unary("i32", "f64", "f64.convert_i32_u"), 0xFFFF_FFFF).F64Bits);
        Assert.Equal(F64(-2147483648.0), (long)Run(Unary("i32", "f64", "f64.convert_i32_s"), 0x8000_0000).F64Bits);
    }

    [Fact]
    public void ConvertsUnsigned64WithCorrectRounding()
    {
        // 2^63 + 1 rounds to 2^63; 2^64 - 1 rounds up to 2^64.
        Assert.Equal(F64(9223372036854775808.0), (long)Run(Unary("i64", "f64", "f64.convert_i64_u"), unchecked((long)0x8000_0000_0000_0001)).F64Bits);
        Assert.Equal(F64(18446744073709551616.0), (long)Run(Unary("i64", "f64", "f64.convert_i64_u"), -1).F64Bits);
        Assert.Equal(F32(9223372036854775808f), Run(Unary("i64", "f32", "f32.convert_i64_u"), unchecked((long)0x8000_0000_0000_0001)).F32Bits);
        // Round-to-odd sticky bit: 0x8000_0080_0000_0001 must round up to 0x8000_0100_0000_0000 (f32), not down.
        Assert.Equal(F32(0x8000_0100_0000_0000UL), Run(Unary("i64", "f32", "f32.convert_i64_u"), unchecked((long)0x8000_0080_0000_0001)).F32Bits);
        Assert.Equal(F64(0xFFFF_FFFF_FFFF_F800UL), (long)Run(Unary("i64", "f64", "f64.convert_i64_u"), unchecked((long)0xFFFF_FFFF_FFFF_F401)).F64Bits);
        Assert.Equal(F64(12345.0), (long)Run(Unary("i64", "f64", "f64.convert_i64_u"), 12345).F64Bits);
    }

    [Fact]
    public void ConvertsSigned64()
    {
        Assert.Equal(F32(-9223372036854775808f), Run(Unary("i64", "f32", "f32.convert_i64_s"), long.MinValue).F32Bits);
        Assert.Equal(F64(9007199254740992.0), (long)Run(Unary("i64", "f64", "f64.convert_i64_s"), 9007199254740993).F64Bits);
    }

    public static TheoryData<string, string, bool, double, long> TruncationBoundaries => new()
    {
        // op, source type, valid?, input, expected result (when valid)
        { "i32.trunc_f32_s", "f32", true, -2147483648.0, int.MinValue },
        { "i32.trunc_f32_s", "f32", false, -2147483904.0, 0 },
        { "i32.trunc_f32_s", "f32", true, 2147483520.0, 2147483520 },
        { "i32.trunc_f32_s", "f32", false, 2147483648.0, 0 },
        { "i32.trunc_f64_s", "f64", true, -2147483648.9, int.MinValue },
        { "i32.trunc_f64_s", "f64", false, -2147483649.0, 0 },
        { "i32.trunc_f64_s", "f64", true, 2147483647.9, int.MaxValue },
        { "i32.trunc_f64_s", "f64", false, 2147483648.0, 0 },
        { "i32.trunc_f32_u", "f32", true, -0.9, 0 },
        { "i32.trunc_f32_u", "f32", false, -1.0, 0 },
        { "i32.trunc_f32_u", "f32", true, 4294967040.0, 4294967040 },
        { "i32.trunc_f32_u", "f32", false, 4294967296.0, 0 },
        { "i32.trunc_f64_u", "f64", true, -0.99999, 0 },
        { "i32.trunc_f64_u", "f64", false, -1.0, 0 },
        { "i32.trunc_f64_u", "f64", true, 4294967295.9, 4294967295 },
        { "i32.trunc_f64_u", "f64", false, 4294967296.0, 0 },
        { "i64.trunc_f32_s", "f32", true, -9223372036854775808.0, long.MinValue },
        { "i64.trunc_f32_s", "f32", false, -9223373136366403584.0, 0 },
        { "i64.trunc_f32_s", "f32", true, 9223371487098961920.0, 9223371487098961920 },
        { "i64.trunc_f32_s", "f32", false, 9223372036854775808.0, 0 },
        { "i64.trunc_f64_s", "f64", true, -9223372036854775808.0, long.MinValue },
        { "i64.trunc_f64_s", "f64", false, -9223372036854777856.0, 0 },
        { "i64.trunc_f64_s", "f64", true, 9223372036854774784.0, 9223372036854774784 },
        { "i64.trunc_f64_s", "f64", false, 9223372036854775808.0, 0 },
        { "i64.trunc_f32_u", "f32", true, -0.9, 0 },
        { "i64.trunc_f32_u", "f32", false, -1.0, 0 },
        { "i64.trunc_f32_u", "f32", true, 18446742974197923840.0, unchecked((long)18446742974197923840UL) },
        { "i64.trunc_f32_u", "f32", true, 9223372036854775808.0, long.MinValue },
        { "i64.trunc_f32_u", "f32", false, 18446744073709551616.0, 0 },
        { "i64.trunc_f64_u", "f64", true, -0.99999, 0 },
        { "i64.trunc_f64_u", "f64", false, -1.0, 0 },
        { "i64.trunc_f64_u", "f64", true, 18446744073709549568.0, unchecked((long)18446744073709549568UL) },
        { "i64.trunc_f64_u", "f64", false, 18446744073709551616.0, 0 },
        { "i64.trunc_f64_u", "f64", false, double.PositiveInfinity, 0 },
        { "i32.trunc_f64_s", "f64", false, double.NegativeInfinity, 0 },
    };

    [Theory]
    [MemberData(nameof(TruncationBoundaries))]
    public void TrappingTruncationBoundaries(string op, string from, bool valid, double input, long expected)
    {
        var to = op[..3];
        var wat = Unary(from, to, op);
        long arg = from == "f32" ? F32((float)input) : F64(input);
        if (!valid)
        {
            Assert.Equal(TrapCode.IntegerOverflow, Trap(wat, arg));
            return;
        }
        var r = Run(wat, arg);
        Assert.Equal(expected, to == "i32" ? (expected > int.MaxValue ? (long)(uint)r.I32 : r.I32) : r.I64);
    }

    [Theory]
    [InlineData("i32.trunc_f32_s", "f32")] [InlineData("i32.trunc_f32_u", "f32")]
    [InlineData("i32.trunc_f64_s", "f64")] [InlineData("i32.trunc_f64_u", "f64")]
    [InlineData("i64.trunc_f32_s", "f32")] [InlineData("i64.trunc_f32_u", "f32")]
    [InlineData("i64.trunc_f64_s", "f64")] [InlineData("i64.trunc_f64_u", "f64")]
    public void TruncatingNaNIsAnInvalidConversion(string op, string from)
    {
        long nan = from == "f32" ? 0xFFC0_0000 : F64(double.NaN);
        Assert.Equal(TrapCode.BadConversionToInteger, Trap(Unary(from, op[..3], op), nan));
    }

    public static TheoryData<string, string, double, long> SaturatingCases => new()
    {
        { "i32.trunc_sat_f32_s", "f32", double.NaN, 0 },
        { "i32.trunc_sat_f32_s", "f32", 3e9, int.MaxValue },
        { "i32.trunc_sat_f32_s", "f32", -3e9, int.MinValue },
        { "i32.trunc_sat_f32_s", "f32", -2147483648.0, int.MinValue },
        { "i32.trunc_sat_f64_s", "f64", double.PositiveInfinity, int.MaxValue },
        { "i32.trunc_sat_f64_s", "f64", -2147483648.5, int.MinValue },
        { "i32.trunc_sat_f64_s", "f64", -5.9, -5 },
        { "i32.trunc_sat_f32_u", "f32", double.NaN, 0 },
        { "i32.trunc_sat_f32_u", "f32", -5.0, 0 },
        { "i32.trunc_sat_f32_u", "f32", 5e9, -1 },
        { "i32.trunc_sat_f64_u", "f64", 4294967295.5, -1 },
        { "i32.trunc_sat_f64_u", "f64", 3000000000.0, unchecked((int)3000000000u) },
        { "i32.trunc_sat_f64_u", "f64", double.NegativeInfinity, 0 },
        { "i64.trunc_sat_f32_s", "f32", double.NaN, 0 },
        { "i64.trunc_sat_f32_s", "f32", 1e19, long.MaxValue },
        { "i64.trunc_sat_f64_s", "f64", -1e19, long.MinValue },
        { "i64.trunc_sat_f64_s", "f64", 123.9, 123 },
        { "i64.trunc_sat_f32_u", "f32", -1e19, 0 },
        { "i64.trunc_sat_f32_u", "f32", 1e20, -1 },
        { "i64.trunc_sat_f64_u", "f64", double.NaN, 0 },
        { "i64.trunc_sat_f64_u", "f64", 1.8446744073709552e19, -1 },
        { "i64.trunc_sat_f64_u", "f64", 9223372036854775808.0, long.MinValue },
        { "i64.trunc_sat_f64_u", "f64", 1e10, 10000000000 },
    };

    [Theory]
    [MemberData(nameof(SaturatingCases))]
    public void SaturatingTruncationsClamp(string op, string from, double input, long expected)
    {
        var to = op[..3];
        long arg = from == "f32" ? F32((float)input) : F64(input);
        var r = Run(Unary(from, to, op), arg);
        if (to == "i32")
        {
            Assert.Equal((int)expected, r.I32);
        }
        else Assert.Equal(expected, r.I64);
    }

    [Fact]
    public void I32TruncResultsAreZeroExtendedInRegisters() => Assert.Equal(0xFFFF_FFFFL, Run("""
        (module (func (export "f") (param f64) (result i64) local.get 0 i32.trunc_sat_f64_u i64.extend_i32_u))
        """, F64(1e12)).I64);

    [Fact]
    public void ManyLiveFloatValuesSpill()
    {
        // 20 live f64 values exceed the 15 allocatable xmm registers.
        var sb = new System.Text.StringBuilder("(module (func (export \"f\") (param f64) (result f64)");
        for (int i = 0; i < 20; i++) sb.Append(" local.get 0 f64.const ").Append(i).Append(" f64.add");
        for (int i = 0; i < 19; i++) sb.Append(" f64.add");
        sb.Append("))");
        Assert.Equal(F64(20 * 1.5 + 190), (long)Run(sb.ToString(), F64(1.5)).F64Bits);
    }

    [Fact]
    public void OperandsInSpillSlots()
    {
        // Block results land in their canonical slots, so these operators read memory operands.
        using var jit = new JitHarness("""
            (module
              (func (export "sub") (param f64 f64) (result f64)
                (block (result f64) local.get 0) (block (result f64) local.get 1) f64.sub)
              (func (export "lt") (param f32 f32) (result i32)
                (block (result f32) local.get 0) (block (result f32) local.get 1) f32.lt)
              (func (export "eq") (param f64 f64) (result i32)
                (block (result f64) local.get 0) (block (result f64) local.get 1) f64.eq)
              (func (export "bits") (param f32) (result i32)
                (block (result f32) local.get 0) i32.reinterpret_f32)
              (func (export "float") (param i64) (result f64)
                (block (result i64) local.get 0) f64.reinterpret_i64)
              (func (export "wrap") (param i64) (result i32)
                (block (result i64) local.get 0) i32.wrap_i64)
              (func (export "trunc") (param f64) (result i64)
                (block (result f64) local.get 0) i64.trunc_f64_u))
            """);
        Assert.Equal(F64(-1.5), jit.Call("sub", F64(1), F64(2.5))[0].I64);
        Assert.Equal(1, jit.CallI32("lt", F32(-1), F32(0)));
        Assert.Equal(0, jit.CallI32("lt", F32(float.NaN), F32(0)));
        Assert.Equal(1, jit.CallI32("eq", F64(3), F64(3)));
        Assert.Equal(0, jit.CallI32("eq", F64(double.NaN), F64(double.NaN)));
        Assert.Equal(unchecked((int)0xBF80_0000), jit.CallI32("bits", F32(-1)));
        Assert.Equal(F64(6.25), jit.Call("float", F64(6.25))[0].I64);
        Assert.Equal(0x89AB_CDEF, jit.CallI64("wrap", 0x0123_4567_89AB_CDEF) & 0xFFFF_FFFF);
        Assert.Equal(unchecked((long)0xF000_0000_0000_0000), jit.CallI64("trunc", F64(17293822569102704640.0)));
    }

    // ---- spec suite ----------------------------------------------------------------------------------

    [Theory]
    [InlineData("f32.wast")] [InlineData("f64.wast")]
    [InlineData("f32_cmp.wast")] [InlineData("f64_cmp.wast")]
    [InlineData("f32_bitwise.wast")] [InlineData("f64_bitwise.wast")]
    [InlineData("conversions.wast")] [InlineData("float_exprs.wast")] [InlineData("float_misc.wast")] [InlineData("traps.wast")]
    public void SpecAssertionsPassThroughTheHarness(string file)
    {
        if (SpecDirectory.Path is null)
        {
            output.WriteLine($"SKIPPED: spec suite not found ({SpecDirectory.EnvironmentVariable} or ../shared/spec).");
            Assert.Fail(SpecDirectoryMissing());
        }
        var path = Path.Combine(SpecDirectory.Require("core"), file);
        var script = WastScript.Parse(File.ReadAllText(path), file);
        JitHarness? jit = null;
        int passed = 0, skipped = 0;
        var failures = new List<string>();
        try
        {
            foreach (var command in script.Commands)
            {
                switch (command)
                {
                    case WastModuleCommand { Module: var module }:
                        jit?.Dispose();
                        jit = null;
                        if (module.Kind != WastModuleKind.Text) { skipped++; break; }
                        try
                        {
                            jit = new JitHarness($"(module {module.FieldsText})");
                            InitializeData(jit, module.Encode());
                        }
                        catch (Exception e)
                        {
                            jit?.Dispose();
                            jit = null;
                            failures.Add($"line {module.Line}: module failed to compile: {e.GetType().Name}: {e.Message}");
                        }
                        break;
                    case WastAssertReturn { Action: WastInvoke invoke } ar when invoke.ModuleName is null:
                        if (jit is null) { skipped++; break; }
                        try
                        {
                            var results = jit.Call(invoke.Field, invoke.Args.Select(a => (long)a.Low).ToArray());
                            bool ok = results.Length == ar.Expected.Length;
                            for (int i = 0; ok && i < results.Length; i++)
                            {
                                var slot = results[i];
                                ok = ar.Expected[i].MatchesNumeric(MemoryMarshal.AsBytes(new Span<ValRaw>(ref slot)));
                            }
                            if (ok) passed++;
                            else failures.Add($"line {ar.Line}: {invoke.Field}({string.Join(", ", invoke.Args)}) returned {string.Join(", ", results.Select(r => $"0x{r.I64:X}"))}, expected {string.Join(", ", ar.Expected)}");
                        }
                        catch (Exception e)
                        {
                            failures.Add($"line {ar.Line}: {invoke.Field}: {e.GetType().Name}: {e.Message}");
                        }
                        break;
                    case WastActionCommand { Action: WastInvoke invoke } ac when invoke.ModuleName is null:
                        if (jit is null) { skipped++; break; }
                        try { jit.Call(invoke.Field, invoke.Args.Select(a => (long)a.Low).ToArray()); }
                        catch (Exception e) { failures.Add($"line {ac.Line}: {invoke.Field}: {e.GetType().Name}: {e.Message}"); }
                        break;
                    case WastAssertTrap { Action: WastInvoke invoke } at when invoke.ModuleName is null:
                        if (jit is null) { skipped++; break; }
                        try
                        {
                            jit.Call(invoke.Field, invoke.Args.Select(a => (long)a.Low).ToArray());
                            failures.Add($"line {at.Line}: {invoke.Field} did not trap (expected \"{at.Message}\")");
                        }
                        catch (TrapException e)
                        {
                            if (at.Message.StartsWith(TrapCodes.Message(e.Code), StringComparison.Ordinal)) passed++;
                            else failures.Add($"line {at.Line}: {invoke.Field} trapped with \"{TrapCodes.Message(e.Code)}\", expected \"{at.Message}\"");
                        }
                        break;
                }
            }
        }
        finally
        {
            jit?.Dispose();
        }
        output.WriteLine($"{file}: {passed} passed, {failures.Count} failed, {skipped} skipped");
        foreach (var f in failures.Take(50)) output.WriteLine(f);
        Assert.True(failures.Count == 0, $"{file}: {failures.Count} of {passed + failures.Count} assertions failed; first: {failures.FirstOrDefault()}");
    }

    private static string SpecDirectoryMissing() =>
        $"The WebAssembly spec suite was not found: set {SpecDirectory.EnvironmentVariable} or place it at ../shared/spec next to the checkout.";

    /// <summary>The harness does not instantiate: copy active data segments with constant offsets into its memory.</summary>
    private static void InitializeData(JitHarness jit, byte[] binary)
    {
        var info = WasmFrontEnd.DecodeAndValidate(binary);
        foreach (var segment in info.Data)
        {
            if (segment.Mode != SegmentMode.Active || segment.MemoryOffset is not { } offset) continue;
            if (binary[offset.Offset] != 0x41) throw new NotSupportedException("data offset is not an i32.const");
            int pos = offset.Offset + 1, shift = 0;
            long value = 0;
            byte b;
            do
            {
                b = binary[pos++];
                value |= (long)(b & 0x7F) << shift;
                shift += 7;
            } while ((b & 0x80) != 0);
            if (shift < 64 && (b & 0x40) != 0) value |= -1L << shift;
            binary.AsSpan(segment.DataOffset, segment.DataLength).CopyTo(jit.Memory[(int)value..]);
        }
    }
}
