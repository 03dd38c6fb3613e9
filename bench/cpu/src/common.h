/* Shared helpers for the CPU benchmark programs.
 * No libc: only fixed-width scalar types defined here by hand, so the same
 * source means the same thing on wasm32 and on x86-64 (int = 32 bits,
 * long long = 64 bits on both; never use plain `long`). */
#ifndef BENCH_COMMON_H
#define BENCH_COMMON_H

typedef unsigned int u32;
typedef int i32;
typedef unsigned long long u64;
typedef long long i64;

/* xorshift32: tiny deterministic PRNG, identical on every target. */
static inline u32 xs32(u32 *s) {
    u32 x = *s;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    *s = x;
    return x;
}

#define EXPORT __attribute__((visibility("default")))

#endif
