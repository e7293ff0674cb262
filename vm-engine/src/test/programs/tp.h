/*
 * Shared helpers for the guest test programs.
 *
 * Every program prints deterministic text (no addresses, pids, times or
 * page sizes) so its stdout can be compared byte for byte between QEMU and
 * pvm. Programs also check what they can check by themselves (identities,
 * values the ISA defines) and exit non-zero when a self-check fails, so a
 * wrong answer is caught even where both emulators would agree on it.
 */
#ifndef TP_H
#define TP_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Hide an integer from the optimiser so the operation on it really executes. */
#define TP_OPQ(x) ({ __typeof__((x) + 0) o_ = (x); __asm__("" : "+r"(o_)); o_; })

static uint64_t tp_hash __attribute__((unused)) = 0xcbf29ce484222325ULL; /* FNV-1a 64 offset basis */
static unsigned tp_checks __attribute__((unused)), tp_failures __attribute__((unused));

/* Fold raw bytes into the program's running checksum. */
static inline void tp_mix_bytes(const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) {
        tp_hash ^= b[i];
        tp_hash *= 0x100000001b3ULL;
    }
}

/* Fold a value in an endian-independent way, so LE and BE builds agree. */
static inline void tp_mix(uint64_t v)
{
    for (int i = 0; i < 8; i++) {
        unsigned char b = (unsigned char)(v >> (8 * i));
        tp_mix_bytes(&b, 1);
    }
}

/* printf that also folds the printed text into the checksum. */
__attribute__((format(printf, 1, 2))) static inline void tp_printf(const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0)
        n = 0;
    if ((size_t)n >= sizeof buf)
        n = sizeof buf - 1;
    tp_mix_bytes(buf, (size_t)n);
    fputs(buf, stdout);
}

#define TP_CHECK(cond, ...)                                                    \
    do {                                                                       \
        tp_checks++;                                                           \
        if (!(cond)) {                                                         \
            tp_failures++;                                                     \
            tp_printf("FAIL %s:%d: ", __FILE__, __LINE__);                     \
            tp_printf(__VA_ARGS__);                                            \
            tp_printf("\n");                                                   \
        }                                                                      \
    } while (0)

/* xorshift64*: a fixed-seed generator, identical on every host and build. */
static uint64_t tp_rng_state __attribute__((unused)) = 0x9E3779B97F4A7C15ULL;
static inline uint64_t tp_rand(void)
{
    uint64_t x = tp_rng_state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    tp_rng_state = x;
    return x * 0x2545F4914F6CDD1DULL;
}

/* Last line of every program; the exit status says whether self-checks held. */
static inline int tp_finish(const char *name)
{
    tp_printf("%s: %u checks, %u failures\n", name, tp_checks, tp_failures);
    printf("%s: checksum %016llx\n", name, (unsigned long long)tp_hash);
    fflush(stdout);
    return tp_failures ? 1 : 0;
}

#endif
