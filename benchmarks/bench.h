/*
 * Shared by the CPU benchmarks: a fixed-seed generator (so every runner sees
 * the same input) and the one output line the harness compares.
 */
#ifndef BENCH_H
#define BENCH_H

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>

/* xorshift64*: cheap next to the work being measured, same on every host. */
static inline uint64_t bench_rand(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *s = x;
    return x * 0x2545F4914F6CDD1DULL;
}

/* "NAME checksum HEX": the harness checks that all runners print the same. */
static inline void bench_result(const char *name, uint64_t checksum)
{
    printf("%s checksum %016" PRIx64 "\n", name, checksum);
}

#endif
