/* float: floating-point arithmetic.
 * Phase 1 (f64): Mandelbrot set over an n x n grid, up to 256 iterations per
 *   point; checksum is the sum of iteration counts (exact, integer).
 * Phase 2 (f32): explicit 1-D heat-diffusion stencil over a static array,
 *   n/4 time steps; checksum takes the bit pattern of an in-order f32 sum.
 * Only +, -, *, compares and int<->float conversions: no sqrt, no libm,
 * no fast-math, so wasm and native give bit-identical results. */
#include "common.h"

#define CELLS 4096
static float heat[CELLS], heat_next[CELLS];

static u32 mandelbrot(int n) {
    u32 total = 0;
    double inv = 3.0 / (double)n;
    for (int py = 0; py < n; py++) {
        double ci = (double)py * inv - 1.5;
        for (int px = 0; px < n; px++) {
            double cr = (double)px * inv - 2.0;
            double zr = 0.0, zi = 0.0;
            int it = 0;
            while (it < 256) {
                double zr2 = zr * zr, zi2 = zi * zi;
                if (zr2 + zi2 > 4.0) break;
                zi = 2.0 * zr * zi + ci;
                zr = zr2 - zi2 + cr;
                it++;
            }
            total += (u32)it;
        }
    }
    return total;
}

static u32 diffusion(int steps) {
    for (int i = 0; i < CELLS; i++)
        heat[i] = (float)((i * 7919) % 1000) * 0.001f;
    float *cur = heat, *nxt = heat_next;
    for (int t = 0; t < steps; t++) {
        nxt[0] = cur[0];
        nxt[CELLS - 1] = cur[CELLS - 1];
        for (int i = 1; i < CELLS - 1; i++)
            nxt[i] = cur[i] + 0.25f * (cur[i - 1] - 2.0f * cur[i] + cur[i + 1]);
        float *tmp = cur; cur = nxt; nxt = tmp;
    }
    float sum = 0.0f;
    for (int i = 0; i < CELLS; i++)
        sum += cur[i] * (float)(i & 15);
    union { float f; u32 u; } bits;
    bits.f = sum;
    return bits.u;
}

EXPORT int run(int n) {
    u32 a = mandelbrot(n);
    u32 b = diffusion(n / 4);
    return (int)(a * 31u + b);
}
