/*
 * String and memory work through the C library, the way text-processing
 * programs use it: build lines with snprintf, copy and move them with
 * memcpy/memmove at varying alignments, scan with strlen/strchr/memchr,
 * compare with strcmp/memcmp, split with strtok_r, and sort the words with
 * qsort(strcmp). glibc's optimised versions of these do the bulk of the work.
 */
#include <stdlib.h>
#include <string.h>

#include "bench.h"

#define ROUNDS 200
#define LINES 2000

static const char *const words[] = {
    "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliett",
    "kilo", "lima", "mike", "november", "oscar", "papa", "quebec", "romeo", "sierra", "tango",
    "uniform", "victor", "whiskey", "xray", "yankee", "zulu", "power", "pseries", "vector", "scalar",
};
#define NWORDS (sizeof words / sizeof words[0])

static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int main(void)
{
    uint64_t seed = 0xabcdef0123456789ULL, h = 0;
    static char text[LINES * 96], copy[LINES * 96 + 64];
    static char *toks[LINES * 12];
    for (int round = 0; round < ROUNDS; round++) {
        /* Build a text of LINES lines of words and numbers. */
        size_t len = 0;
        for (int l = 0; l < LINES; l++) {
            uint64_t r = bench_rand(&seed);
            len += (size_t)snprintf(text + len, sizeof text - len, "%s %s %s %llu %s\n", words[r % NWORDS],
                                    words[(r >> 8) % NWORDS], words[(r >> 16) % NWORDS],
                                    (unsigned long long)(r >> 40), words[(r >> 24) % NWORDS]);
        }
        /* Copies at every alignment, an overlapping move, searches. */
        for (int off = 0; off < 16; off++) {
            memcpy(copy + off, text, len + 1);
            h += (uint64_t)strlen(copy + off);
            memmove(copy + off + 3, copy + off, len / 2);
            h ^= (uint64_t)(memchr(copy + off, 'z', len) ? 1 : 0) << off;
            h += (uint64_t)(strchr(copy + off, '\n') - (copy + off));
            h += (uint64_t)(memcmp(copy + off + 3, text, len / 2) == 0);
        }
        /* Split into words and sort them. */
        int n = 0;
        char *save = NULL;
        memcpy(copy, text, len + 1);
        for (char *t = strtok_r(copy, " \n", &save); t; t = strtok_r(NULL, " \n", &save))
            toks[n++] = t;
        qsort(toks, (size_t)n, sizeof toks[0], cmp);
        int distinct = 1;
        for (int i = 1; i < n; i++)
            distinct += strcmp(toks[i - 1], toks[i]) != 0;
        h = h * 31 + (uint64_t)n * 1000 + (uint64_t)distinct + (uint64_t)(unsigned char)toks[n / 2][0];
        /* Upper-case a copy and count a substring. */
        for (size_t i = 0; i < len; i++)
            copy[i] = (text[i] >= 'a' && text[i] <= 'z') ? (char)(text[i] - 32) : text[i];
        int found = 0;
        for (const char *p = copy; (p = strstr(p, "PSERIES")) != NULL; p++)
            found++;
        h += (uint64_t)found;
    }
    printf("strmem: %d rounds of %d lines\n", ROUNDS, LINES);
    bench_result("strmem", h);
    return 0;
}
