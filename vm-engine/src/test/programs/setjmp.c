/*
 * setjmp/longjmp and friends: returning through many frames, the value
 * rules (longjmp(env, 0) returns 1), callee-saved integer, floating-point
 * and vector registers surviving the jump, sigsetjmp/siglongjmp restoring
 * the signal mask, and a coroutine on its own stack with makecontext and
 * swapcontext. glibc's ppc64 setjmp saves r14-r31, f14-f31, v20-v31 and VRSAVE
 * and mangles the saved stack pointer and LR with a guard derived from
 * AT_RANDOM, so this also exercises those.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <ucontext.h>

#include "tp.h"

static jmp_buf env;
static int depth_reached;

/* dive never returns: every path ends in longjmp, which GCC calls recursion. */
#pragma GCC diagnostic ignored "-Winfinite-recursion"

__attribute__((noinline)) static void dive(int depth, int target)
{
    volatile char pad[64]; /* each frame really uses stack */
    pad[0] = (char)depth;
    depth_reached = depth + (pad[0] != (char)depth);
    if (depth == target || depth > 100000)
        longjmp(env, depth * 10);
    dive(depth + 1, target);
    pad[1] = 0; /* not reached */
}

static void deep_jumps(void)
{
    tp_printf("-- longjmp out of deep recursion\n");
    static const int targets[] = {0, 1, 7, 100, 2000};
    for (unsigned i = 0; i < sizeof targets / sizeof targets[0]; i++) {
        volatile int tries = 0;
        int r = setjmp(env);
        tries++;
        if (r == 0)
            dive(0, targets[i]);
        tp_printf("target=%d setjmp returned %d after %d entries, depth=%d\n", targets[i], r, tries, depth_reached);
        TP_CHECK(r == targets[i] * 10 || (targets[i] == 0 && r == 1), "longjmp value");
        TP_CHECK(tries == 2, "setjmp entered twice");
    }
}

/* Values live in callee-saved registers across setjmp; after the longjmp the
 * compiler reloads them from those registers, so they must be restored. */
__attribute__((noinline)) static void clobber_and_jump(jmp_buf e)
{
    /* Trash callee-saved GPRs, FPRs and VRs before jumping back. */
    __asm__ volatile("li 14,-1\n\tli 20,-2\n\tli 30,-3\n\t"
                     "fsub 14,14,14\n\tfsub 20,20,20\n\tfsub 31,31,31"
                     ::: "r14", "r20", "r30", "fr14", "fr20", "fr31");
#ifdef __ALTIVEC__
    __asm__ volatile("vspltisw 20,-1\n\tvspltisw 31,7" ::: "v20", "v31");
#endif
    longjmp(e, 3);
}

/* The register variables below are set before setjmp and not changed
 * before longjmp, so C guarantees their values; GCC warns regardless. */
#pragma GCC diagnostic ignored "-Wclobbered"
static void saved_registers(void)
{
    tp_printf("-- callee-saved registers across longjmp\n");
    jmp_buf e;
    register uint64_t g14 __asm__("r14") = 0x1414141414141414ULL;
    register uint64_t g30 __asm__("r30") = 0x3030303030303030ULL; /* r31 may be the frame pointer */
    register double f14 __asm__("fr14") = 14.25;
    register double f31 __asm__("fr31") = -31.5;
    __asm__ volatile("" : "+r"(g14), "+r"(g30), "+d"(f14), "+d"(f31));
#ifdef __ALTIVEC__
    register __vector unsigned int v20 __asm__("v20") = {1, 2, 3, 4};
    __asm__ volatile("" : "+v"(v20));
#endif
    if (setjmp(e) == 0)
        clobber_and_jump(e);
    __asm__ volatile("" : "+r"(g14), "+r"(g30), "+d"(f14), "+d"(f31));
    tp_printf("r14=%016llx r30=%016llx f14=%g f31=%g\n", (unsigned long long)g14, (unsigned long long)g30, f14, f31);
    TP_CHECK(g14 == 0x1414141414141414ULL && g30 == 0x3030303030303030ULL && f14 == 14.25 && f31 == -31.5,
             "callee-saved GPR/FPR restored");
#ifdef __ALTIVEC__
    __asm__ volatile("" : "+v"(v20));
    union { __vector unsigned int v; unsigned w[4]; } u = {v20};
    tp_printf("v20=%u %u %u %u\n", u.w[0], u.w[1], u.w[2], u.w[3]);
    TP_CHECK(u.w[0] == 1 && u.w[3] == 4, "callee-saved VR restored");
#else
    tp_printf("v20=1 2 3 4\n"); /* same output as VMX builds: no VRs to check */
    TP_CHECK(1, "no VMX");
#endif
}

static sigjmp_buf senv;

static void signal_masks(void)
{
    tp_printf("-- sigsetjmp/siglongjmp and the signal mask\n");
    sigset_t block, cur;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR1);
    for (int save = 0; save <= 1; save++) {
        sigprocmask(SIG_SETMASK, &(sigset_t){0}, NULL);
        sigemptyset(&cur);
        sigprocmask(SIG_SETMASK, &cur, NULL);
        if (sigsetjmp(senv, save) == 0) {
            sigprocmask(SIG_BLOCK, &block, NULL); /* changed after the save point */
            siglongjmp(senv, 1);
        }
        sigprocmask(SIG_SETMASK, NULL, &cur);
        int blocked = sigismember(&cur, SIGUSR1);
        tp_printf("savemask=%d -> SIGUSR1 blocked after siglongjmp: %d\n", save, blocked);
        TP_CHECK(blocked == !save, "mask restored only when saved");
    }
    sigemptyset(&cur);
    sigprocmask(SIG_SETMASK, &cur, NULL);
}

/* A coroutine on its own stack through getcontext/makecontext/swapcontext,
 * the machinery coroutine libraries build on; glibc implements them with
 * the same register save/restore code plus rt_sigprocmask. */
static ucontext_t main_ctx, co_ctx;
static int trace[16], ntrace;

static void coroutine(int base, int step)
{
    for (int i = 0; i < 4; i++) {
        trace[ntrace++] = base + i * step;
        swapcontext(&co_ctx, &main_ctx);
    }
    trace[ntrace++] = -1; /* returning resumes uc_link (main_ctx) */
}

static void contexts(void)
{
    tp_printf("-- getcontext/makecontext/swapcontext\n");
    static char stack[64 * 1024] __attribute__((aligned(16)));
    TP_CHECK(getcontext(&co_ctx) == 0, "getcontext");
    co_ctx.uc_stack.ss_sp = stack;
    co_ctx.uc_stack.ss_size = sizeof stack;
    co_ctx.uc_link = &main_ctx;
    makecontext(&co_ctx, (void (*)(void))coroutine, 2, 100, 7);
    for (int round = 0; round < 5; round++) {
        trace[ntrace++] = round;
        TP_CHECK(swapcontext(&main_ctx, &co_ctx) == 0, "swapcontext");
    }
    tp_printf("trace:");
    for (int i = 0; i < ntrace; i++)
        tp_printf(" %d", trace[i]);
    tp_printf("\n");
    TP_CHECK(ntrace == 10 && trace[9] == -1 && trace[7] == 121, "coroutine order");
}

int main(void)
{
    deep_jumps();
    saved_registers();
    signal_masks();
    contexts();
    return tp_finish("setjmp");
}
