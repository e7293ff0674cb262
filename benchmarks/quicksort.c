/*
 * Quicksort of 5,000,000 random 32-bit ints: median-of-three partitioning,
 * insertion sort below 16 elements, recursion on the smaller side. Branchy
 * compare-and-swap code over memory. Checks the result is sorted and prints
 * a position-weighted checksum of it.
 */
#include <stdlib.h>

#include "bench.h"

#define N 5000000

static void insertion(int32_t *a, long lo, long hi)
{
    for (long i = lo + 1; i <= hi; i++) {
        int32_t v = a[i];
        long j = i - 1;
        while (j >= lo && a[j] > v) {
            a[j + 1] = a[j];
            j--;
        }
        a[j + 1] = v;
    }
}

static inline void swap(int32_t *a, long i, long j)
{
    int32_t t = a[i];
    a[i] = a[j];
    a[j] = t;
}

static void quicksort(int32_t *a, long lo, long hi)
{
    while (hi - lo >= 16) {
        long mid = lo + (hi - lo) / 2;
        if (a[mid] < a[lo]) swap(a, mid, lo);
        if (a[hi] < a[lo]) swap(a, hi, lo);
        if (a[hi] < a[mid]) swap(a, hi, mid);
        int32_t pivot = a[mid];
        long i = lo, j = hi;
        while (i <= j) {
            while (a[i] < pivot) i++;
            while (a[j] > pivot) j--;
            if (i <= j) {
                swap(a, i, j);
                i++;
                j--;
            }
        }
        /* Recurse into the smaller part, loop on the larger: O(log n) stack. */
        if (j - lo < hi - i) {
            quicksort(a, lo, j);
            lo = i;
        } else {
            quicksort(a, i, hi);
            hi = j;
        }
    }
    insertion(a, lo, hi);
}

int main(void)
{
    int32_t *a = malloc(N * sizeof *a);
    uint64_t seed = 0x0123456789abcdefULL;
    for (long i = 0; i < N; i++)
        a[i] = (int32_t)(bench_rand(&seed) >> 32);
    quicksort(a, 0, N - 1);
    uint64_t c = 0;
    for (long i = 0; i < N; i++) {
        if (i && a[i - 1] > a[i]) {
            fprintf(stderr, "quicksort: not sorted at %ld\n", i);
            return 1;
        }
        c = c * 31 + (uint64_t)(uint32_t)a[i] * (uint64_t)(i + 1);
    }
    printf("quicksort of %d ints: min %d max %d median %d\n", N, a[0], a[N - 1], a[N / 2]);
    bench_result("quicksort", c);
    free(a);
    return 0;
}
