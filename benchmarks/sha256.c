/*
 * SHA-256 (FIPS 180-4) over 64 MiB of generated data, streamed in 1 MiB
 * chunks: 32-bit rotates, adds and logic in a long dependency chain.
 * Prints the digest (first 8 bytes as the checksum) and checks the
 * implementation against the "abc" test vector first.
 */
#include <stdlib.h>
#include <string.h>

#include "bench.h"

#define TOTAL (64u << 20)
#define CHUNK (1u << 20)

static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

struct sha256 { uint32_t h[8]; uint64_t len; unsigned char buf[64]; unsigned fill; };

static inline uint32_t ror(uint32_t x, unsigned n) { return (x >> n) | (x << (32 - n)); }

static void block(uint32_t h[8], const unsigned char *p)
{
    uint32_t w[64];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 | (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
    for (int i = 0; i < 64; i++) {
        uint32_t t1 = hh + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
        uint32_t t2 = (ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
        hh = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
    }
    h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
}

static void init(struct sha256 *s)
{
    static const uint32_t iv[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                   0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    memcpy(s->h, iv, sizeof iv);
    s->len = 0;
    s->fill = 0;
}

static void update(struct sha256 *s, const unsigned char *p, size_t n)
{
    s->len += n;
    if (s->fill) {
        while (n && s->fill < 64) { s->buf[s->fill++] = *p++; n--; }
        if (s->fill < 64)
            return;
        block(s->h, s->buf);
        s->fill = 0;
    }
    for (; n >= 64; n -= 64, p += 64)
        block(s->h, p);
    memcpy(s->buf, p, n);
    s->fill = (unsigned)n;
}

static void final(struct sha256 *s, unsigned char out[32])
{
    uint64_t bits = s->len * 8; /* captured before the padding adds to len */
    unsigned char pad[72] = {0x80};
    size_t padlen = (s->fill < 56 ? 56 : 120) - s->fill;
    for (int i = 0; i < 8; i++)
        pad[padlen + i] = (unsigned char)(bits >> (56 - 8 * i));
    update(s, pad, padlen + 8);
    for (int i = 0; i < 8; i++)
        for (int j = 0; j < 4; j++)
            out[4 * i + j] = (unsigned char)(s->h[i] >> (24 - 8 * j));
}

int main(void)
{
    struct sha256 s;
    unsigned char d[32];
    init(&s);
    update(&s, (const unsigned char *)"abc", 3);
    final(&s, d);
    static const unsigned char abc[4] = {0xba, 0x78, 0x16, 0xbf};
    if (memcmp(d, abc, 4) != 0) {
        fprintf(stderr, "sha256: wrong digest for \"abc\"\n");
        return 1;
    }

    unsigned char *buf = malloc(CHUNK);
    uint64_t seed = 0x5eed5eed12345678ULL;
    init(&s);
    for (unsigned done = 0; done < TOTAL; done += CHUNK) {
        for (unsigned i = 0; i < CHUNK; i += 8) {
            uint64_t r = bench_rand(&seed);
            /* bytes as numbers, not memory order, so both endians hash the same */
            for (int k = 0; k < 8; k++)
                buf[i + k] = (unsigned char)(r >> (8 * k));
        }
        update(&s, buf, CHUNK);
    }
    final(&s, d);
    printf("sha256 of %u MiB:", TOTAL >> 20);
    for (int i = 0; i < 32; i++)
        printf("%02x", d[i]);
    printf("\n");
    uint64_t c = 0;
    for (int i = 0; i < 8; i++)
        c = c << 8 | d[i];
    bench_result("sha256", c);
    free(buf);
    return 0;
}
