/* sort: comparison sorting with memory traffic over a static buffer.
 * Fills n pseudo-random 32-bit ints, sorts them with quicksort (median of
 * three, insertion sort for short ranges, recursion only on the smaller
 * side), checks order, then refills and sorts again with heapsort.
 * Checksum is a position-weighted sum of both sorted arrays. */
#include "common.h"

#define MAX_N (1 << 20)
static i32 data[MAX_N];

static void fill(int n, u32 seed) {
    u32 s = seed;
    for (int i = 0; i < n; i++)
        data[i] = (i32)xs32(&s);
}

static void insertion(i32 *a, int lo, int hi) {
    for (int i = lo + 1; i <= hi; i++) {
        i32 v = a[i];
        int j = i - 1;
        while (j >= lo && a[j] > v) { a[j + 1] = a[j]; j--; }
        a[j + 1] = v;
    }
}

static void swap(i32 *a, int i, int j) { i32 t = a[i]; a[i] = a[j]; a[j] = t; }

static void quicksort(i32 *a, int lo, int hi) {
    while (hi - lo > 16) {
        int mid = lo + (hi - lo) / 2;
        if (a[mid] < a[lo]) swap(a, mid, lo);
        if (a[hi] < a[lo]) swap(a, hi, lo);
        if (a[hi] < a[mid]) swap(a, hi, mid);
        i32 pivot = a[mid];
        int i = lo, j = hi;
        while (i <= j) {
            while (a[i] < pivot) i++;
            while (a[j] > pivot) j--;
            if (i <= j) { swap(a, i, j); i++; j--; }
        }
        if (j - lo < hi - i) { quicksort(a, lo, j); lo = i; }
        else                 { quicksort(a, i, hi); hi = j; }
    }
    insertion(a, lo, hi);
}

static void sift_down(i32 *a, int root, int end) {
    i32 v = a[root];
    for (;;) {
        int child = 2 * root + 1;
        if (child >= end) break;
        if (child + 1 < end && a[child + 1] > a[child]) child++;
        if (a[child] <= v) break;
        a[root] = a[child];
        root = child;
    }
    a[root] = v;
}

static void heapsort(i32 *a, int n) {
    for (int i = n / 2 - 1; i >= 0; i--) sift_down(a, i, n);
    for (int end = n - 1; end > 0; end--) {
        swap(a, 0, end);
        sift_down(a, 0, end);
    }
}

static u32 digest(int n) {
    u32 h = 0;
    for (int i = 0; i < n; i++) {
        if (i > 0 && data[i - 1] > data[i]) return 0xdeadu; /* not sorted */
        h += (u32)data[i] * (u32)(i | 1);
    }
    return h;
}

EXPORT int run(int n) {
    if (n > MAX_N) n = MAX_N;
    if (n < 1) return 0;
    fill(n, 0x12345678u);
    quicksort(data, 0, n - 1);
    u32 a = digest(n);
    fill(n, 0x9e3779b9u);
    heapsort(data, n);
    u32 b = digest(n);
    return (int)(a * 31u + b);
}
