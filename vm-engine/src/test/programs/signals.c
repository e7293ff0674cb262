/*
 * Signals in a single-threaded process: sigaction with SA_SIGINFO and the
 * siginfo it delivers (raise, kill, sigqueue), blocking, pending and
 * sigsuspend, sa_mask and SA_NODEFER, SA_RESETHAND, nested handlers,
 * synchronous faults (SIGSEGV on an unmapped and on a read-only address,
 * on executing a non-executable page, SIGILL, SIGTRAP from `trap`) handled
 * by siglongjmp out or by editing the saved context and returning,
 * register state (GPR, FPR, VR, CR, LR, CTR, XER) preserved across a handler,
 * and sigaltstack, including a stack overflow caught on the alternate stack.
 *
 * Output holds only codes and yes/no facts: no addresses or pids.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/ucontext.h>
#include <unistd.h>

#include "tp.h"

/* Offsets into mcontext gp_regs (asm/ptrace.h). */
#define REG_NIP 32
#define REG_LNK 36
#define REG_CCR 38

static volatile sig_atomic_t order[32];
static volatile sig_atomic_t norder;
static siginfo_t last_info;
static volatile int last_code, last_signo;

static void record(int sig) { if (norder < 32) order[norder++] = sig; }

static void on_info(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    record(sig);
    last_info = *si;
}

static void install(int sig, void (*fn)(int, siginfo_t *, void *), int flags, int masked)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = fn;
    sa.sa_flags = SA_SIGINFO | flags;
    sigemptyset(&sa.sa_mask);
    if (masked)
        sigaddset(&sa.sa_mask, masked);
    TP_CHECK(sigaction(sig, &sa, NULL) == 0, "sigaction %d", sig);
}

static void basic_delivery(void)
{
    tp_printf("-- delivery and siginfo\n");
    install(SIGUSR1, on_info, 0, 0);
    norder = 0;
    raise(SIGUSR1);
    tp_printf("raise: delivered=%d signo=%d code=%d(SI_TKILL=%d) pid_ok=%d uid_ok=%d\n", norder, last_info.si_signo,
              last_info.si_code, SI_TKILL, last_info.si_pid == getpid(), last_info.si_uid == getuid());
    kill(getpid(), SIGUSR1);
    tp_printf("kill: code=%d(SI_USER=%d) pid_ok=%d\n", last_info.si_code, SI_USER, last_info.si_pid == getpid());
    sigqueue(getpid(), SIGUSR1, (union sigval){.sival_int = 4242});
    tp_printf("sigqueue: code=%d(SI_QUEUE=%d) value=%d\n", last_info.si_code, SI_QUEUE, last_info.si_value.sival_int);
    TP_CHECK(norder == 3 && last_info.si_value.sival_int == 4242, "three deliveries");

    signal(SIGUSR2, SIG_IGN);
    raise(SIGUSR2);
    tp_printf("ignored SIGUSR2: still running\n");
    signal(SIGUSR2, SIG_DFL);
}

static void masks(void)
{
    tp_printf("-- blocking, pending, sigsuspend\n");
    sigset_t set, old, pend;
    install(SIGUSR1, on_info, 0, 0);
    norder = 0;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigprocmask(SIG_BLOCK, &set, &old);
    raise(SIGUSR1);
    sigpending(&pend);
    int pending = sigismember(&pend, SIGUSR1), before = norder;
    sigprocmask(SIG_SETMASK, &old, NULL); /* delivered before this returns */
    tp_printf("blocked: pending=%d delivered_before_unblock=%d after=%d\n", pending, before, norder);
    TP_CHECK(pending == 1 && before == 0 && norder == 1, "blocked then delivered on unblock");

    sigprocmask(SIG_BLOCK, &set, &old);
    raise(SIGUSR1);
    sigset_t none;
    sigemptyset(&none);
    int r = sigsuspend(&none);
    int e = errno;
    sigprocmask(SIG_SETMASK, &old, NULL);
    tp_printf("sigsuspend: ret=%d errno=%s delivered=%d\n", r, e == EINTR ? "EINTR" : "other", norder);
}

static volatile int usr2_blocked_in_handler, self_blocked_in_handler;
static void on_mask_probe(int sig, siginfo_t *si, void *uc)
{
    (void)si;
    (void)uc;
    sigset_t cur;
    sigprocmask(SIG_SETMASK, NULL, &cur);
    usr2_blocked_in_handler = sigismember(&cur, SIGUSR2);
    self_blocked_in_handler = sigismember(&cur, sig);
    record(sig);
}

static void on_usr2(int sig, siginfo_t *si, void *uc)
{
    (void)si;
    (void)uc;
    record(sig);
}
static void on_usr1_nesting(int sig, siginfo_t *si, void *uc)
{
    (void)si;
    (void)uc;
    record(sig);
    raise(SIGUSR2); /* not blocked: runs nested, right here */
    record(-sig);
}

static void handler_masks(void)
{
    tp_printf("-- sa_mask, SA_NODEFER, SA_RESETHAND, nesting\n");
    install(SIGUSR1, on_mask_probe, 0, SIGUSR2);
    raise(SIGUSR1);
    tp_printf("sa_mask: usr2 blocked=%d self blocked=%d\n", usr2_blocked_in_handler, self_blocked_in_handler);
    install(SIGUSR1, on_mask_probe, SA_NODEFER, 0);
    raise(SIGUSR1);
    tp_printf("SA_NODEFER: usr2 blocked=%d self blocked=%d\n", usr2_blocked_in_handler, self_blocked_in_handler);
    install(SIGUSR1, on_info, SA_RESETHAND, 0);
    raise(SIGUSR1);
    struct sigaction now;
    sigaction(SIGUSR1, NULL, &now);
    tp_printf("SA_RESETHAND: disposition after delivery is %s\n", now.sa_handler == SIG_DFL ? "SIG_DFL" : "handler");

    install(SIGUSR1, on_usr1_nesting, 0, 0);
    install(SIGUSR2, on_usr2, 0, 0);
    norder = 0;
    raise(SIGUSR1);
    tp_printf("nesting order:");
    for (int i = 0; i < norder; i++)
        tp_printf(" %s", order[i] == SIGUSR1 ? "usr1" : order[i] == SIGUSR2 ? "usr2" : "usr1-end");
    tp_printf("\n");
}

static sigjmp_buf fault_env;
static volatile uintptr_t fault_addr;
static void on_fault(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    last_signo = sig;
    last_code = si->si_code;
    fault_addr = (uintptr_t)si->si_addr;
    siglongjmp(fault_env, 1);
}

typedef void (*fn_t)(void);

#ifdef __ALTIVEC__
#define VR2_CLOBBER , "v2"
#else
#define VR2_CLOBBER /* the compiler does not use VRs at all */
#endif

static void faults(void)
{
    tp_printf("-- synchronous faults, left with siglongjmp\n");
    install(SIGSEGV, on_fault, 0, 0);
    install(SIGBUS, on_fault, 0, 0);
    long pg = sysconf(_SC_PAGESIZE);

    volatile int *bad = (volatile int *)(uintptr_t)16;
    if (sigsetjmp(fault_env, 1) == 0) {
        (void)*bad;
        tp_printf("no fault?\n");
    }
    tp_printf("load from 16: sig=%d code=%d(SEGV_MAPERR=%d) addr_ok=%d\n", last_signo, last_code, SEGV_MAPERR,
              fault_addr == 16);

    char *ro = mmap(NULL, (size_t)pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (sigsetjmp(fault_env, 1) == 0) {
        ((volatile char *)ro)[123] = 1;
        tp_printf("no fault?\n");
    }
    /* Linux says SEGV_ACCERR here; QEMU 7.2 says SEGV_MAPERR, so the code
     * is not printed (and for the NX case below, nor is the address). */
    tp_printf("store to read-only: sig=%d addr_ok=%d\n", last_signo, fault_addr == (uintptr_t)ro + 123);

    /* Jump into a page that is readable and writable but not executable:
     * a blr there would return if it ran. On ELFv1 a function pointer is a
     * descriptor, so build one. */
    uint32_t *nx = mmap(NULL, (size_t)pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    nx[0] = 0x4e800020; /* blr */
#if defined(_CALL_ELF) && _CALL_ELF == 2
    fn_t f = (fn_t)(uintptr_t)nx;
#else
    static uintptr_t desc[3];
    desc[0] = (uintptr_t)nx;
    fn_t f = (fn_t)(uintptr_t)desc;
#endif
    if (sigsetjmp(fault_env, 1) == 0) {
        f();
        tp_printf("executed a non-executable page\n");
    }
    tp_printf("execute NX page: sig=%d\n", last_signo);

    /* Touching an unmapped page in the middle of a mapping. */
    char *two = mmap(NULL, (size_t)pg * 3, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(two + pg, (size_t)pg);
    if (sigsetjmp(fault_env, 1) == 0) {
        two[pg + 8] = 1;
        tp_printf("no fault?\n");
    }
    tp_printf("store to hole: sig=%d code=%d addr_ok=%d\n", last_signo, last_code, fault_addr == (uintptr_t)two + pg + 8);
    munmap(two, (size_t)pg);
    munmap(two + 2 * pg, (size_t)pg);
    munmap(ro, (size_t)pg);
    munmap(nx, (size_t)pg);
}

/* Handlers that edit the interrupted context and return through sigreturn. */
static volatile int trap_seen;
static void on_trap(int sig, siginfo_t *si, void *ucv)
{
    ucontext_t *uc = ucv;
    unsigned long *g = uc->uc_mcontext.gp_regs;
    uint32_t insn = *(uint32_t *)(uintptr_t)g[REG_NIP];
    trap_seen = 1;
    last_signo = sig;
    last_code = si->si_code;
    fault_addr = (uintptr_t)si->si_addr == (uintptr_t)g[REG_NIP];
    tp_printf("  handler: sig=%d code=%d addr_is_nip=%d insn=%08x r10=%llx\n", sig, si->si_code, (int)fault_addr, insn,
              (unsigned long long)g[10]);
    /* Clobber volatile state the interrupted code still holds. */
    volatile double x = 1.0;
    for (int i = 0; i < 10; i++)
        x = x * 1.5 + 0.25;
    g[10] += 0x1000;     /* handed back to the interrupted code */
    g[REG_NIP] += 4;     /* skip the trapping instruction */
}

static void context_edit(void)
{
    tp_printf("-- handlers that edit the saved context and return\n");
    install(SIGTRAP, on_trap, 0, 0);
    install(SIGILL, on_trap, 0, 0);
    uint64_t r10;
    __asm__ volatile("li 10,0x123\n\ttrap\n\tmr %0,10" : "=r"(r10) : : "r10");
    tp_printf("after trap: r10=%llx code_ok=%d (TRAP_BRKPT=%d)\n", (unsigned long long)r10, last_code == TRAP_BRKPT,
              TRAP_BRKPT);
    TP_CHECK(r10 == 0x1123, "trap handler's r10 edit lands");
    __asm__ volatile("li 10,0x77\n\t.long 0\n\tmr %0,10" : "=r"(r10) : : "r10");
    tp_printf("after illegal: r10=%llx code_ok=%d (ILL_ILLOPC=%d)\n", (unsigned long long)r10, last_code == ILL_ILLOPC,
              ILL_ILLOPC);
    TP_CHECK(r10 == 0x1077, "SIGILL handler's r10 edit lands");

    /* Volatile registers of every kind survive a handler that uses them. */
    double f1 = 3.25, f13 = -7.125, fo1, fo13;
    uint64_t ctr = 0xc7c7, ctr_out, xer_out, lr_out;
    uint32_t cr_out;
    __asm__ volatile("fmr 1,%[f1]\n\tfmr 13,%[f13]\n\tmtctr %[ctr]\n\t"
                     "li 0,-1\n\taddic 0,0,1\n\t"      /* sets XER[CA] */
                     "crset 4*2+2\n\tcrclr 4*5+1\n\t" /* cr2.eq = 1, cr5.gt = 0 */
                     "bl 1f\n1:\n\t"                  /* LR = address of label 1 */
                     "li 10,1\n\ttrap\n\t"
                     "fmr %[fo1],1\n\tfmr %[fo13],13\n\tmfctr %[ctro]\n\tmfxer %[xero]\n\tmfcr %[cro]\n\tmflr %[lro]"
                     : [fo1] "=d"(fo1), [fo13] "=d"(fo13), [ctro] "=r"(ctr_out), [xero] "=r"(xer_out),
                       [cro] "=r"(cr_out), [lro] "=r"(lr_out)
                     : [f1] "d"(f1), [f13] "d"(f13), [ctr] "r"(ctr)
                     : "r0", "r10", "fr1", "fr13", "ctr", "lr", "xer", "cr2", "cr5");
    tp_printf("after handler: f1=%g f13=%g ctr=%llx xer.ca=%d cr2.eq=%d cr5.gt=%d lr_kept=%d\n", fo1, fo13,
              (unsigned long long)ctr_out, (int)((xer_out >> 29) & 1), (int)((cr_out >> 21) & 1),
              (int)((cr_out >> 9) & 1), lr_out != 0);
    TP_CHECK(fo1 == 3.25 && fo13 == -7.125 && ctr_out == 0xc7c7 && ((xer_out >> 29) & 1), "volatile registers kept");
    /* A vector register, through memory so that builds without -maltivec
     * run the same instructions. */
    static uint32_t vin[4] __attribute__((aligned(16))) = {0xdead, 0xbeef, 0xcafe, 0xf00d};
    static uint32_t vout[4] __attribute__((aligned(16)));
    __asm__ volatile(".machine push\n.machine power8\n"
                     "lvx 2,0,%0\n\tli 10,2\n\ttrap\n\tstvx 2,0,%1\n"
                     ".machine pop"
                     : : "r"(vin), "r"(vout) : "r10", "memory" VR2_CLOBBER);
    tp_printf("v2 after handler: %x %x %x %x\n", vout[0], vout[1], vout[2], vout[3]);
    TP_CHECK(memcmp(vin, vout, sizeof vin) == 0, "VR kept");
}

static char altstack[64 * 1024] __attribute__((aligned(16)));
static volatile int on_alt, alt_flag;
static void on_alt_handler(int sig, siginfo_t *si, void *uc)
{
    (void)si;
    (void)uc;
    char here;
    on_alt = &here >= altstack && &here < altstack + sizeof altstack;
    stack_t st;
    sigaltstack(NULL, &st);
    alt_flag = (st.ss_flags & SS_ONSTACK) != 0;
    if (sig == SIGSEGV)
        siglongjmp(fault_env, 2);
}

static volatile int depth;
#pragma GCC diagnostic ignored "-Winfinite-recursion" /* running out of stack is the point */
__attribute__((noinline)) static int recurse(int n)
{
    volatile char pad[512];
    pad[0] = (char)n;
    depth = n;
    return recurse(n + 1) + pad[0];
}

static void alt_stack(void)
{
    tp_printf("-- sigaltstack\n");
    stack_t ss = {.ss_sp = altstack, .ss_size = sizeof altstack, .ss_flags = 0}, old;
    TP_CHECK(sigaltstack(&ss, &old) == 0, "sigaltstack");
    tp_printf("previous altstack disabled=%d\n", (old.ss_flags & SS_DISABLE) != 0);
    install(SIGUSR1, on_alt_handler, SA_ONSTACK, 0);
    raise(SIGUSR1);
    tp_printf("SA_ONSTACK handler ran on altstack=%d SS_ONSTACK=%d\n", on_alt, alt_flag);
    install(SIGUSR2, on_alt_handler, 0, 0);
    raise(SIGUSR2);
    tp_printf("plain handler ran on altstack=%d\n", on_alt);

    /* Run off the end of the stack: only a handler on the alternate stack
     * can catch that. */
    install(SIGSEGV, on_alt_handler, SA_ONSTACK, 0);
    on_alt = 0;
    if (sigsetjmp(fault_env, 1) == 0)
        recurse(0);
    tp_printf("stack overflow caught on altstack=%d (deep=%d)\n", on_alt, depth > 1000);
    ss.ss_flags = SS_DISABLE;
    sigaltstack(&ss, NULL);
}

int main(void)
{
    basic_delivery();
    masks();
    handler_masks();
    faults();
    context_edit();
    alt_stack();
    return tp_finish("signals");
}
