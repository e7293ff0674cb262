/*
 * Loop-heavy guest code for the translator benchmark (TranslatorBenchmark), compiled freestanding with
 * powerpc64le-linux-gnu-gcc -O2: table-driven CRC-32 over a 64 KiB buffer and an insertion-sort/quicksort of
 * 4096 ints, forever. Results go to `result` so the compiler keeps the work.
 */
typedef unsigned int u32;
typedef unsigned long u64;

static u32 table[256];
static unsigned char buf[64 * 1024];
static int keys[4096];
volatile u64 result;

static void make_table(void)
{
    for (u32 i = 0; i < 256; i++) {
        u32 c = i;
        for (int k = 0; k < 8; k++)
            c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        table[i] = c;
    }
}

static u32 crc32(u32 crc, const unsigned char *p, u64 n)
{
    crc = ~crc;
    while (n--)
        crc = table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
    return ~crc;
}

static u64 next(u64 *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static void quicksort(int *a, long lo, long hi)
{
    while (lo < hi) {
        int p = a[(lo + hi) / 2];
        long i = lo, j = hi;
        while (i <= j) {
            while (a[i] < p)
                i++;
            while (a[j] > p)
                j--;
            if (i <= j) {
                int t = a[i];
                a[i] = a[j];
                a[j] = t;
                i++;
                j--;
            }
        }
        if (j - lo < hi - i) {
            quicksort(a, lo, j);
            lo = i;
        } else {
            quicksort(a, i, hi);
            hi = j;
        }
    }
}

int main(void)
{
    u64 seed = 0xc0ffee0011223344UL;
    make_table();
    for (u64 i = 0; i < sizeof buf; i++)
        buf[i] = (unsigned char)(next(&seed) >> 56);
    for (u64 pass = 0;; pass++) {
        buf[(pass * 65537u) % sizeof buf] ^= (unsigned char)(pass + 1);
        u64 r = crc32(0, buf, sizeof buf);
        for (int i = 0; i < 4096; i++)
            keys[i] = (int)next(&seed);
        quicksort(keys, 0, 4095);
        result = r ^ (u64)keys[100];
    }
}
