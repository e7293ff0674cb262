/*
 * Atomics, single-threaded: the __atomic builtins on 1, 2, 4, 8 and 16 byte
 * objects (GCC expands them to l[bhwdq]arx / st[bhwdq]cx. loops, or to
 * masked lwarx loops for sub-word sizes on CPUs without lbarx), compare and
 * exchange in strong and weak loops, fences, and the load-reserve/
 * store-conditional instructions directly from inline asm, including their
 * reservation rules:
 *   - larx then stcx. to the same address succeeds (CR0[EQ] = 1);
 *   - a second stcx. after that fails: the first one cleared the reservation;
 *   - a plain store to another location does not clear the reservation;
 *   - a system call between larx and stcx. clears it (Linux and QEMU agree).
 * Cases the ISA leaves undefined (stcx. to another address or of another
 * size than the larx) are not tested. 16-byte atomics (lqarx/stqcx.) are in
 * atomic128.c: QEMU 7.2 hangs on them.
 */
#include <stdatomic.h>
#include <stdint.h>
#include <unistd.h>

#include "tp.h"

/* Assemble the reservation instructions for POWER8 whatever -mcpu says. */
#define P8(s) ".machine push\n.machine power8\n" s "\n.machine pop"

static uint8_t v8 = 0xf0;
static uint16_t v16 = 0xfff0;
static uint32_t v32 = 0xfffffff0u;
static uint64_t v64 = 0xfffffffffffffff0ULL;

#define FETCH_OPS(T, var, tag)                                                               \
    do {                                                                                     \
        T model = var, old, arg;                                                             \
        uint64_t h = 0;                                                                      \
        for (int i = 0; i < 200; i++) {                                                      \
            arg = (T)tp_rand();                                                              \
            switch (i % 7) {                                                                 \
            case 0: old = __atomic_fetch_add(&var, arg, __ATOMIC_SEQ_CST); model += arg; break; \
            case 1: old = __atomic_fetch_sub(&var, arg, __ATOMIC_ACQ_REL); model -= arg; break; \
            case 2: old = __atomic_fetch_and(&var, arg | 0x11, __ATOMIC_RELAXED); model &= (T)(arg | 0x11); break; \
            case 3: old = __atomic_fetch_or(&var, arg & 0x0f, __ATOMIC_RELEASE); model |= (T)(arg & 0x0f); break; \
            case 4: old = __atomic_fetch_xor(&var, arg, __ATOMIC_ACQUIRE); model ^= arg; break; \
            case 5: old = __atomic_fetch_nand(&var, arg, __ATOMIC_SEQ_CST); model = (T)~(model & arg); break; \
            default: old = __atomic_exchange_n(&var, arg, __ATOMIC_SEQ_CST); model = arg; break; \
            }                                                                                \
            h = h * 31 + (uint64_t)old;                                                      \
            TP_CHECK(var == model, "%s: op %d", tag, i % 7);                                 \
        }                                                                                    \
        T add = __atomic_add_fetch(&var, 1, __ATOMIC_SEQ_CST);                                \
        T sub = __atomic_sub_fetch(&var, 3, __ATOMIC_SEQ_CST);                                \
        tp_printf("%-4s fetch-ops hash=%016llx final=%llx add_fetch=%llx sub_fetch=%llx\n", tag, \
                  (unsigned long long)h, (unsigned long long)var, (unsigned long long)add,   \
                  (unsigned long long)sub);                                                  \
    } while (0)

#define CAS_OPS(T, var, tag)                                                                 \
    do {                                                                                     \
        T cur = __atomic_load_n(&var, __ATOMIC_ACQUIRE);                                     \
        T wrong = (T)(cur + 1);                                                              \
        T want = (T)(cur * 3 + 7);                                                           \
        int f = __atomic_compare_exchange_n(&var, &wrong, want, 0, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED); \
        TP_CHECK(!f && wrong == cur, "%s: failing CAS reports the current value", tag);      \
        int s = __atomic_compare_exchange_n(&var, &cur, want, 0, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED); \
        TP_CHECK(s && var == want, "%s: strong CAS", tag);                                   \
        /* weak CAS may fail spuriously: loop, as real code does */                          \
        T exp = __atomic_load_n(&var, __ATOMIC_RELAXED), tries = 0;                          \
        while (!__atomic_compare_exchange_n(&var, &exp, (T)(exp ^ (T)0x5a5a5a5a5a5a5a5aULL), 1, \
                                            __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))             \
            tries++;                                                                         \
        __atomic_store_n(&var, (T)(var + 1), __ATOMIC_RELEASE);                              \
        tp_printf("%-4s cas fail=%d strong=%d final=%llx\n", tag, f, s, (unsigned long long)var); \
        (void)tries;                                                                         \
    } while (0)

static void builtins(void)
{
    tp_printf("-- __atomic builtins\n");
    FETCH_OPS(uint8_t, v8, "u8");
    FETCH_OPS(uint16_t, v16, "u16");
    FETCH_OPS(uint32_t, v32, "u32");
    FETCH_OPS(uint64_t, v64, "u64");
    CAS_OPS(uint8_t, v8, "u8");
    CAS_OPS(uint16_t, v16, "u16");
    CAS_OPS(uint32_t, v32, "u32");
    CAS_OPS(uint64_t, v64, "u64");

    static atomic_flag flag = ATOMIC_FLAG_INIT;
    int t1 = atomic_flag_test_and_set(&flag), t2 = atomic_flag_test_and_set(&flag);
    atomic_flag_clear(&flag);
    int t3 = atomic_flag_test_and_set_explicit(&flag, memory_order_acquire);
    tp_printf("test_and_set: %d %d %d\n", t1, t2, t3);
    TP_CHECK(t1 == 0 && t2 == 1 && t3 == 0, "atomic_flag");

    static _Atomic long counter;
    for (int i = 0; i < 1000; i++)
        atomic_fetch_add_explicit(&counter, i, i & 1 ? memory_order_relaxed : memory_order_seq_cst);
    atomic_thread_fence(memory_order_seq_cst);  /* sync */
    atomic_thread_fence(memory_order_acq_rel);  /* lwsync */
    atomic_signal_fence(memory_order_seq_cst);  /* compiler barrier only */
    tp_printf("stdatomic counter=%ld\n", atomic_load(&counter));
    TP_CHECK(atomic_load(&counter) == 499500, "stdatomic counter");
}

/* Returns CR0 after the sequence; EQ (0x2) says whether stcx. stored. */
#define RESV(larx, stcx, var, add, crvar)                                                        \
    do {                                                                                         \
        uint64_t t_;                                                                             \
        uint32_t cr_;                                                                            \
        __asm__ volatile(P8(larx " %0,0,%2\n\t"                                                  \
                            "addi %0,%0," #add "\n\t" stcx " %0,0,%2\n\t"                        \
                            "mfcr %1")                                                           \
                         : "=&b"(t_), "=&r"(cr_)                                                 \
                         : "r"(&var)                                                             \
                         : "cr0", "memory");                                                     \
        crvar = (cr_ >> 28) & 0xf;                                                               \
    } while (0)

static void reservations(void)
{
    tp_printf("-- load-reserve / store-conditional\n");
    uint32_t cr, cr2;
    static uint8_t b = 10;
    static uint16_t h = 1000;
    static uint32_t w = 100000;
    static uint64_t d = 10000000000ULL;
    static uint32_t other;

    RESV("lbarx", "stbcx.", b, 1, cr);
    tp_printf("lbarx/stbcx.  cr0=%x b=%u\n", cr, b);
    RESV("lharx", "sthcx.", h, 2, cr);
    tp_printf("lharx/sthcx.  cr0=%x h=%u\n", cr, h);
    RESV("lwarx", "stwcx.", w, 3, cr);
    tp_printf("lwarx/stwcx.  cr0=%x w=%u\n", cr, w);
    RESV("ldarx", "stdcx.", d, 4, cr);
    tp_printf("ldarx/stdcx.  cr0=%x d=%llu\n", cr, (unsigned long long)d);
    TP_CHECK(b == 11 && h == 1002 && w == 100003 && d == 10000000004ULL, "stcx. after larx stores");

    /* Two stcx. in a row: the second has no reservation left. */
    {
        uint64_t t;
        uint32_t c;
        __asm__ volatile(P8("lwarx %0,0,%2\n\taddi %0,%0,1\n\tstwcx. %0,0,%2\n\taddi %0,%0,1\n\t"
                            "stwcx. %0,0,%2\n\tmfcr %1")
                         : "=&b"(t), "=&r"(c) : "r"(&w) : "cr0", "memory");
        cr2 = (c >> 28) & 0xf;
        tp_printf("second stwcx. cr0=%x w=%u\n", cr2, w);
        TP_CHECK(!(cr2 & 2) && w == 100004, "second stcx. must fail");
    }
    /* A plain store elsewhere keeps the reservation. */
    {
        uint64_t t;
        uint32_t c;
        __asm__ volatile(P8("ldarx %0,0,%2\n\taddi %0,%0,5\n\tstw %0,0(%3)\n\tstdcx. %0,0,%2\n\tmfcr %1")
                         : "=&b"(t), "=&r"(c) : "r"(&d), "r"(&other) : "cr0", "memory");
        tp_printf("store elsewhere: cr0=%x d=%llu other=%u\n", (c >> 28) & 0xf, (unsigned long long)d, other);
        TP_CHECK((c >> 28) & 2, "store to another line keeps the reservation");
    }
    /* A system call in between loses it (getppid: no output, no side effect). */
    {
        register uint64_t r0 __asm__("r0") = 64; /* __NR_getppid */
        register uint64_t r3 __asm__("r3");
        uint64_t t;
        uint32_t c;
        __asm__ volatile(P8("lwarx %0,0,%4\n\taddi %0,%0,1\n\tsc\n\tstwcx. %0,0,%4\n\tmfcr %1")
                         : "=&b"(t), "=&r"(c), "+r"(r0), "=r"(r3)
                         : "b"(&w)
                         : "r4", "r5", "r6", "r7", "r8", "r9", "r10", "r11", "r12", "ctr", "xer", "cr0", "memory");
        tp_printf("syscall between: cr0=%x w=%u\n", (c >> 28) & 0xf, w);
        TP_CHECK(!((c >> 28) & 2) && w == 100004, "a system call clears the reservation");
    }
    /* The EH hint form (lwarx RT,RA,RB,1) behaves the same. */
    {
        uint64_t t;
        uint32_t c;
        __asm__ volatile(P8("lwarx %0,0,%2,1\n\taddi %0,%0,10\n\tstwcx. %0,0,%2\n\tmfcr %1")
                         : "=&b"(t), "=&r"(c) : "r"(&w) : "cr0", "memory");
        tp_printf("lwarx EH=1: cr0=%x w=%u\n", (c >> 28) & 0xf, w);
    }
    /* An increment loop as real code writes it. */
    for (int i = 0; i < 1000; i++) {
        uint64_t t;
        __asm__ volatile(P8("1: lharx %0,0,%1\n\taddi %0,%0,7\n\tsthcx. %0,0,%1\n\tbne- 1b")
                         : "=&b"(t) : "r"(&h) : "cr0", "memory");
    }
    tp_printf("lharx loop: h=%u\n", h);
    TP_CHECK(h == (uint16_t)(1002 + 7000), "lharx loop");
    __asm__ volatile("sync\n\tlwsync\n\tisync\n\teieio" ::: "memory");
}

int main(void)
{
    builtins();
    reservations();
    return tp_finish("atomics");
}
