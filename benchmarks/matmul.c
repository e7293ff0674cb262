/*
 * 400x400 double-precision matrix multiply, C = A * B, done four times
 * (the result feeds the next round's A, scaled back). The i-k-j loop order
 * streams rows of B and C, so the work is floating-point multiply-add.
 * Built with -ffp-contract=off on every target so the x86-64 reference and
 * the ppc64 build round identically and print the same checksum.
 */
#include <stdlib.h>
#include <string.h>

#include "bench.h"

#define N 400
#define ROUNDS 4

static double A[N][N], B[N][N], C[N][N];

int main(void)
{
    uint64_t seed = 0xfeedface12345678ULL;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            A[i][j] = (double)(int64_t)(bench_rand(&seed) >> 11) / 9007199254740992.0 - 0.5;
            B[i][j] = (double)(int64_t)(bench_rand(&seed) >> 11) / 9007199254740992.0 - 0.5;
        }
    for (int r = 0; r < ROUNDS; r++) {
        memset(C, 0, sizeof C);
        for (int i = 0; i < N; i++)
            for (int k = 0; k < N; k++) {
                double a = A[i][k];
                for (int j = 0; j < N; j++)
                    C[i][j] += a * B[k][j];
            }
        /* Next round multiplies the (rescaled) result again. */
        for (int i = 0; i < N; i++)
            for (int j = 0; j < N; j++)
                A[i][j] = C[i][j] * 0.1;
    }
    double trace = 0, sum = 0;
    uint64_t bits = 0;
    for (int i = 0; i < N; i++) {
        trace += C[i][i];
        for (int j = 0; j < N; j++) {
            uint64_t u;
            memcpy(&u, &C[i][j], 8);
            bits = bits * 0x100000001b3ULL ^ u;
            sum += C[i][j];
        }
    }
    printf("matmul %dx%d x%d: trace %.17g sum %.17g\n", N, N, ROUNDS, trace, sum);
    bench_result("matmul", bits);
    return 0;
}
