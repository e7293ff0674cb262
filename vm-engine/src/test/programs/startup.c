/*
 * What a process gets from the loader and the kernel: argc/argv/envp, the
 * auxiliary vector (AT_PAGESZ, AT_RANDOM, AT_HWCAP/AT_HWCAP2, AT_PHDR/
 * AT_PHNUM/AT_ENTRY, AT_UID...), thread-local storage through r13, brk and
 * sbrk, mmap/munmap/mprotect/mremap (via malloc and realloc of large
 * blocks), uname, clocks, getrandom, isatty (an ioctl), atexit, and an exit
 * status passed through: 42 when every check holds, 1 otherwise.
 *
 * Run it with the arguments in startup.args and the environment
 * PVM_TEST=hello (run-qemu.sh does); it prints argv[0]'s base name only.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <stdint.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "tp.h"

/* Bits of AT_HWCAP / AT_HWCAP2 (asm/cputable.h). */
#define HWCAP_64 0x40000000u
#define HWCAP_ALTIVEC 0x10000000u
#define HWCAP_FPU 0x08000000u
#define HWCAP_VSX 0x00000080u
#define HWCAP2_ARCH_2_07 0x80000000u
#define HWCAP2_ARCH_3_00 0x00800000u

static __thread int tls_counter = 5;
static __thread char tls_buf[32];
extern char _start[];

static void at_exit_handler(void) { printf("atexit handler ran\n"); }

static void args_env(int argc, char **argv)
{
    tp_printf("-- arguments and environment\n");
    const char *base = strrchr(argv[0], '/');
    tp_printf("argc=%d argv[0] base=%s\n", argc, base ? base + 1 : argv[0]);
    for (int i = 1; i < argc; i++)
        tp_printf("argv[%d]=<%s>\n", i, argv[i]);
    TP_CHECK(argv[argc] == NULL, "argv is NULL-terminated");
    const char *t = getenv("PVM_TEST");
    tp_printf("PVM_TEST=%s\n", t ? t : "(unset)");
}

static void auxv(void)
{
    tp_printf("-- auxiliary vector\n");
    unsigned long pg = getauxval(AT_PAGESZ), hw = getauxval(AT_HWCAP), hw2 = getauxval(AT_HWCAP2);
    const unsigned char *rnd = (const unsigned char *)getauxval(AT_RANDOM);
    /* The page size differs (QEMU says 4 KiB, pvm 64 KiB): only its shape is printed. */
    tp_printf("pagesz is a power of two >= 4096: %d; sysconf agrees: %d\n", pg >= 4096 && (pg & (pg - 1)) == 0,
              (unsigned long)sysconf(_SC_PAGESIZE) == pg);
    tp_printf("hwcap: 64=%d altivec=%d fpu=%d vsx=%d; hwcap2: arch_2_07=%d arch_3_00=%d\n", !!(hw & HWCAP_64),
              !!(hw & HWCAP_ALTIVEC), !!(hw & HWCAP_FPU), !!(hw & HWCAP_VSX), !!(hw2 & HWCAP2_ARCH_2_07),
              !!(hw2 & HWCAP2_ARCH_3_00));
    int nonzero = 0;
    for (int i = 0; rnd && i < 16; i++)
        nonzero |= rnd[i];
    tp_printf("AT_RANDOM present=%d nonzero=%d\n", rnd != NULL, nonzero != 0);
    const Elf64_Phdr *ph = (const Elf64_Phdr *)getauxval(AT_PHDR);
    unsigned long phnum = getauxval(AT_PHNUM);
    int loads = 0;
    for (unsigned long i = 0; ph && i < phnum; i++)
        loads += ph[i].p_type == PT_LOAD;
    unsigned long entry = getauxval(AT_ENTRY);
#if defined(_CALL_ELF) && _CALL_ELF == 2
    int entry_ok = entry == (unsigned long)_start;
#else
    /* ELFv1: e_entry (and AT_ENTRY) is the address of _start's descriptor. */
    int entry_ok = entry == (unsigned long)_start || *(unsigned long *)entry != 0;
#endif
    tp_printf("AT_PHDR has PT_LOAD segments: %d; AT_PHENT=%lu; AT_ENTRY matches _start: %d\n", loads > 0,
              getauxval(AT_PHENT), entry_ok);
    tp_printf("AT_UID matches getuid: %d; AT_EGID matches getegid: %d; AT_SECURE=%lu\n", getauxval(AT_UID) == getuid(),
              getauxval(AT_EGID) == getegid(), getauxval(AT_SECURE));
    TP_CHECK(rnd != NULL && nonzero && (hw & HWCAP_64) && loads > 0 && entry_ok, "auxv contents");
}

static void tls(void)
{
    tp_printf("-- thread-local storage\n");
    tls_counter += 37;
    snprintf(tls_buf, sizeof tls_buf, "tls=%d", tls_counter);
    uintptr_t tp;
    __asm__("mr %0,13" : "=r"(tp));
    tp_printf("%s; r13 points near the TLS block: %d\n", tls_buf,
              (uintptr_t)&tls_counter - tp + 0x10000 < 0x20000);
    TP_CHECK(tls_counter == 42, "TLS initial value");
}

static void memory(void)
{
    tp_printf("-- brk, mmap, mprotect, mremap\n");
    char *b0 = sbrk(0);
    char *b1 = sbrk(1 << 20);
    char *b2 = sbrk(0);
    memset(b1, 0x5a, 1 << 20);
    sbrk(-(1 << 19));
    tp_printf("sbrk grew by 1 MiB: %d; shrink ok: %d\n", b1 == b0 && b2 - b1 == (1 << 20),
              (char *)sbrk(0) == b2 - (1 << 19));

    uint64_t h = 0;
    void *blocks[64];
    size_t sizes[64];
    for (int round = 0; round < 4; round++) {
        for (int i = 0; i < 64; i++) {
            sizes[i] = (size_t)(tp_rand() % (i < 8 ? 4 << 20 : 4096)) + 1; /* some above the mmap threshold */
            blocks[i] = malloc(sizes[i]);
            TP_CHECK(blocks[i] != NULL, "malloc");
            memset(blocks[i], i + round, sizes[i]);
        }
        for (int i = 0; i < 64; i += 2) {
            size_t ns = sizes[i] * 3 + 100;
            blocks[i] = realloc(blocks[i], ns); /* large ones go through mremap */
            unsigned char *p = blocks[i];
            h = h * 31 + p[0] + p[sizes[i] - 1];
            memset(p + sizes[i], 0x77, ns - sizes[i]);
            sizes[i] = ns;
        }
        for (int i = 0; i < 64; i++) {
            unsigned char *p = blocks[i];
            h = h * 31 + p[sizes[i] / 2] + p[sizes[i] - 1];
            free(blocks[i]);
        }
    }
    tp_printf("malloc/realloc/free hash=%016llx\n", (unsigned long long)h);

    long pg = sysconf(_SC_PAGESIZE);
    char *m = mmap(NULL, (size_t)pg * 8, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    int zero = 1;
    for (long i = 0; i < pg * 8; i++)
        zero &= m[i] == 0;
    memset(m, 1, (size_t)pg * 8);
    int r1 = mprotect(m + pg, (size_t)pg, PROT_READ);
    int r2 = munmap(m + 2 * pg, (size_t)pg);
    char *fixed = mmap(m + 2 * pg, (size_t)pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    tp_printf("anon mmap zeroed=%d mprotect=%d munmap=%d MAP_FIXED reuse=%d refault zero=%d\n", zero, r1, r2,
              fixed == m + 2 * pg, fixed[0] == 0 && fixed[pg - 1] == 0);
    munmap(m, (size_t)pg * 8);
    /* mremap works on one mapping (Linux refuses a range over several). */
    char *one = mmap(NULL, (size_t)pg * 4, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    memset(one, 3, (size_t)pg * 4);
    char *grown = mremap(one, (size_t)pg * 4, (size_t)pg * 32, MREMAP_MAYMOVE);
    tp_printf("mremap grew: %d kept data=%d new part zero=%d\n", grown != MAP_FAILED,
              grown != MAP_FAILED && grown[0] == 3 && grown[4 * pg - 1] == 3,
              grown != MAP_FAILED && grown[4 * pg] == 0 && grown[32 * pg - 1] == 0);
    if (grown != MAP_FAILED)
        munmap(grown, (size_t)pg * 32);
    void *bad = mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    tp_printf("mmap length 0 fails: %d\n", bad == MAP_FAILED);
}

static void system_info(void)
{
    tp_printf("-- uname, clocks, randomness, ttys\n");
    struct utsname u;
    uname(&u);
    tp_printf("sysname=%s machine=%s\n", u.sysname, u.machine);
    struct timespec m1, m2, rt;
    clock_gettime(CLOCK_MONOTONIC, &m1);
    volatile uint64_t spin = 0;
    for (int i = 0; i < 100000; i++)
        spin += (uint64_t)i;
    clock_gettime(CLOCK_MONOTONIC, &m2);
    clock_gettime(CLOCK_REALTIME, &rt);
    int mono = m2.tv_sec > m1.tv_sec || (m2.tv_sec == m1.tv_sec && m2.tv_nsec >= m1.tv_nsec);
    struct timespec res;
    clock_getres(CLOCK_MONOTONIC, &res);
    tp_printf("monotonic non-decreasing=%d realtime after 2020=%d time() agrees=%d res<=1ms=%d\n", mono,
              rt.tv_sec > 1577836800, labs((long)(time(NULL) - rt.tv_sec)) <= 2, res.tv_sec == 0 && res.tv_nsec <= 1000000);
    unsigned char r[32];
    ssize_t n = getrandom(r, sizeof r, 0);
    tp_printf("getrandom=%zd\n", n);
    tp_printf("isatty(stdin=/dev/null)=%d pid>0=%d\n", isatty(0), getpid() > 0);
    errno = 0;
    int closed = isatty(987); /* no such descriptor: EBADF, not ENOTTY */
    tp_printf("isatty(closed)=%d EBADF=%d\n", closed, errno == EBADF);
}

int main(int argc, char **argv)
{
    atexit(at_exit_handler);
    args_env(argc, argv);
    auxv();
    tls();
    memory();
    system_info();
    int rc = tp_finish("startup");
    return rc ? 1 : 42;
}
