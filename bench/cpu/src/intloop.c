/* intloop: integer arithmetic in tight loops.
 * For every i in [1, n]: the Collatz trajectory length (64-bit add/shift/
 * compare, data-dependent branches) and the digit reversal of i (32-bit
 * unsigned division and remainder by 10).  Checksum mixes both. */
#include "common.h"

static u32 collatz_len(u64 x) {
    u32 steps = 0;
    while (x != 1) {
        x = (x & 1) ? 3 * x + 1 : x >> 1;
        steps++;
    }
    return steps;
}

static u32 reverse_digits(u32 x) {
    u32 r = 0;
    while (x != 0) {
        r = r * 10 + x % 10;
        x /= 10;
    }
    return r;
}

EXPORT int run(int n) {
    u32 sum = 0, best = 0, best_i = 0;
    for (u32 i = 1; i <= (u32)n; i++) {
        u32 len = collatz_len(i);
        if (len > best) { best = len; best_i = i; }
        sum = sum * 31u + len + (reverse_digits(i) ^ i);
    }
    return (int)(sum ^ (best * 2654435761u) ^ best_i);
}
