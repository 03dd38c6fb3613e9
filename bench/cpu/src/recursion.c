/* recursion: call-heavy code.  Naive doubly-recursive Fibonacci plus the
 * Takeuchi function (three-way recursion with deep argument juggling).
 * Stack depth stays small (< 100 frames), so any engine stack is enough. */
#include "common.h"

static u32 fib(u32 k) {
    return k < 2 ? k : fib(k - 1) + fib(k - 2);
}

static i32 tak(i32 x, i32 y, i32 z) {
    if (y >= x) return z;
    return tak(tak(x - 1, y, z), tak(y - 1, z, x), tak(z - 1, x, y));
}

EXPORT int run(int n) {
    u32 s = fib((u32)n);
    /* tak(x, y, 0) with x = n/2 grows steeply; keep it the smaller share. */
    s = s * 31u + (u32)tak(n / 2, n / 4, 0);
    s = s * 31u + (u32)tak(n / 2 - 1, n / 4, 1);
    return (int)s;
}
