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
        // Syntax: digits ('.' digits?)? (exponent)?, underscores only between digits.
        int i = 0;
        int intDigits = ScanDigits(s, ref i, radix);
        if (intDigits <= 0) return NumberStatus.Malformed;
        int intEnd = i;
        int fracStart = i, fracEnd = i, fracDigits = 0;
        if (i < s.Length && s[i] == '.')
        {
            i++;
            fracStart = fracEnd = i;
            if (i < s.Length && IsDigit(s[i], radix))
            {
                fracDigits = ScanDigits(s, ref i, radix);
                if (fracDigits < 0) return NumberStatus.Malformed;
                fracEnd = i;
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

        // value = M * radix^(-fracDigits) * (2 or 10)^exp, where M is all mantissa digits as an integer.
        // Fast path: M fits in 128 bits (hex) or 64 bits (decimal) and is scaled exactly in 128-bit integers.
        int maxSig = hex ? 31 : 19;
        UInt128 m = 0;
        int sig = 0;
        bool exact = AccumulateDigits(s[..intEnd], radix, maxSig, ref m, ref sig) &&
                     AccumulateDigits(s[fracStart..fracEnd], radix, maxSig, ref m, ref sig);
        if (sig == 0)
        {
            bits = sign;
            return NumberStatus.Ok;
        }
        if (exact)
        {
            NumberStatus st;
            ulong magnitude;
            if (hex)
            {
                st = RoundBinary(m, exp - 4L * fracDigits, false, p, expBits, out magnitude);
                bits = sign | magnitude;
                return st;
            }
            long decExp = exp - fracDigits;
            if (decExp is >= 0 and <= 19)
            {
                st = RoundBinary(m * Pow10(decExp), 0, false, p, expBits, out magnitude);
                bits = sign | magnitude;
                return st;
            }
            if (decExp is < 0 and >= -19)
            {
                // M / 10^k: shift M up to use all 128 bits, divide, and keep the remainder as a sticky bit.
                int shift = 127 - BitLength(m);
                UInt128 n = m << shift;
                UInt128 d = Pow10(-decExp);
                UInt128 q = n / d;
                bool sticky = n % d != 0;
                st = RoundBinary(q, -shift, sticky, p, expBits, out magnitude);
                bits = sign | magnitude;
                return st;
            }
        }
        return SlowPath(s, intEnd, fracStart, fracEnd, fracDigits, exp, hex, sign, p, expBits, out bits);
    }

    private static UInt128 Pow10(long k)
    {
        UInt128 r = 1;
        for (long j = 0; j < k; j++) r *= 10;
        return r;
    }

    private static int BitLength(UInt128 v) => 128 - (int)UInt128.LeadingZeroCount(v);

    /// <summary>Adds significant digits to <paramref name="m"/>; false when there are more than <paramref name="maxSig"/>.</summary>
    private static bool AccumulateDigits(ReadOnlySpan<char> s, int radix, int maxSig, ref UInt128 m, ref int sig)
    {
        foreach (char c in s)
        {
            if (c == '_') continue;
            int d = radix == 16 ? Lexer.HexVal(c) : c - '0';
            if (sig == 0 && d == 0) continue; // leading zeros
            if (sig == maxSig) return false;
            m = m * (uint)radix + (uint)d;
            sig++;
        }
        return true;
    }

    /// <summary>
    /// Rounds (m + e) * 2^binExp, with 0 &lt;= e &lt; 1 and e &gt; 0 exactly when <paramref name="sticky"/>, to nearest-even.
    /// A sticky value must carry at least p+1 significant bits so the rounding position lies inside m.
    /// </summary>
    private static NumberStatus RoundBinary(UInt128 m, long binExp, bool sticky, int p, int expBits, out ulong bits)
    {
        int bias = (1 << (expBits - 1)) - 1;
        int emin = 1 - bias;
        long e = BitLength(m) - 1 + binExp; // floor(log2(value))
        if (e > bias) return Infinity(p, expBits, out bits);
        if (e + 1 < emin - p)
        {
            bits = 0; // below half the smallest subnormal
            return NumberStatus.Ok;
        }
        long lsbExp = Math.Max(e, emin) - (p - 1);
        long shift = lsbExp - binExp;
        UInt128 q;
        if (shift <= 0)
        {
            q = m << (int)-shift;
        }
        else
        {
            UInt128 rem;
            if (shift >= 128)
            {
                q = 0;
                rem = m;
            }
            else
            {
                q = m >> (int)shift;
                rem = m & ((UInt128.One << (int)shift) - 1);
            }
            // Compare the discarded part with half an ulp.
            int cmp;
            if (shift > 128) cmp = -1;
            else
            {
                UInt128 half = UInt128.One << (int)(shift - 1);
                cmp = rem > half ? 1 : rem < half ? -1 : sticky ? 1 : 0;
            }
            if (cmp > 0 || (cmp == 0 && (q & 1) == 1)) q++;
        }
        return Assemble((ulong)q, lsbExp, p, expBits, out bits);
    }

    /// <summary>Packs a rounded significand whose last bit has weight 2^lsbExp into IEEE bits.</summary>
    private static NumberStatus Assemble(ulong q, long lsbExp, int p, int expBits, out ulong bits)
    {
        int bias = (1 << (expBits - 1)) - 1;
        if (q == 1UL << p)
        {
            q >>= 1;
            lsbExp++;
        }
        long unbiased = lsbExp + (p - 1);
        if (q >= 1UL << (p - 1))
        {
            if (unbiased > bias) return Infinity(p, expBits, out bits);
            bits = ((ulong)(unbiased + bias) << (p - 1)) | (q & ((1UL << (p - 1)) - 1));
        }
        else
        {
            bits = q; // subnormal or zero: biased exponent 0
        }
        return NumberStatus.Ok;
    }

    private static NumberStatus Infinity(int p, int expBits, out ulong bits)
    {
        bits = ((1UL << expBits) - 1) << (p - 1);
        return NumberStatus.OutOfRange;
    }

    /// <summary>Exact rounding with big integers, for long mantissas and large exponents.</summary>
    private static NumberStatus SlowPath(ReadOnlySpan<char> s, int intEnd, int fracStart, int fracEnd, int fracDigits, long exp,
        bool hex, ulong sign, int p, int expBits, out ulong bits)
    {
        var sb = new System.Text.StringBuilder(s.Length);
        foreach (char c in s[..intEnd]) if (c != '_') sb.Append(c);
        foreach (char c in s[fracStart..fracEnd]) if (c != '_') sb.Append(c);
        string digits = sb.ToString().TrimStart('0');
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
            if (log2Estimate > (1L << (expBits - 1)) + 8) return Overflow(sign, p, expBits, out bits);
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
            if (decMagnitude - 1 > maxDec) return Overflow(sign, p, expBits, out bits);
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

    private static NumberStatus Overflow(ulong sign, int p, int expBits, out ulong bits)
    {
        Infinity(p, expBits, out ulong inf);
        bits = sign | inf;
        return NumberStatus.OutOfRange;
    }

    private static bool IsDigit(char c, int radix) => radix == 16 ? Lexer.HexVal(c) >= 0 : c is >= '0' and <= '9';

    /// <summary>Skips digits at <paramref name="i"/>; returns their count, or -1 when underscores are misplaced.</summary>
    private static int ScanDigits(ReadOnlySpan<char> s, ref int i, int radix)
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
        int emin = 2 - (1 << (expBits - 1));
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
        return Assemble((ulong)q, lsbExp, p, expBits, out bits);
    }
}
