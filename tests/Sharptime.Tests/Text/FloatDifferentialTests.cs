using System.Globalization;
using System.Text;
using Sharptime.Text;

namespace Sharptime.Tests.Text;

/// <summary>
/// Checks float literal rounding against independent references: .NET's correctly rounded double/float parsing
/// for decimals, exact bit patterns for hex floats, and agreement between the 128-bit fast path and the
/// big-integer path (forced by padding the mantissa with zeros).
/// </summary>
public class FloatDifferentialTests
{
    private static string RandomDecimal(Random rng, int minExp, int maxExp)
    {
        var sb = new StringBuilder();
        int intDigits = rng.Next(1, 12);
        for (int i = 0; i < intDigits; i++) sb.Append((char)('0' + rng.Next(10)));
        if (rng.Next(2) == 0)
        {
            sb.Append('.');
            int frac = rng.Next(0, 14);
            for (int i = 0; i < frac; i++) sb.Append((char)('0' + rng.Next(10)));
        }
        if (rng.Next(4) != 0) sb.Append('e').Append(rng.Next(minExp, maxExp));
        return sb.ToString();
    }

    /// <summary>The same value with 30 more mantissa digits, which pushes parsing onto the big-integer path.</summary>
    private static string PadMantissa(string s)
    {
        int e = s.StartsWith("0x") ? s.IndexOfAny(['p', 'P']) : s.IndexOfAny(['e', 'E']);
        string mantissa = e < 0 ? s : s[..e];
        string exponent = e < 0 ? "" : s[e..];
        if (!mantissa.Contains('.')) mantissa += ".";
        return mantissa + new string('0', 30) + exponent;
    }

    [Fact]
    public void DecimalF64MatchesDoubleParse()
    {
        var rng = new Random(1);
        for (int n = 0; n < 20000; n++)
        {
            string s = RandomDecimal(rng, -340, 320);
            double reference = double.Parse(s, CultureInfo.InvariantCulture);
            var st = NumberParser.ParseF64(s, out ulong bits);
            if (double.IsInfinity(reference)) Assert.Equal(NumberStatus.OutOfRange, st);
            else Assert.True(st == NumberStatus.Ok && bits == BitConverter.DoubleToUInt64Bits(reference), s);
        }
    }

    [Fact]
    public void DecimalF32MatchesFloatParse()
    {
        var rng = new Random(2);
        for (int n = 0; n < 20000; n++)
        {
            string s = RandomDecimal(rng, -50, 45);
            float reference = float.Parse(s, CultureInfo.InvariantCulture);
            var st = NumberParser.ParseF32(s, out uint bits);
            if (float.IsInfinity(reference)) Assert.Equal(NumberStatus.OutOfRange, st);
            else Assert.True(st == NumberStatus.Ok && bits == BitConverter.SingleToUInt32Bits(reference), s);
        }
    }

    [Fact]
    public void DecimalNearF32TiesMatchFloatParse()
    {
        // Values a hair above or below the midpoint of two adjacent floats: where double rounding goes wrong.
        var rng = new Random(3);
        for (int n = 0; n < 5000; n++)
        {
            uint b = (uint)rng.Next(0x00800000, 0x7F000000);
            double mid = ((double)BitConverter.UInt32BitsToSingle(b) + BitConverter.UInt32BitsToSingle(b + 1)) / 2; // exact in double
            foreach (string suffix in new[] { "", "000000001", "999999999" })
            {
                string s = mid.ToString("R", CultureInfo.InvariantCulture);
                if (!s.Contains('E') && suffix.Length > 0) s = (s.Contains('.') ? s : s + ".") + suffix;
                float reference = float.Parse(s, CultureInfo.InvariantCulture);
                Assert.Equal(NumberStatus.Ok, NumberParser.ParseF32(s, out uint bits));
                Assert.True(bits == BitConverter.SingleToUInt32Bits(reference), s);
            }
        }
    }

    [Fact]
    public void FastAndBigIntegerPathsAgree()
    {
        var rng = new Random(4);
        for (int n = 0; n < 5000; n++)
        {
            string s = RandomDecimal(rng, -330, 320);
            Assert.Equal(NumberParser.ParseF64(s, out ulong a), NumberParser.ParseF64(PadMantissa(s), out ulong b));
            Assert.True(a == b, s);
            Assert.Equal(NumberParser.ParseF32(s, out uint c), NumberParser.ParseF32(PadMantissa(s), out uint d));
            Assert.True(c == d, s);
        }
    }

    [Fact]
    public void HexFloatsOfEveryFiniteDoubleRoundTrip()
    {
        var rng = new Random(5);
        for (int n = 0; n < 20000; n++)
        {
            ulong bits = (ulong)rng.NextInt64() & 0x7FEF_FFFF_FFFF_FFFF;
            ulong frac = bits & 0xF_FFFF_FFFF_FFFF;
            int biased = (int)(bits >> 52);
            string s = biased == 0
                ? $"0x0.{frac:x13}p-1022"
                : $"0x1.{frac:x13}p{biased - 1023}";
            Assert.Equal(NumberStatus.Ok, NumberParser.ParseF64(s, out ulong parsed));
            Assert.True(bits == parsed, s);
            Assert.Equal(NumberStatus.Ok, NumberParser.ParseF64("-" + s, out ulong negative));
            Assert.Equal(bits | 0x8000_0000_0000_0000, negative);
        }
    }

    [Fact]
    public void LongHexMantissasAgreeWithBigIntegerPath()
    {
        var rng = new Random(6);
        for (int n = 0; n < 5000; n++)
        {
            var sb = new StringBuilder("0x");
            int digits = rng.Next(1, 30);
            for (int i = 0; i < digits; i++) sb.Append("0123456789abcdef"[rng.Next(16)]);
            sb.Append('.');
            int frac = rng.Next(0, 10);
            for (int i = 0; i < frac; i++) sb.Append("0123456789abcdef"[rng.Next(16)]);
            sb.Append('p').Append(rng.Next(-1200, 1100));
            string s = sb.ToString();
            var st1 = NumberParser.ParseF64(s, out ulong a);
            var st2 = NumberParser.ParseF64(PadMantissa(s), out ulong b);
            Assert.True(st1 == st2 && a == b, $"{s}: {st1} {a:x} vs {st2} {b:x}");
            var st3 = NumberParser.ParseF32(s, out uint c);
            var st4 = NumberParser.ParseF32(PadMantissa(s), out uint d);
            Assert.True(st3 == st4 && c == d, $"f32 {s}: {st3} {c:x} vs {st4} {d:x}");
        }
    }
}
