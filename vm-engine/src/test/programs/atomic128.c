/*
 * 16-byte atomics: lqarx/stqcx. from inline asm (a compare-and-swap loop on
 * an even/odd register pair) and GCC's inline expansion of 16-byte __atomic
 * builtins, which uses the same instructions for POWER8 and later.
 *
 * No QEMU oracle: qemu-ppc64le/qemu-ppc64 7.2 loop forever on the first
 * successful stqcx. (every store-conditional reports failure), so
 * run-qemu.sh does not run this program. Its output does not depend on the
 * byte order and is committed as atomic128.expected; the program also checks
 * every result itself and exits 1 on a wrong one.
 */
#include <stdint.h>

#include "tp.h"

/* Assemble the reservation instructions for POWER8 whatever -mcpu says. */
#define P8(s) ".machine push\n.machine power8\n" s "\n.machine pop"

static unsigned __int128 v128 __attribute__((aligned(16)));

/* 16-byte compare-and-swap with lqarx/stqcx. RTp/RSp are even-odd register
 * pairs. In either byte order the even register holds the high-order
 * doubleword of the quadword as that byte order reads it, which is the high
 * half of an unsigned __int128 in GCC's layout: at EA on BE, at EA+8 on LE. */
static int cas128(unsigned __int128 *p, unsigned __int128 *expected, unsigned __int128 desired)
{
    uint64_t eh = (uint64_t)(*expected >> 64), el = (uint64_t)*expected;
    uint64_t dh = (uint64_t)(desired >> 64), dl = (uint64_t)desired;
    register uint64_t r10 __asm__("r10");
    register uint64_t r11 __asm__("r11");
    register uint64_t r8 __asm__("r8") = dh;
    register uint64_t r9 __asm__("r9") = dl;
    int ok;
    __asm__ volatile(P8("1: lqarx 10,0,%[p]\n\t"
                        "cmpd 10,%[eh]\n\t"
                        "bne- 2f\n\t"
                        "cmpd 11,%[el]\n\t"
                        "bne- 2f\n\t"
                        "stqcx. 8,0,%[p]\n\t"
                        "bne- 1b\n\t"
                        "li %[ok],1\n\t"
                        "b 3f\n"
                        "2: li %[ok],0\n"
                        "3:")
                     : [ok] "=&r"(ok), "=&r"(r10), "=&r"(r11)
                     : [p] "r"(p), [eh] "r"(eh), [el] "r"(el), "r"(r8), "r"(r9)
                     : "cr0", "memory");
    if (!ok)
        *expected = ((unsigned __int128)r10 << 64) | r11;
    return ok;
}

static void quadword(void)
{
    unsigned __int128 init = ((unsigned __int128)0x0123456789abcdefULL << 64) | 0xfedcba9876543210ULL;
    v128 = init;
    unsigned __int128 exp = 0, want = ((unsigned __int128)0x1111111111111111ULL << 64) | 0x2222222222222222ULL;
    int a = cas128(&v128, &exp, want);
    int b = cas128(&v128, &exp, want);
    tp_printf("lqarx/stqcx. cas: first=%d (saw %016llx%016llx) second=%d now=%016llx%016llx\n", a,
              (unsigned long long)(exp >> 64), (unsigned long long)exp, b, (unsigned long long)(v128 >> 64),
              (unsigned long long)v128);
    TP_CHECK(!a && exp == init && b && v128 == want, "lqarx CAS");
    unsigned __int128 e2 = want, d2 = want * 3, one = (unsigned __int128)1 << 64 | 1, old;
#ifdef __GCC_HAVE_SYNC_COMPARE_AND_SWAP_16
    /* GCC inlines 16-byte atomics with lqarx/stqcx. for POWER8 and later. */
    int c = __atomic_compare_exchange_n(&v128, &e2, d2, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    old = __atomic_fetch_add(&v128, one, __ATOMIC_SEQ_CST);
#else
    /* Older -mcpu (BE default): the same operations through cas128. */
    int c = cas128(&v128, &e2, d2);
    old = v128;
    while (!cas128(&v128, &old, old + one))
        ;
#endif
    TP_CHECK(c && old == d2 && v128 == d2 + one, "16-byte cas and fetch_add");
    tp_printf("16-byte cas=%d now=%016llx%016llx\n", c, (unsigned long long)(v128 >> 64), (unsigned long long)v128);
}


static void plain_quadword(void)
{
    /* lq/stq: the even register gets the high-order doubleword as the byte
     * order reads the quadword, i.e. the high half of an unsigned __int128. */
    register uint64_t r10 __asm__("r10");
    register uint64_t r11 __asm__("r11");
    static unsigned __int128 src __attribute__((aligned(16))), dst __attribute__((aligned(16)));
    src = ((unsigned __int128)0xa1a2a3a4a5a6a7a8ULL << 64) | 0xb1b2b3b4b5b6b7b8ULL;
    __asm__ volatile(P8("lq 10,0(%2)\n\tstq 10,0(%3)") : "=&r"(r10), "=&r"(r11) : "b"(&src), "b"(&dst) : "memory");
    tp_printf("lq: even=%016llx odd=%016llx stq copy %s\n", (unsigned long long)r10, (unsigned long long)r11,
              dst == src ? "equal" : "DIFFERENT");
    TP_CHECK(r10 == (uint64_t)(src >> 64) && r11 == (uint64_t)src && dst == src, "lq/stq register pair order");
}

int main(void)
{
    plain_quadword();
    quadword();
    return tp_finish("atomic128");
}
