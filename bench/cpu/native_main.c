/* Native timing driver for the CPU benchmarks.
 * Linked with exactly one program from src/ (which defines `int run(int)`).
 * Usage: NAME N K   -> one untimed warm-up call, then K timed calls of run(N);
 * prints "NAME checksum median_ns".  Exits 1 if the checksum changes
 * between calls (every program must be deterministic per call). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int run(int n);

static long long now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int cmp_ll(const void *a, const void *b) {
    long long x = *(const long long *)a, y = *(const long long *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    const char *name = strrchr(argv[0], '/');
    name = name ? name + 1 : argv[0];
    if (argc != 3) {
        fprintf(stderr, "usage: %s N K\n", name);
        return 2;
    }
    int n = atoi(argv[1]);
    int k = atoi(argv[2]);
    if (k < 1) k = 1;
    long long *t = malloc(sizeof *t * (size_t)k);
    if (!t) return 2;

    int expected = run(n); /* warm-up */
    for (int i = 0; i < k; i++) {
        long long t0 = now_ns();
        int c = run(n);
        t[i] = now_ns() - t0;
        if (c != expected) {
            fprintf(stderr, "%s: checksum changed between runs (%d vs %d)\n", name, c, expected);
            return 1;
        }
    }
    qsort(t, (size_t)k, sizeof *t, cmp_ll);
    long long median = (k % 2) ? t[k / 2] : (t[k / 2 - 1] + t[k / 2]) / 2;
    printf("%s %d %lld\n", name, expected, median);
    free(t);
    return 0;
}
