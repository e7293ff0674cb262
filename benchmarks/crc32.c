/*
 * CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320) over 256 MiB: a
 * 4 MiB generated buffer checksummed 64 times, one word of it changed
 * between passes. Byte-at-a-time table lookups: loads, shifts and xors.
 * Checks the table against the "123456789" test vector (0xCBF43926).
 */
#include <stdlib.h>
#include <string.h>

#include "bench.h"

#define BUF (4u << 20)
#define PASSES 64

static uint32_t table[256];

static void make_table(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        table[i] = c;
    }
}

static uint32_t crc32(uint32_t crc, const unsigned char *p, size_t n)
{
    crc = ~crc;
    while (n--)
        crc = table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
    return ~crc;
}

int main(void)
{
    make_table();
    if (crc32(0, (const unsigned char *)"123456789", 9) != 0xCBF43926u) {
        fprintf(stderr, "crc32: wrong check value\n");
        return 1;
    }
    unsigned char *buf = malloc(BUF);
    uint64_t seed = 0xc0ffee0011223344ULL;
    for (unsigned i = 0; i < BUF; i++)
        buf[i] = (unsigned char)(bench_rand(&seed) >> 56);
    uint32_t crc = 0, c = 0;
    uint64_t all = 0;
    for (int pass = 0; pass < PASSES; pass++) {
        buf[(pass * 65537u) % BUF] ^= (unsigned char)(pass + 1);
        c = crc32(0, buf, BUF);
        crc = crc32(crc, buf, 4096); /* a running CRC too */
        all = all * 0x9E3779B97F4A7C15ULL + c;
    }
    printf("crc32 of %u MiB: last pass %08x running %08x\n", (unsigned)((uint64_t)BUF * PASSES >> 20),
           c, crc);
    bench_result("crc32", all ^ crc);
    free(buf);
    return 0;
}
