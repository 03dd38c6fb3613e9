using Sharptime.Text;

namespace Sharptime.Tests.Text;

public class NumberParserTests
{
    private static ulong Int(string s, int bits)
    {
        Assert.Equal(NumberStatus.Ok, NumberParser.ParseInt(s, bits, out ulong v));
        return v;
    }

    private static uint F32(string s)
    {
        Assert.Equal(NumberStatus.Ok, NumberParser.ParseF32(s, out uint v));
        return v;
    }

    private static ulong F64(string s)
    {
        Assert.Equal(NumberStatus.Ok, NumberParser.ParseF64(s, out ulong v));
        return v;
    }

    [Theory]
    [InlineData("0", 0UL)]
    [InlineData("4294967295", 0xFFFFFFFFUL)]
    [InlineData("-2147483648", 0x80000000UL)]
    [InlineData("+2147483647", 0x7FFFFFFFUL)]
    [InlineData("-1", 0xFFFFFFFFUL)]
    [InlineData("0xffff_ffff", 0xFFFFFFFFUL)]
    [InlineData("1_000_000", 1000000UL)]
    [InlineData("-0x8000_0000", 0x80000000UL)]
    public void I32AcceptsSignedAndUnsignedRanges(string text, ulong expected)
    {
        Assert.Equal(expected, Int(text, 32));
    }

    [Theory]
    [InlineData("4294967296")]
    [InlineData("-2147483649")]
    [InlineData("+2147483648")]
    [InlineData("0x1_0000_0000")]
    public void I32RejectsOutOfRange(string text)
    {
        Assert.Equal(NumberStatus.OutOfRange, NumberParser.ParseInt(text, 32, out _));
    }

    [Theory]
    [InlineData("18446744073709551615", ulong.MaxValue)]
    [InlineData("-9223372036854775808", 0x8000000000000000UL)]
    [InlineData("0x7fff_ffff_ffff_ffff", 0x7FFFFFFFFFFFFFFFUL)]
    public void I64AcceptsItsBounds(string text, ulong expected)
    {
        Assert.Equal(expected, Int(text, 64));
    }

    [Theory]
    [InlineData("18446744073709551616")]
    [InlineData("-9223372036854775809")]
    [InlineData("0x1_0000_0000_0000_0000")]
    public void I64RejectsOutOfRange(string text)
    {
        Assert.Equal(NumberStatus.OutOfRange, NumberParser.ParseInt(text, 64, out _));
    }

    [Theory]
    [InlineData("_1")]
    [InlineData("1_")]
    [InlineData("1__0")]
    [InlineData("0x")]
    [InlineData("0x_1")]
    [InlineData("--1")]
    [InlineData("1.0")]
    [InlineData("")]
    public void IntegersRejectMalformedDigits(string text)
    {
        Assert.Equal(NumberStatus.Malformed, NumberParser.ParseInt(text, 32, out _));
    }

    [Theory]
    [InlineData("0x1.8p3", 0x41400000u)]
    [InlineData("0x1p-149", 0x00000001u)]
    [InlineData("0x1p-150", 0x00000000u)] // exactly half the smallest subnormal: ties to even (zero)
    [InlineData("0x1.8p-149", 0x00000002u)] // 1.5 ulp ties to even (2)
    [InlineData("0x1.000001p0", 0x3F800000u)] // below half an ulp
    [InlineData("0x1.fffffep127", 0x7F7FFFFFu)]
    [InlineData("16777217", 0x4B800000u)] // 2^24+1 ties to even
    [InlineData("16777219", 0x4B800002u)]
    [InlineData("1.000000059604644775390625001", 0x3F800001u)] // just above a tie: a detour through double would round down
    [InlineData("1.000000059604644775390625", 0x3F800000u)] // exact tie: even
    [InlineData("1e-45", 0x00000001u)]
    [InlineData("3.4028234663852886e38", 0x7F7FFFFFu)]
    [InlineData("3.4028235677973366e38", 0x7F7FFFFFu)] // just below the tie with 2^128
    [InlineData("-0", 0x80000000u)]
    [InlineData("1_000.5e0_1", 0x461C5400u)] // 10005
    [InlineData("1.", 0x3F800000u)]
    [InlineData("1.e1", 0x41200000u)]
    public void F32RoundsToNearestEven(string text, uint expected)
    {
        Assert.Equal(expected, F32(text));
    }

    [Theory]
    [InlineData("nan", 0x7FC00000u)]
    [InlineData("-nan", 0xFFC00000u)]
    [InlineData("+nan", 0x7FC00000u)]
    [InlineData("nan:0x1", 0x7F800001u)]
    [InlineData("nan:0x7f_ffff", 0x7FFFFFFFu)]
    [InlineData("-nan:0x200000", 0xFFA00000u)]
    [InlineData("inf", 0x7F800000u)]
    [InlineData("-inf", 0xFF800000u)]
    public void F32SpecialValuesAndNanPayloads(string text, uint expected)
    {
        Assert.Equal(expected, F32(text));
    }

    [Theory]
    [InlineData("nan:0x0")]
    [InlineData("nan:0x80_0000")]
    [InlineData("0x1p128")]
    [InlineData("0x1.ffffffp127")] // a tie that rounds up to 2^128
    [InlineData("3.4028235677973366164e38")] // just above the tie with 2^128
    [InlineData("1e39")]
    public void F32RejectsOutOfRange(string text)
    {
        Assert.Equal(NumberStatus.OutOfRange, NumberParser.ParseF32(text, out _));
    }

    [Theory]
    [InlineData("0.1", 0x3FB999999999999AUL)]
    [InlineData("2.2250738585072014e-308", 0x0010000000000000UL)]
    [InlineData("4.9e-324", 0x0000000000000001UL)]
    [InlineData("2.4703282292062327e-324", 0x0000000000000000UL)]
    [InlineData("2.4703282292062328e-324", 0x0000000000000001UL)]
    [InlineData("1.7976931348623157e308", 0x7FEFFFFFFFFFFFFFUL)]
    [InlineData("0x1.fffffffffffffp1023", 0x7FEFFFFFFFFFFFFFUL)]
    [InlineData("0x1p-1074", 0x0000000000000001UL)]
    [InlineData("0x0.0000000000001p-1022", 0x0000000000000001UL)]
    [InlineData("9007199254740993", 0x4340000000000000UL)] // 2^53+1 ties to even
    [InlineData("1e-400", 0UL)]
    [InlineData("nan", 0x7FF8000000000000UL)]
    [InlineData("nan:0xf_ffff_ffff_ffff", 0x7FFFFFFFFFFFFFFFUL)]
    [InlineData("-inf", 0xFFF0000000000000UL)]
    public void F64RoundsToNearestEven(string text, ulong expected)
    {
        Assert.Equal(expected, F64(text));
    }

    [Fact]
    public void F64HandlesLongDecimalMantissas()
    {
        // 0.1 written with 1000 extra digits that do not change the value's nearest double.
        string text = "0.1" + new string('0', 1000) + "1";
        Assert.Equal(0x3FB999999999999AUL, F64(text));
    }

    [Theory]
    [InlineData("1.7976931348623159e308")]
    [InlineData("0x1p1024")]
    [InlineData("1e400")]
    [InlineData("nan:0x10_0000_0000_0000")]
    public void F64RejectsOutOfRange(string text)
    {
        Assert.Equal(NumberStatus.OutOfRange, NumberParser.ParseF64(text, out _));
    }

    [Theory]
    [InlineData(".5")]
    [InlineData("1e")]
    [InlineData("0x1p")]
    [InlineData("1.5_")]
    [InlineData("1._5")]
    [InlineData("0x1.8p1.5")]
    [InlineData("infinity")]
    [InlineData("nan:1")]
    [InlineData("nan:0x")]
    [InlineData("1e+")]
    public void FloatsRejectMalformedLiterals(string text)
    {
        Assert.Equal(NumberStatus.Malformed, NumberParser.ParseF64(text, out _));
    }
}
