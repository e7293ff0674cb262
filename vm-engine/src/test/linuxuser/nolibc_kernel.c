/*
 * The Linux user-mode runner's own oracle program: no C library, no floating
 * point or vector code (built with -nostdlib -msoft-float -mno-altivec
 * -mno-vsx), so it runs on the fixed-point interpreter alone. It checks the
 * kernel interface a program sees: the entry stack (argc/argv/envp/auxv),
 * the system call convention, brk/mmap/munmap/mprotect/mremap, files and
 * pipes, time, uname, and signal delivery with the ppc64 rt_sigframe
 * (SA_SIGINFO handlers reading si_code/si_addr and editing NIP in the
 * ucontext, sigreturn through the kernel's trampoline, masks, pending
 * signals). Its stdout and exit status must equal qemu-ppc64le's/qemu-ppc64's.
 */
typedef unsigned long u64;

#define SYS_exit_group 234
#define SYS_write 4
#define SYS_read 3
#define SYS_openat 286
#define SYS_close 6
#define SYS_lseek 19
#define SYS_fstat 108
#define SYS_unlinkat 292
#define SYS_brk 45
#define SYS_mmap 90
#define SYS_munmap 91
#define SYS_mprotect 125
#define SYS_mremap 163
#define SYS_getpid 20
#define SYS_kill 37
#define SYS_rt_sigaction 173
#define SYS_rt_sigprocmask 174
#define SYS_rt_sigpending 175
#define SYS_uname 122
#define SYS_clock_gettime 246
#define SYS_getrandom 359
#define SYS_pipe2 317
#define SYS_getcwd 182
#define SYS_sigaltstack 185
#define SYS_poll 167
#define SYS_ppoll 281
#define SYS__newselect 142
#define SYS_pselect6 280

#define AT_FDCWD (-100)
#define SIGILL 4
#define SIGTRAP 5
#define SIGSEGV 11
#define SIGUSR1 10
#define SIGUSR2 12
#define SA_SIGINFO 4
#define SA_ONSTACK 0x08000000
#define SA_RESETHAND 0x80000000

#if _CALL_ELF == 2
__asm__(".text\n.globl _start\n.type _start,@function\n_start:\n"
        "  addis 2,12,.TOC.-_start@ha\n  addi 2,2,.TOC.-_start@l\n"
        "  mr 3,1\n  clrrdi 1,1,4\n  li 0,0\n  stdu 1,-128(1)\n  std 0,0(1)\n  bl cmain\n  nop\n  trap\n");
#else
__asm__(".section \".opd\",\"aw\"\n.p2align 3\n.globl _start\n_start:\n.quad ._start,.TOC.@tocbase,0\n"
        ".text\n._start:\n  mr 3,1\n  clrrdi 1,1,4\n  li 0,0\n  stdu 1,-128(1)\n  std 0,0(1)\n  bl cmain\n  nop\n  trap\n");
#endif

static long sys6(long n, long a, long b, long c, long d, long e, long f) {
    register long r0 __asm__("r0") = n;
    register long r3 __asm__("r3") = a;
    register long r4 __asm__("r4") = b;
    register long r5 __asm__("r5") = c;
    register long r6 __asm__("r6") = d;
    register long r7 __asm__("r7") = e;
    register long r8 __asm__("r8") = f;
    __asm__ volatile("sc\n\tbns+ 1f\n\tneg %1,%1\n1:"
                     : "+r"(r0), "+r"(r3), "+r"(r4), "+r"(r5), "+r"(r6), "+r"(r7), "+r"(r8)
                     :
                     : "r9", "r10", "r11", "r12", "cr0", "ctr", "xer", "memory");
    return r3;
}
#define sys0(n) sys6(n, 0, 0, 0, 0, 0, 0)
#define sys1(n, a) sys6(n, (long)(a), 0, 0, 0, 0, 0)
#define sys2(n, a, b) sys6(n, (long)(a), (long)(b), 0, 0, 0, 0)
#define sys3(n, a, b, c) sys6(n, (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define sys4(n, a, b, c, d) sys6(n, (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)

void *memset(void *d, int c, unsigned long n) {
    volatile unsigned char *p = d;
    while (n--) *p++ = (unsigned char)c;
    return d;
}
void *memcpy(void *d, const void *s, unsigned long n) {
    volatile unsigned char *p = d;
    const unsigned char *q = s;
    while (n--) *p++ = *q++;
    return d;
}

static unsigned long slen(const char *s) {
    unsigned long n = 0;
    while (s[n]) n++;
    return n;
}
static void puts_(const char *s) { sys3(SYS_write, 1, s, slen(s)); }
static void putnum(long v) {
    char buf[24];
    int i = 23;
    int neg = v < 0;
    unsigned long u = neg ? -(unsigned long)v : (unsigned long)v;
    buf[i] = 0;
    do { buf[--i] = '0' + u % 10; u /= 10; } while (u);
    if (neg) buf[--i] = '-';
    puts_(buf + i);
}
static void say(const char *label, long v) { puts_(label); putnum(v); puts_("\n"); }

static int failures;
static void check(int ok, const char *what) {
    if (!ok) { failures++; puts_("FAIL: "); puts_(what); puts_("\n"); }
}

struct k_sigaction { u64 handler, flags, restorer, mask; };
struct siginfo_ { int signo, errno_, code, pad; u64 addr; };

/* ucontext: uc_mcontext at 168, gp_regs at +64 (asm/ucontext.h, asm/sigcontext.h); NIP is gp_regs[32]. */
static u64 *gp_regs(void *uc) { return (u64 *)((char *)uc + 168 + 64); }

static volatile int last_sig, last_code, handled;
static volatile u64 last_addr;
static char *volatile ro_page;

static void info_handler(int sig, struct siginfo_ *si, void *uc) {
    last_sig = sig;
    last_code = si->code;
    last_addr = si->addr;
    handled++;
    if (sig == SIGSEGV && (char *)si->addr == ro_page) {
        /* make the page writable, so the store is retried and succeeds */
        sys3(SYS_mprotect, ro_page, 65536, 3);
    } else if (sig != SIGUSR1 && sig != SIGUSR2) {
        gp_regs(uc)[32] += 4; /* skip the faulting instruction */
    }
}

static volatile int plain_sig;
static void plain_handler(int sig) { plain_sig = sig; }

static void on(int sig, void *handler, u64 flags, u64 mask) {
    struct k_sigaction a = {(u64)handler, flags, 0, mask};
    check(sys4(SYS_rt_sigaction, sig, &a, 0, 8) == 0, "rt_sigaction");
}

long cmain(long *sp) {
    long argc = sp[0];
    char **argv = (char **)(sp + 1);
    char **envp = argv + argc + 1;
    say("argc=", argc);
    for (long i = 1; i < argc; i++) { puts_("argv: ["); puts_(argv[i]); puts_("]\n"); }
    for (char **e = envp; *e; e++) {
        if (e[0][0] == 'P' && e[0][1] == 'V' && e[0][2] == 'M') { puts_("env: "); puts_(*e); puts_("\n"); }
    }
    char **e = envp;
    while (*e) e++;
    u64 *auxv = (u64 *)(e + 1);
    u64 pagesz = 0, hwcap = 0, random = 0, phnum = 0, entry = 0;
    for (u64 *a = auxv; a[0]; a += 2) {
        if (a[0] == 6) pagesz = a[1];
        if (a[0] == 16) hwcap = a[1];
        if (a[0] == 25) random = a[1];
        if (a[0] == 5) phnum = a[1];
        if (a[0] == 9) entry = a[1];
    }
    say("AT_PAGESZ=", pagesz);
    say("AT_HWCAP has PPC_FEATURE_64: ", (hwcap & 0x40000000) != 0);
    say("AT_RANDOM present: ", random != 0);
    say("AT_PHNUM > 0: ", phnum > 0);
    extern char _start[];
    say("AT_ENTRY is _start: ", entry == (u64)_start);
    say("stack 16-byte aligned: ", ((u64)sp & 15) == 0);

    /* the error convention */
    say("write(-1) = ", sys3(SYS_write, -1, "x", 1));
    say("unknown syscall 9999 = ", sys0(9999));

    /* brk */
    u64 b0 = sys1(SYS_brk, 0);
    u64 b1 = sys1(SYS_brk, b0 + 100000);
    say("brk grows: ", b1 == b0 + 100000);
    ((volatile char *)b0)[99999] = 7;
    say("brk memory usable: ", ((volatile char *)b0)[99999]);
    say("brk below start refused: ", sys1(SYS_brk, 4096) == (long)b1);

    /* mmap / mprotect / mremap / munmap */
    char *m = (char *)sys6(SYS_mmap, 0, 3 * 65536, 3, 0x22, -1, 0);
    say("mmap page-aligned: ", ((u64)m & 65535) == 0);
    say("mmap zero-filled: ", m[0] == 0 && m[3 * 65536 - 1] == 0);
    m[5] = 42;
    char *m2 = (char *)sys6(SYS_mremap, (long)m, 3 * 65536, 6 * 65536, 1, 0, 0);
    say("mremap keeps contents: ", m2[5]);
    say("munmap = ", sys2(SYS_munmap, m2, 6 * 65536));
    say("mmap EINVAL for length 0: ", sys6(SYS_mmap, 0, 0, 3, 0x22, -1, 0));
    say("mprotect unmapped = ", sys3(SYS_mprotect, m2, 65536, 1));

    /* signals: SIGSEGV on a read-only page (SEGV_ACCERR), handler fixes the protection */
    on(SIGSEGV, info_handler, SA_SIGINFO, 0);
    on(SIGTRAP, info_handler, SA_SIGINFO, 0);
    on(SIGILL, info_handler, SA_SIGINFO, 0);
    ro_page = (char *)sys6(SYS_mmap, 0, 65536, 1, 0x22, -1, 0);
    ((volatile char *)ro_page)[0] = 9;
    say("SIGSEGV on read-only page, si_code=", last_code);
    say("  si_addr is the page: ", last_addr == (u64)ro_page);
    say("  store retried after the handler: ", ((volatile char *)ro_page)[0]);
    /* SIGSEGV on an unmapped address (SEGV_MAPERR), handler skips the load */
    volatile long *bad = (volatile long *)0x5000;
    long v = *bad;
    (void)v;
    say("SIGSEGV unmapped, si_code=", last_code);
    say("  si_addr=", (long)last_addr);
    /* SIGTRAP from a trap instruction, SIGILL from word 0 */
    __asm__ volatile("trap");
    say("SIGTRAP si_code=", last_code);
    __asm__ volatile(".long 0");
    say("SIGILL si_code=", last_code);
    say("signals handled: ", handled);

    /* kill to self, plain handler, blocking and pending */
    on(SIGUSR1, plain_handler, 0, 0);
    sys2(SYS_kill, sys0(SYS_getpid), SIGUSR1);
    say("SIGUSR1 delivered after kill: ", plain_sig);
    plain_sig = 0;
    u64 set = 1UL << (SIGUSR1 - 1), old = 0, pend = 0;
    sys4(SYS_rt_sigprocmask, 0, &set, &old, 8);
    sys2(SYS_kill, sys0(SYS_getpid), SIGUSR1);
    say("blocked: not delivered: ", plain_sig == 0);
    sys2(SYS_rt_sigpending, &pend, 8);
    say("pending has SIGUSR1: ", (pend & set) != 0);
    sys4(SYS_rt_sigprocmask, 1, &set, 0, 8);
    say("delivered on unblock: ", plain_sig);
    on(SIGUSR2, info_handler, SA_SIGINFO | SA_RESETHAND, 0);
    sys2(SYS_kill, sys0(SYS_getpid), SIGUSR2);
    say("SA_SIGINFO kill si_code (SI_USER)=", last_code);
    struct k_sigaction now;
    sys4(SYS_rt_sigaction, SIGUSR2, 0, &now, 8);
    say("SA_RESETHAND restored SIG_DFL: ", now.handler == 0);
    /* an alternate stack */
    char *alt = (char *)sys6(SYS_mmap, 0, 65536, 3, 0x22, -1, 0);
    u64 ss[3] = {(u64)alt, 0, 65536};
    say("sigaltstack = ", sys2(SYS_sigaltstack, ss, 0));
    on(SIGTRAP, info_handler, SA_SIGINFO | SA_ONSTACK, 0);
    __asm__ volatile("trap");
    say("trap on the alternate stack handled: ", last_sig);

    /* files */
    char cwd[512];
    say("getcwd > 0: ", sys2(SYS_getcwd, cwd, sizeof cwd) > 0);
    char name[] = "/tmp/pvm-nolibc-XXXXXX";
    u64 r = 0;
    sys3(SYS_getrandom, &r, sizeof r, 0);
    for (int i = 0; i < 6; i++) { name[16 + i] = 'a' + r % 26; r /= 26; }
    long fd = sys4(SYS_openat, AT_FDCWD, name, 0102 | 0200, 0600); /* O_RDWR|O_CREAT|O_EXCL */
    say("open ok: ", fd >= 0);
    say("write = ", sys3(SYS_write, fd, "hello, file\n", 12));
    say("lseek = ", sys3(SYS_lseek, fd, 7, 0));
    char buf[32] = {0};
    say("read = ", sys3(SYS_read, fd, buf, sizeof buf));
    puts_(buf);
    u64 st[18];
    sys2(SYS_fstat, fd, st);
    say("fstat st_size=", (long)st[6]);
    say("fstat S_ISREG: ", ((unsigned int)(st[3] >> (_CALL_ELF == 2 ? 0 : 32)) & 0170000) == 0100000);
    sys1(SYS_close, fd);
    say("open O_EXCL again = ", sys4(SYS_openat, AT_FDCWD, name, 0102 | 0200, 0600));
    say("unlink = ", sys3(SYS_unlinkat, AT_FDCWD, name, 0));
    say("open missing = ", sys4(SYS_openat, AT_FDCWD, name, 0, 0));
    int p[2];
    say("pipe2 = ", sys2(SYS_pipe2, p, 0));
    sys3(SYS_write, p[1], "pipe!", 5);
    char pb[8] = {0};
    say("pipe read = ", sys3(SYS_read, p[0], pb, 8));
    puts_(pb);
    puts_("\n");

    /* poll, ppoll, select, pselect6 on pipes: readiness, hang-up, bad descriptors and arguments, timeouts */
    struct { int fd; short events, revents; } pf[4] = {
        {p[0], 1, 0x7f}, {p[1], 4, 0x7f}, {-1, 1, 0x7f}, {p[1] + 1, 1, 0x7f}};
    sys3(SYS_write, p[1], "x", 1);
    say("poll ready = ", sys3(SYS_poll, pf, 4, 0));
    say("poll revents in = ", pf[0].revents);
    say("poll revents out = ", pf[1].revents);
    say("poll revents negative fd = ", pf[2].revents);
    say("poll revents closed fd = ", pf[3].revents);
    sys3(SYS_read, p[0], pb, 8);
    say("poll drained = ", sys3(SYS_poll, pf, 1, 0));
    u64 t0[2], t1[2], wait[2] = {0, 30000000};
    sys2(SYS_clock_gettime, 1, t0);
    say("ppoll timeout = ", sys4(SYS_ppoll, pf, 1, wait, 0));
    sys2(SYS_clock_gettime, 1, t1);
    say("ppoll waited 30ms: ", (t1[0] - t0[0]) * 1000000000 + t1[1] - t0[1] >= 30000000);
    u64 badwait[2] = {0, 2000000000};
    say("ppoll bad timespec = ", sys4(SYS_ppoll, pf, 1, badwait, 0));
    say("poll bad address = ", sys3(SYS_poll, 8, 1, 0));
    say("poll nfds truncated to 32 bits = ", sys3(SYS_poll, pf, 1L << 40, 0));
    u64 rs = 1UL << p[0], ws = 1UL << p[1], tv[2] = {0, 0};
    say("select writable = ", sys6(SYS__newselect, p[1] + 1, (long)&rs, (long)&ws, 0, (long)tv, 0));
    say("select read set empty: ", rs == 0);
    say("select write set: ", ws == 1UL << p[1]);
    sys1(SYS_close, p[1]);
    pf[0].revents = 0;
    say("poll after close = ", sys3(SYS_poll, pf, 1, 0));
    say("poll revents hangup = ", pf[0].revents);
    rs = 1UL << p[0];
    say("pselect6 hangup = ", sys6(SYS_pselect6, p[0] + 1, (long)&rs, 0, 0, 0, 0));
    say("pselect6 read set: ", rs == 1UL << p[0]);
    rs = 1UL << p[1];
    say("pselect6 closed fd = ", sys6(SYS_pselect6, p[1] + 1, (long)&rs, 0, 0, (long)wait, 0));
    say("select bad set = ", sys6(SYS__newselect, p[0] + 1, 8, 0, 0, (long)tv, 0));
    sys1(SYS_close, p[0]);

    /* time, uname, getrandom */
    u64 ts[2] = {0, 0};
    say("clock_gettime = ", sys2(SYS_clock_gettime, 1, ts));
    say("monotonic nonzero: ", ts[0] != 0 || ts[1] != 0);
    char uts[6 * 65];
    sys1(SYS_uname, uts);
    puts_("uname: ");
    puts_(uts);
    puts_(" ");
    puts_(uts + 4 * 65);
    puts_("\n");
    char rnd[16];
    say("getrandom = ", sys3(SYS_getrandom, rnd, 16, 0));

    say("failures=", failures);
    sys1(SYS_exit_group, failures ? 1 : 3);
    return 0;
}
