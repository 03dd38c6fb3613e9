using System.Numerics;

namespace Sharptime.Text;

internal enum NumberStatus : byte
{
    Ok,
    /// <summary>The token is not a literal of the requested form.</summary>
    Malformed,
    /// <summary>The token is a literal, but its value does not fit.</summary>
    OutOfRange,
}

/// <summary>
/// Parses the text format's numeric literals: integers in decimal or hex with <c>_</c> separators, and floats in
/// decimal, hex, <c>inf</c>, <c>nan</c> and <c>nan:0x..</c> forms. Floats are rounded exactly once, to nearest-even,
/// directly to the target width (no detour through double for f32).
/// </summary>
internal static class NumberParser
{
    /// <summary>Parses an unsigned natural number (<c>num</c> or <c>0x hexnum</c>) saturating at <see cref="ulong.MaxValue"/>.</summary>
    public static NumberStatus ParseNat(ReadOnlySpan<char> s, out ulong value)
    {
        value = 0;
        if (s.Length > 2 && s[0] == '0' && s[1] == 'x')
            return ParseDigits(s[2..], 16, out value);
        return ParseDigits(s, 10, out value);
    }

    /// <summary>Parses digits with single underscores between them; OutOfRange when the value exceeds 64 bits.</summary>
    private static NumberStatus ParseDigits(ReadOnlySpan<char> s, int radix, out ulong value)
    {
        value = 0;
        if (s.IsEmpty) return NumberStatus.Malformed;
        bool overflow = false;
        bool prevDigit = false;
        foreach (char c in s)
        {
            if (c == '_')
            {
                if (!prevDigit) return NumberStatus.Malformed;
                prevDigit = false;
                continue;
            }
            int d = radix == 16 ? Lexer.HexVal(c) : c is >= '0' and <= '9' ? c - '0' : -1;
            if (d < 0) return NumberStatus.Malformed;
            prevDigit = true;
            ulong next = value * (ulong)radix + (ulong)d;
            if (value > (ulong.MaxValue - (ulong)d) / (ulong)radix) overflow = true;
            value = next;
        }
        if (!prevDigit) return NumberStatus.Malformed;
        return overflow ? NumberStatus.OutOfRange : NumberStatus.Ok;
    }

    /// <summary>
    /// Parses an <c>iN</c> literal (N = 8, 16, 32 or 64): unsigned values up to 2^N-1, signed ones from -2^(N-1).
    /// The result is the two's-complement bit pattern, zero-extended.
    /// </summary>
    public static NumberStatus ParseInt(ReadOnlySpan<char> s, int bits, out ulong value)
    {
        value = 0;
        bool neg = false, signed = false;
        if (s.Length > 0 && (s[0] == '+' || s[0] == '-'))
        {
            neg = s[0] == '-';
            signed = true;
            s = s[1..];
        }
        var st = ParseNat(s, out ulong mag);
        if (st != NumberStatus.Ok) return st;
        ulong mask = bits == 64 ? ulong.MaxValue : (1UL << bits) - 1;
        if (!signed)
        {
            if (mag > mask) return NumberStatus.OutOfRange;
            value = mag;
            return NumberStatus.Ok;
        }
        ulong limit = 1UL << (bits - 1); // |min|; max positive is limit-1
        if (neg)
        {
            if (mag > limit) return NumberStatus.OutOfRange;
            value = (0 - mag) & mask;
        }
        else
        {
            if (mag >= limit) return NumberStatus.OutOfRange;
            value = mag;
        }
        return NumberStatus.Ok;
    }

    public static NumberStatus ParseF32(ReadOnlySpan<char> s, out uint bits)
    {
        var st = ParseFloat(s, 24, 8, out ulong b);
        bits = (uint)b;
        return st;
    }

    public static NumberStatus ParseF64(ReadOnlySpan<char> s, out ulong bits) => ParseFloat(s, 53, 11, out bits);

    /// <summary>Parses a float literal into an IEEE bit pattern with <paramref name="p"/> significand bits (incl. the hidden one).</summary>
    private static NumberStatus ParseFloat(ReadOnlySpan<char> s, int p, int expBits, out ulong bits)
    {
        bits = 0;
        int fracBits = p - 1;
        ulong signBit = 1UL << (fracBits + expBits);
        ulong expMask = ((1UL << expBits) - 1) << fracBits;
        ulong fracMask = (1UL << fracBits) - 1;
        bool neg = false;
        if (s.Length > 0 && (s[0] == '+' || s[0] == '-'))
        {
            neg = s[0] == '-';
            s = s[1..];
        }
        ulong sign = neg ? signBit : 0;
        if (s.SequenceEqual("inf"))
        {
            bits = sign | expMask;
            return NumberStatus.Ok;
        }
        if (s.SequenceEqual("nan"))
        {
            bits = sign | expMask | (1UL << (fracBits - 1));
            return NumberStatus.Ok;
        }
        if (s.StartsWith("nan:0x"))
        {
            var st = ParseDigits(s[6..], 16, out ulong payload);
            if (st != NumberStatus.Ok) return st;
            if (payload == 0 || payload > fracMask) return NumberStatus.OutOfRange;
            bits = sign | expMask | payload;
            return NumberStatus.Ok;
        }

        bool hex = s.Length > 2 && s[0] == '0' && s[1] == 'x';
        if (hex) s = s[2..];
        int radix = hex ? 16 : 10;
        // Split into integer digits, fraction digits and exponent, checking underscores sit between digits.
        var mantissa = new System.Text.StringBuilder(s.Length);
        int i = 0;
        int intDigits = ScanDigits(s, ref i, radix, mantissa);
        if (intDigits <= 0) return NumberStatus.Malformed;
        int fracDigits = 0;
        if (i < s.Length && s[i] == '.')
        {
            i++;
            if (i < s.Length && IsDigit(s[i], radix))
            {
                fracDigits = ScanDigits(s, ref i, radix, mantissa);
                if (fracDigits < 0) return NumberStatus.Malformed;
            }
        }
        long exp = 0;
        if (i < s.Length && (hex ? s[i] is 'p' or 'P' : s[i] is 'e' or 'E'))
        {
            i++;
            bool expNeg = false;
            if (i < s.Length && (s[i] == '+' || s[i] == '-'))
            {
                expNeg = s[i] == '-';
                i++;
            }
            var st = ParseDigits(s[i..], 10, out ulong e);
            if (st == NumberStatus.Malformed) return st;
            // Saturate: any exponent this large already means infinity or zero.
            long ev = st == NumberStatus.OutOfRange || e > 100_000_000 ? 100_000_000 : (long)e;
            exp = expNeg ? -ev : ev;
            i = s.Length;
        }
        if (i != s.Length) return NumberStatus.Malformed;

        // Mantissa as a big integer M; value = M * radix^(-fracDigits) * (2 or 10)^exp.
        string digits = mantissa.ToString().TrimStart('0');
        if (digits.Length == 0)
        {
            bits = sign;
            return NumberStatus.Ok;
        }
        // Digits beyond what can influence rounding are folded into one sticky digit, so huge literals stay cheap.
        // (A decimal needs at most 767 significant digits to pin an f64 rounding; hex needs p + 2 bits.)
        int keep = hex ? 32 : 800;
        long dropped = 0;
        if (digits.Length > keep)
        {
            bool sticky = digits.AsSpan(keep).IndexOfAnyExcept('0') >= 0;
            dropped = digits.Length - keep - 1;
            digits = string.Concat(digits.AsSpan(0, keep), sticky ? "1" : "0");
        }
        if (hex) exp += 4 * dropped;
        else exp += dropped;
        BigInteger num, den;
        long log2Estimate; // floor(log2(value)) is within [log2Estimate - 4, log2Estimate + 4]
        if (hex)
        {
            long binExp = exp - 4L * fracDigits;
            log2Estimate = 4L * digits.Length + binExp;
            if (log2Estimate > (1L << (expBits - 1)) + 8) return Overflow(sign, out bits);
            if (log2Estimate < -(1L << (expBits - 1)) - p - 8)
            {
                bits = sign; // far below half the smallest subnormal
                return NumberStatus.Ok;
            }
            num = BigInteger.Parse("0" + digits, System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture);
            den = BigInteger.One;
            if (binExp >= 0) num <<= (int)binExp;
            else den <<= (int)-binExp;
        }
        else
        {
            long decExp = exp - fracDigits;
            long decMagnitude = digits.Length + decExp; // value < 10^decMagnitude, >= 10^(decMagnitude-1)
            int maxDec = expBits == 8 ? 40 : 310;
            int minDec = expBits == 8 ? -47 : -326;
            if (decMagnitude - 1 > maxDec) return Overflow(sign, out bits);
            if (decMagnitude < minDec)
            {
                bits = sign;
                return NumberStatus.Ok;
            }
            num = BigInteger.Parse(digits, System.Globalization.CultureInfo.InvariantCulture);
            den = BigInteger.One;
            if (decExp >= 0) num *= BigInteger.Pow(10, (int)decExp);
            else den = BigInteger.Pow(10, (int)-decExp);
        }
        var status = RoundToFloat(num, den, p, expBits, out ulong magnitude);
        bits = sign | magnitude;
        return status;
    }

    private static NumberStatus Overflow(ulong sign, out ulong bits)
    {
        bits = sign;
        return NumberStatus.OutOfRange;
    }

    private static bool IsDigit(char c, int radix) => radix == 16 ? Lexer.HexVal(c) >= 0 : c is >= '0' and <= '9';

    /// <summary>Appends digits at <paramref name="i"/> to <paramref name="sb"/>; returns their count, or -1 when underscores are misplaced.</summary>
    private static int ScanDigits(ReadOnlySpan<char> s, ref int i, int radix, System.Text.StringBuilder sb)
    {
        int count = 0;
        bool prevDigit = false;
        while (i < s.Length)
        {
            char c = s[i];
            if (c == '_')
            {
                if (!prevDigit) return -1;
                prevDigit = false;
                i++;
                continue;
            }
            if (!IsDigit(c, radix)) break;
            sb.Append(c);
            count++;
            prevDigit = true;
            i++;
        }
        if (count > 0 && !prevDigit) return -1;
        return count;
    }

    /// <summary>
    /// Rounds the positive rational num/den to the nearest representable float (ties to even), handling subnormals.
    /// OutOfRange when it rounds to infinity (the spec rejects such literals).
    /// </summary>
    private static NumberStatus RoundToFloat(BigInteger num, BigInteger den, int p, int expBits, out ulong bits)
    {
        int bias = (1 << (expBits - 1)) - 1;
        int emin = 1 - bias;
        int emax = bias;
        // e = floor(log2(num/den))
        long e = (long)(num.GetBitLength() - den.GetBitLength());
        if (e >= 0 ? num < den << (int)e : (num << (int)-e) < den) e--;
        long lsbExp = Math.Max(e, emin) - (p - 1);
        BigInteger n = num, d = den;
        if (lsbExp <= 0) n <<= (int)-lsbExp;
        else d <<= (int)lsbExp;
        BigInteger q = BigInteger.DivRem(n, d, out BigInteger rem);
        int cmp = (rem << 1).CompareTo(d);
        if (cmp > 0 || (cmp == 0 && !q.IsEven)) q += 1;
        ulong m = (ulong)q;
        if (m == 1UL << p)
        {
            m >>= 1;
            lsbExp++;
        }
        long unbiased = lsbExp + (p - 1);
        if (m >= 1UL << (p - 1))
        {
            if (unbiased > emax)
            {
                bits = ((1UL << expBits) - 1) << (p - 1);
                return NumberStatus.OutOfRange;
            }
            bits = ((ulong)(unbiased + bias) << (p - 1)) | (m & ((1UL << (p - 1)) - 1));
        }
        else
        {
            bits = m; // subnormal or zero: biased exponent 0
        }
        return NumberStatus.Ok;
    }
}
