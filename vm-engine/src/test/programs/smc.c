/*
 * Code that changes while the program runs, in every way a Linux process
 * can change it: stores into an executable buffer followed by the ISA's
 * sequence (dcbst, sync, icbi, isync; Book II 1.9.2 "instruction storage"),
 * a function that patches an instruction further down its own body, read()
 * and pread() of code from a file into an executable mapping, mmap of a file
 * over code that already ran, munmap and a fresh mapping at the same
 * address, mprotect taking PROT_EXEC away (SIGSEGV) and giving it back, and
 * madvise(MADV_DONTNEED) turning the code into zeros (SIGILL).
 * Each variant is called several times, so an emulator that caches
 * translations must notice every change.
 *
 * The code snippets are assembled by the compiler (top-level asm below), so
 * their words are right for either byte order; only immediates are patched.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#include "tp.h"

/* r3 = r3 * 7 + IMM (IMM patched into the addi), then return. */
extern const uint32_t scale_add[], scale_add_end[];
/* Stores r4 over the "li r3,1" below, makes the change visible, then runs it. */
extern const uint32_t self_patch[], self_patch_end[];
/* r3 = IMM: the code read from files. */
extern const uint32_t load_imm[], load_imm_end[];
__asm__(".section .rodata\n"
        ".balign 4\n"
        "scale_add:\n"
        "  mulli 3,3,7\n"
        "  addi 3,3,0\n"
        "  blr\n"
        "scale_add_end:\n"
        "self_patch:\n"
        "  stw 4,24(3)\n"
        "  addi 5,3,24\n"
        "  dcbst 0,5\n"
        "  sync\n"
        "  icbi 0,5\n"
        "  isync\n"
        "  li 3,1\n"
        "  blr\n"
        "self_patch_end:\n"
        "load_imm:\n"
        "  li 3,0\n"
        "  blr\n"
        "load_imm_end:\n"
        ".previous\n");

#define CODE_SIZE 65536

typedef long (*code_fn)(long, long);

/* Calls the code at p with (a, b); on ELFv1 through a function descriptor. */
static long call(void *p, long a, long b)
{
#if defined(_CALL_ELF) && _CALL_ELF == 2
    code_fn f = (code_fn)p;
#else
    static struct { void *entry, *toc, *env; } desc;
    desc.entry = p;
    desc.toc = 0;
    desc.env = 0;
    code_fn f = (code_fn)(void *)&desc;
#endif
    return f(a, b);
}

/* What the ISA asks of a program that stored instructions (Book II 1.9.2). */
static void make_executable(void *p, size_t n)
{
    uintptr_t start = (uintptr_t)p & ~(uintptr_t)127, end = (uintptr_t)p + n;
    for (uintptr_t a = start; a < end; a += 128)
        __asm__ volatile("dcbst 0,%0" : : "r"(a) : "memory");
    __asm__ volatile("sync" : : : "memory");
    for (uintptr_t a = start; a < end; a += 128)
        __asm__ volatile("icbi 0,%0" : : "r"(a) : "memory");
    __asm__ volatile("isync" : : : "memory");
}

static size_t words(const uint32_t *from, const uint32_t *to) { return (size_t)(to - from); }

/* An instruction word with its 16-bit immediate field replaced. */
static uint32_t with_imm(uint32_t w, int imm) { return (w & 0xffff0000u) | ((uint32_t)imm & 0xffffu); }

static uint32_t *map_code(void *at)
{
    void *p = mmap(at, CODE_SIZE, PROT_READ | PROT_WRITE | PROT_EXEC,
                   MAP_PRIVATE | MAP_ANONYMOUS | (at ? MAP_FIXED : 0), -1, 0);
    if (p == MAP_FAILED) {
        perror("mmap");
        exit(2);
    }
    return p;
}

/* A JIT: rewrite the function, call it a few times, rewrite it again. */
static void jit_loop(void)
{
    tp_printf("-- stores, then dcbst/sync/icbi/isync\n");
    uint32_t *code = map_code(NULL);
    size_t n = words(scale_add, scale_add_end);
    uint64_t sum = 0;
    int wrong = 0;
    for (int i = 0; i < 3000; i++) {
        int imm = (int)(tp_rand() % 20000) - 10000;
        memcpy(code, scale_add, n * 4);
        code[1] = with_imm(scale_add[1], imm);
        make_executable(code, n * 4);
        for (long x = 0; x < 4; x++) {
            long r = call(code, x, 0);
            wrong += r != x * 7 + imm;
            sum = sum * 31 + (uint64_t)r;
        }
    }
    tp_printf("3000 rewrites x 4 calls: %d wrong, sum %016llx\n", wrong, (unsigned long long)sum);
    TP_CHECK(wrong == 0, "jit loop results");
    /* The same address, a different function of the same length: only the code changed. */
    memcpy(code, load_imm, words(load_imm, load_imm_end) * 4);
    code[0] = with_imm(load_imm[0], 4321);
    make_executable(code, 8);
    tp_printf("replaced in place: %ld\n", call(code, 5, 0));
    munmap(code, CODE_SIZE);
}

/* A function that stores into its own body, ahead of the instruction running. */
static void self_patching(void)
{
    tp_printf("-- a function patching itself\n");
    uint32_t *code = map_code(NULL);
    memcpy(code, self_patch, words(self_patch, self_patch_end) * 4);
    make_executable(code, words(self_patch, self_patch_end) * 4);
    uint32_t li = self_patch[6];
    for (int v = 2; v <= 6; v++) {
        long r = call(code, (long)(uintptr_t)code, (long)with_imm(li, v));
        tp_printf("patched to li r3,%d: returned %ld\n", v, r);
        TP_CHECK(r == v, "self patch %d", v);
    }
    munmap(code, CODE_SIZE);
}

static char dir[512];

/* A file holding two load_imm functions, returning a and b, 64 KiB apart. */
static int code_file(const char *name, int a, int b)
{
    char path[600];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    if (fd < 0) {
        perror("open");
        exit(2);
    }
    unlink(path);
    uint32_t fn[2] = {with_imm(load_imm[0], a), load_imm[1]};
    uint32_t fn2[2] = {with_imm(load_imm[0], b), load_imm[1]};
    if (pwrite(fd, fn, sizeof fn, 0) != sizeof fn || pwrite(fd, fn2, sizeof fn2, CODE_SIZE) != sizeof fn2) {
        perror("pwrite");
        exit(2);
    }
    return fd;
}

static sigjmp_buf escape;
static volatile int caught;

static void on_fault(int sig)
{
    caught = sig;
    siglongjmp(escape, 1);
}

/* Calls code that may fault; returns the result, or -signal. */
static long guarded_call(void *p)
{
    caught = 0;
    if (sigsetjmp(escape, 1))
        return -caught;
    return call(p, 0, 0);
}

static void host_writes(void)
{
    tp_printf("-- the kernel writing code: read, pread, mmap, munmap, mprotect\n");
    signal(SIGSEGV, on_fault);
    signal(SIGILL, on_fault);
    int fd = code_file("code-a", 111, 222);
    uint32_t *code = map_code(NULL);
    for (int round = 0; round < 3; round++) {
        TP_CHECK(lseek(fd, 0, SEEK_SET) == 0, "lseek");
        TP_CHECK(read(fd, code, 8) == 8, "read");
        long a = call(code, 0, 0);
        TP_CHECK(pread(fd, code, 8, CODE_SIZE) == 8, "pread");
        long b = call(code, 0, 0);
        tp_printf("round %d: read() code returns %ld, pread() code returns %ld\n", round, a, b);
    }

    /* mmap of a file over code that ran: the file's code runs. */
    int fd2 = code_file("code-b", 333, 444);
    void *over = mmap(code, CODE_SIZE, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_FIXED, fd2, 0);
    TP_CHECK(over == code, "mmap over code");
    tp_printf("file mapped over the code: %ld\n", call(code, 0, 0));
    over = mmap(code, CODE_SIZE, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_FIXED, fd, 0);
    tp_printf("another file mapped there: %ld\n", call(code, 0, 0));

    /* munmap, then fresh memory at the same address: the new bytes run. */
    TP_CHECK(munmap(code, CODE_SIZE) == 0, "munmap");
    code = map_code(code);
    memcpy(code, load_imm, 8);
    code[0] = with_imm(load_imm[0], 555);
    make_executable(code, 8);
    tp_printf("remapped at the same address: %ld\n", call(code, 0, 0));

    /* No PROT_EXEC: the call faults, even though the code ran before. */
    TP_CHECK(mprotect(code, CODE_SIZE, PROT_READ | PROT_WRITE) == 0, "mprotect rw");
    tp_printf("without PROT_EXEC: %ld (minus the signal)\n", guarded_call(code));
    TP_CHECK(mprotect(code, CODE_SIZE, PROT_READ | PROT_EXEC) == 0, "mprotect rx");
    tp_printf("PROT_EXEC again: %ld\n", guarded_call(code));

    /* MADV_DONTNEED on private anonymous memory: the pages read back as zeros, an illegal word. */
    TP_CHECK(mprotect(code, CODE_SIZE, PROT_READ | PROT_WRITE | PROT_EXEC) == 0, "mprotect rwx");
    TP_CHECK(madvise(code, CODE_SIZE, MADV_DONTNEED) == 0, "madvise");
    tp_printf("after MADV_DONTNEED: %ld (minus the signal)\n", guarded_call(code));
    munmap(code, CODE_SIZE);
    close(fd);
    close(fd2);
}

int main(void)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/pvm-smc-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 2;
    }
    jit_loop();
    self_patching();
    host_writes();
    rmdir(dir);
    return tp_finish("smc");
}
