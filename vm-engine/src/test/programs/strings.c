/*
 * glibc's string and memory functions at every alignment: memcpy, memmove
 * (both overlap directions), memset, memcmp, strlen/strnlen, strcmp/strncmp,
 * strchr/strrchr/memchr/memrchr/rawmemchr, strcpy/stpcpy/strncpy/strcat,
 * strstr/strspn/strcspn, for source and destination offsets 0..31 and
 * lengths 0..300. glibc picks POWER7/8/9-optimised versions of these at
 * start-up (ifunc on AT_HWCAP), full of unaligned vector loads, lvsl/vperm,
 * cmpb and count-leading-zeros tricks: exactly what an emulator gets wrong.
 *
 * Each result is checked against a plain byte loop, and scanning functions
 * are also run on strings that end at the last byte before an inaccessible
 * page, where an over-reading implementation would fault.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#include "tp.h"

/* Reference versions: byte loops the compiler must not turn into calls to
 * the very functions under test. */
#define REF __attribute__((noinline, noclone, optimize("no-tree-loop-distribute-patterns")))
REF static void ref_copy(unsigned char *d, const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        d[i] = s[i];
}
REF static size_t ref_strlen(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}
REF static int ref_cmp(const unsigned char *a, const unsigned char *b, size_t n, int stop_at_nul)
{
    for (size_t i = 0; i < n; i++) {
        if (a[i] != b[i])
            return a[i] < b[i] ? -1 : 1;
        if (stop_at_nul && a[i] == 0)
            return 0;
    }
    return 0;
}
static int sign(int v) { return (v > 0) - (v < 0); }

static const size_t lens[] = {0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 23, 24, 31, 32, 33, 47, 48, 63,
                              64, 65, 95, 127, 128, 129, 255, 256, 257, 300};
#define NLENS (sizeof lens / sizeof lens[0])
#define AREA 640

static unsigned char srcbuf[AREA] __attribute__((aligned(64)));
static unsigned char dstbuf[AREA] __attribute__((aligned(64)));
static unsigned char expbuf[AREA] __attribute__((aligned(64)));

struct tally { const char *name; unsigned calls, bad; uint64_t hash; };
static void account(struct tally *t, int ok, uint64_t v)
{
    t->calls++;
    if (!ok)
        t->bad++;
    t->hash = (t->hash ^ v) * 0x100000001b3ULL;
}
static void report(struct tally *t)
{
    tp_printf("%-10s calls=%u mismatches=%u hash=%016llx\n", t->name, t->calls, t->bad, (unsigned long long)t->hash);
    TP_CHECK(t->bad == 0, "%s disagrees with the byte-loop reference", t->name);
}

static uint64_t buf_hash(const unsigned char *p, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 0x100000001b3ULL;
    return h;
}

static void test_memcpy(void)
{
    struct tally t = {"memcpy", 0, 0, 0};
    for (size_t so = 0; so < 32; so++)
        for (size_t dof = 0; dof < 32; dof++)
            for (size_t li = 0; li < NLENS; li++) {
                size_t n = lens[li];
                memset(dstbuf, 0xee, AREA);
                memset(expbuf, 0xee, AREA);
                memcpy(dstbuf + 64 + dof, srcbuf + so, n);
                ref_copy(expbuf + 64 + dof, srcbuf + so, n);
                /* the copy plus 32 guard bytes either side */
                account(&t, ref_cmp(dstbuf + 32 + dof, expbuf + 32 + dof, n + 64, 0) == 0,
                        buf_hash(dstbuf + 64 + dof, n));
            }
    for (size_t off = 0; off < 32; off++)
        for (size_t n = 0; n <= 300; n++) {
            memset(dstbuf, 0xee, AREA);
            memset(expbuf, 0xee, AREA);
            size_t dof = (off * 7 + n) & 31;
            memcpy(dstbuf + 64 + dof, srcbuf + off, n);
            ref_copy(expbuf + 64 + dof, srcbuf + off, n);
            account(&t, ref_cmp(dstbuf + 32 + dof, expbuf + 32 + dof, n + 64, 0) == 0,
                    buf_hash(dstbuf + 64 + dof, n));
        }
    report(&t);
}

static void test_memmove(void)
{
    struct tally t = {"memmove", 0, 0, 0};
    static unsigned char tmp[AREA];
    for (size_t a = 0; a < 40; a++)
        for (size_t b = 0; b < 40; b++)
            for (size_t li = 0; li < NLENS; li++) {
                size_t n = lens[li];
                memcpy(dstbuf, srcbuf, AREA);
                memcpy(expbuf, srcbuf, AREA);
                memmove(dstbuf + 100 + b, dstbuf + 100 + a, n); /* overlaps when |a-b| < n */
                ref_copy(tmp, expbuf + 100 + a, n);
                ref_copy(expbuf + 100 + b, tmp, n);
                /* everything a move of n bytes between offsets 0..39 can touch, and 32 more each side */
                account(&t, ref_cmp(dstbuf + 68, expbuf + 68, n + 104, 0) == 0, buf_hash(dstbuf + 100, n + 40));
            }
    report(&t);
}

static void test_memset(void)
{
    struct tally t = {"memset", 0, 0, 0};
    for (size_t off = 0; off < 32; off++)
        for (size_t n = 0; n <= 300; n++) {
            int c = (n & 1) ? 0 : (int)(0xa5 ^ off);
            memset(dstbuf, 0xee, AREA);
            memset(dstbuf + 64 + off, c, n);
            int ok = 1;
            for (size_t i = 0; i < AREA; i++) {
                unsigned char want = (i >= 64 + off && i < 64 + off + n) ? (unsigned char)c : 0xee;
                ok &= dstbuf[i] == want;
            }
            account(&t, ok, buf_hash(dstbuf + 64, off + n));
        }
    /* bzero-like large clears (dcbz paths in glibc's memset for >= 128 bytes). */
    static unsigned char big[8192] __attribute__((aligned(128)));
    for (size_t off = 0; off < 130; off += 13) {
        memset(big, 0x5c, sizeof big);
        memset(big + off, 0, 4096 + off);
        int ok = 1;
        for (size_t i = 0; i < sizeof big; i++)
            ok &= big[i] == ((i >= off && i < 4096 + 2 * off) ? 0 : 0x5c);
        account(&t, ok, buf_hash(big, sizeof big));
    }
    report(&t);
}

static void test_cmp(void)
{
    struct tally tm = {"memcmp", 0, 0, 0}, ts = {"strcmp", 0, 0, 0}, tn = {"strncmp", 0, 0, 0};
    static unsigned char a[AREA], b[AREA];
    static const unsigned char diffs[][2] = {{'a', 'b'}, {'b', 'a'}, {0x7f, 0x80}, {0x80, 0x7f}, {0xff, 0x01}, {0, 'x'}};
    for (size_t oa = 0; oa < 32; oa += 3)
        for (size_t ob = 0; ob < 32; ob += 5)
            for (size_t li = 0; li < NLENS; li++) {
                size_t n = lens[li];
                for (size_t d = 0; d < sizeof diffs / sizeof diffs[0]; d++) {
                    size_t pos = n ? (n * 5 + d) % n : 0; /* position of the difference */
                    memset(a, 0, AREA);
                    memset(b, 0, AREA);
                    for (size_t i = 0; i < n; i++)
                        a[oa + i] = b[ob + i] = (unsigned char)('A' + (i * 7 + oa) % 50);
                    if (n) {
                        a[oa + pos] = diffs[d][0];
                        b[ob + pos] = diffs[d][1];
                    }
                    int rm = sign(memcmp(a + oa, b + ob, n));
                    account(&tm, rm == ref_cmp(a + oa, b + ob, n, 0), (uint64_t)(rm + 1));
                    int rs = sign(strcmp((char *)a + oa, (char *)b + ob));
                    account(&ts, rs == ref_cmp(a + oa, b + ob, n + 1, 1), (uint64_t)(rs + 1));
                    size_t lim = pos + (d & 1);
                    int rn = sign(strncmp((char *)a + oa, (char *)b + ob, lim));
                    account(&tn, rn == ref_cmp(a + oa, b + ob, lim, 1), (uint64_t)(rn + 1));
                }
            }
    report(&tm);
    report(&ts);
    report(&tn);
}

static void test_scan(void)
{
    struct tally tl = {"strlen", 0, 0, 0}, tc = {"strchr", 0, 0, 0}, tr = {"strrchr", 0, 0, 0};
    struct tally tmc = {"memchr", 0, 0, 0}, tmr = {"memrchr", 0, 0, 0}, traw = {"rawmemchr", 0, 0, 0};
    static char s[AREA];
    for (size_t off = 0; off < 32; off++)
        for (size_t n = 0; n <= 300; n++) {
            memset(s, 0x55, AREA);
            for (size_t i = 0; i < n; i++)
                s[off + i] = (char)(0x61 + (i * 13 + off) % 26);
            s[off + n] = 0;
            char *p = s + off;
            size_t l = strlen(p), nl = strnlen(p, n / 2);
            account(&tl, l == n && l == ref_strlen(p) && nl == n / 2, l);
            char c = n ? p[(n * 3) / 4] : 'q';
            char *f = strchr(p, c), *fr = strrchr(p, c);
            size_t first = 0, last = 0;
            int found = 0;
            for (size_t i = 0; i < n; i++)
                if (p[i] == c) {
                    if (!found)
                        first = i;
                    last = i;
                    found = 1;
                }
            account(&tc, found ? f == p + first : f == NULL, f ? (uint64_t)(f - p) : 999);
            account(&tr, found ? fr == p + last : fr == NULL, fr ? (uint64_t)(fr - p) : 999);
            char *nul = strchr(p, 0);
            account(&tc, nul == p + n, (uint64_t)(nul - p));
            void *m = memchr(p, c, n), *mr = memrchr(p, c, n);
            account(&tmc, found ? m == p + first : m == NULL, m ? (uint64_t)((char *)m - p) : 999);
            account(&tmr, found ? mr == p + last : mr == NULL, mr ? (uint64_t)((char *)mr - p) : 999);
            char *raw = rawmemchr(p, 0);
            account(&traw, raw == p + n, (uint64_t)(raw - p));
        }
    report(&tl);
    report(&tc);
    report(&tr);
    report(&tmc);
    report(&tmr);
    report(&traw);
}

/* Strings ending right before a PROT_NONE page: the optimised routines read
 * whole aligned blocks and must never touch the next page. */
static void test_page_edge(void)
{
    struct tally t = {"page-edge", 0, 0, 0};
    long pg = sysconf(_SC_PAGESIZE);
    unsigned char *map = mmap(NULL, (size_t)pg * 2, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    TP_CHECK(map != MAP_FAILED, "mmap");
    if (map == MAP_FAILED)
        return;
    TP_CHECK(mprotect(map + pg, (size_t)pg, PROT_NONE) == 0, "mprotect");
    unsigned char *end = map + pg;
    for (size_t n = 0; n <= 300; n++) {
        char *p = (char *)end - n - 1;
        memset(map, 'z', (size_t)pg);
        for (size_t i = 0; i < n; i++)
            p[i] = (char)('a' + i % 23);
        p[n] = 0;
        size_t l = strlen(p);
        char *c = strchr(p, 'y'), *r = strrchr(p, 'a');
        void *m = memchr(p, 0, n + 1);
        char *q = (char *)end - n; /* n bytes with no NUL, right up to the page end */
        void *m2 = memchr(q, '#', n);
        int cmp = strcmp(p, p);
        int ncmp = memcmp(q, q, n);
        size_t cs = strcspn(p, "#"), sp = strspn(p, "abcdefghijklmnopqrstuvw");
        char tmp[320];
        strcpy(tmp, p);
        int ok = l == n && c == NULL /* 'y' never occurs */ && m == p + n && m2 == NULL &&
                 cmp == 0 && ncmp == 0 && cs == n && sp == n && strcmp(tmp, p) == 0;
        if (r)
            ok &= (size_t)(r - p) == (n - 1) / 23 * 23;
        else
            ok &= n == 0;
        account(&t, ok, l + (uint64_t)cs * 7);
    }
    munmap(map, (size_t)pg * 2);
    report(&t);
}

static void test_copy_cat(void)
{
    struct tally t = {"strcpy+", 0, 0, 0};
    enum { CAREA = AREA + 64 }; /* stpcpy writes at 320 + 31 + 301 at most */
    static char s[CAREA], d[CAREA], e[CAREA];
    for (size_t so = 0; so < 32; so += 1)
        for (size_t dof = 0; dof < 32; dof += 7)
            for (size_t li = 0; li < NLENS; li++) {
                size_t n = lens[li];
                memset(s, 0, CAREA);
                for (size_t i = 0; i < n; i++)
                    s[so + i] = (char)('0' + (i + so) % 64);
                memset(d, 0x11, CAREA);
                memset(e, 0x11, CAREA);
                char *r1 = strcpy(d + dof, s + so);
                ref_copy((unsigned char *)e + dof, (unsigned char *)s + so, n + 1);
                char *r2 = stpcpy(d + 320 + dof, s + so);
                ref_copy((unsigned char *)e + 320 + dof, (unsigned char *)s + so, n + 1);
                int ok = r1 == d + dof && r2 == d + 320 + dof + n && memcmp(d, e, CAREA) == 0;
                /* strncpy pads with NULs up to the limit. */
                size_t lim = n / 2 + 20;
                memset(d, 0x11, CAREA);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wstringop-truncation" /* truncating is what is tested */
                strncpy(d + dof, s + so, lim);
#pragma GCC diagnostic pop
                for (size_t i = 0; i < lim; i++)
                    ok &= d[dof + i] == (i < n ? s[so + i] : 0);
                ok &= (unsigned char)d[dof + lim] == 0x11;
                /* strcat appends after an existing string. */
                strcpy(d + dof, "head-");
                strcat(d + dof, s + so);
                ok &= strlen(d + dof) == n + 5 && memcmp(d + dof + 5, s + so, n) == 0;
                account(&t, ok, buf_hash((unsigned char *)d, CAREA));
            }
    report(&t);

    struct tally ts = {"strstr", 0, 0, 0};
    static const char *const hay = "the quick brown fox jumps over the lazy dog; the quick brown cat naps";
    static const char *const needles[] = {"the", "quick brown c", "dog;", "naps", "", "foxes", "e l", "x", "aps!"};
    for (size_t off = 0; off < 8; off++) {
        memset(s, 0, CAREA);
        memcpy(s + off, hay, strlen(hay) + 1);
        for (size_t i = 0; i < sizeof needles / sizeof needles[0]; i++) {
            char *r = strstr(s + off, needles[i]);
            const char *want = strstr(hay, needles[i]);
            account(&ts, (r == NULL) == (want == NULL) && (!r || r - (s + off) == want - hay),
                    r ? (uint64_t)(r - (s + off)) : 999);
            tp_mix(strspn(s + off, "the quick") + 100 * strcspn(s + off, "xyz"));
        }
    }
    report(&ts);
}

int main(void)
{
    for (int i = 0; i < AREA; i++)
        srcbuf[i] = (unsigned char)(tp_rand() >> 56);
    test_memcpy();
    test_memmove();
    test_memset();
    test_cmp();
    test_scan();
    test_page_edge();
    test_copy_cat();
    return tp_finish("strings");
}
