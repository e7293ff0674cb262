package dev.pvm.engine.cpu.interp;

import static dev.pvm.engine.cpu.interp.VectorOperands.binary;

import dev.pvm.engine.cpu.isa.Field;

/**
 * The vector crypto facility (Power ISA v3.0B Book I 6.11): AES rounds (vcipher, vncipher and their last-round
 * forms, vsbox), the SHA-2 sigma functions (vshasigmaw/d) and the carry-less multiply-sums (vpmsumb/h/w/d).
 * The AES state is the register's 16 bytes in column order: byte k is row k%4 of column k/4 (FIPS-197 3.4).
 */
final class VectorCryptoOps {

    /**
     * The AES S-boxes, computed when an AES instruction first runs: every engine binds these semantics at start,
     * and the 65,000 GF(2^8) products cost a start-up 2-3 ms of interpreted bytecode.
     */
    private static final class Sboxes {
        static final int[] SBOX = new int[256];
        static final int[] INVERSE_SBOX = new int[256];

        static {
            // FIPS-197 5.1.1: the multiplicative inverse in GF(2^8) followed by the affine transformation.
            for (int x = 0; x < 256; x++) {
                int inverse = 0;
                for (int y = 1; y < 256 && x != 0; y++) {
                    if (gfMultiply(x, y) == 1) {
                        inverse = y;
                        break;
                    }
                }
                int s = inverse;
                for (int k = 1; k <= 4; k++) {
                    s ^= ((inverse << k) | (inverse >>> (8 - k))) & 0xff;
                }
                s ^= 0x63;
                SBOX[x] = s;
                INVERSE_SBOX[s] = x;
            }
        }
    }

    private VectorCryptoOps() {
    }

    static int gfMultiply(int a, int b) {
        int p = 0;
        for (int k = 0; k < 8; k++) {
            if ((b & 1) != 0) {
                p ^= a;
            }
            boolean high = (a & 0x80) != 0;
            a = (a << 1) & 0xff;
            if (high) {
                a ^= 0x1b;
            }
            b >>= 1;
        }
        return p;
    }

    static void bind(SemanticsBinder b) {
        binary(b, "VCIPHER",
                (s, x, key) -> xor(mixColumns(shiftRows(subBytes(bytes(x), Sboxes.SBOX), false), false), key));
        binary(b, "VCIPHERLAST", (s, x, key) -> xor(shiftRows(subBytes(bytes(x), Sboxes.SBOX), false), key));
        binary(b, "VNCIPHER", (s, x, key) -> {
            VectorRegister r = xor(subBytes(shiftRows(bytes(x), true), Sboxes.INVERSE_SBOX), key);
            return mixColumns(bytes(r), true);
        });
        binary(b, "VNCIPHERLAST", (s, x, key) -> xor(subBytes(shiftRows(bytes(x), true), Sboxes.INVERSE_SBOX), key));
        b.bind("VSBOX", row -> {
            Field t = row.field("vrt");
            Field ra = row.field("vra");
            return (s, i) -> vector(subBytes(bytes(VectorRegister.ofVsr(s, 32 + ra.raw(i))), Sboxes.SBOX))
                    .toVsr(s, 32 + t.raw(i));
        });
        bindSha(b);
        bindPolynomialMultiply(b);
    }

    private static int[] bytes(VectorRegister v) {
        int[] b = new int[16];
        for (int k = 0; k < 16; k++) {
            b[k] = v.byteAt(k);
        }
        return b;
    }

    private static VectorRegister vector(int[] b) {
        VectorRegister r = new VectorRegister();
        for (int k = 0; k < 16; k++) {
            r.set(8, k, b[k]);
        }
        return r;
    }

    private static int[] subBytes(int[] b, int[] box) {
        int[] r = new int[16];
        for (int k = 0; k < 16; k++) {
            r[k] = box[b[k]];
        }
        return r;
    }

    /** ShiftRows moves row r left by r columns; the inverse moves it right. */
    private static int[] shiftRows(int[] b, boolean inverse) {
        int[] r = new int[16];
        for (int col = 0; col < 4; col++) {
            for (int row = 0; row < 4; row++) {
                int from = inverse ? (col - row + 4) % 4 : (col + row) % 4;
                r[4 * col + row] = b[4 * from + row];
            }
        }
        return r;
    }

    private static VectorRegister mixColumns(int[] b, boolean inverse) {
        int[] m = inverse ? new int[] {14, 11, 13, 9} : new int[] {2, 3, 1, 1};
        int[] r = new int[16];
        for (int col = 0; col < 4; col++) {
            for (int row = 0; row < 4; row++) {
                int v = 0;
                for (int k = 0; k < 4; k++) {
                    v ^= gfMultiply(m[(k - row + 4) % 4], b[4 * col + k]);
                }
                r[4 * col + row] = v;
            }
        }
        return vector(r);
    }

    private static VectorRegister xor(int[] state, VectorRegister key) {
        VectorRegister r = vector(state);
        r.hi ^= key.hi;
        r.lo ^= key.lo;
        return r;
    }

    private static VectorRegister xor(VectorRegister state, VectorRegister key) {
        return new VectorRegister(state.hi ^ key.hi, state.lo ^ key.lo);
    }

    private static void bindSha(SemanticsBinder b) {
        // vshasigmaw/d (6.11.2): ST selects the lower-case (0) or upper-case (1) sigma of FIPS 180-4 4.1.2/4.1.3;
        // SIX bit i (bit 2i for doublewords) selects sigma0 (0) or sigma1 (1) for element i.
        for (String name : new String[] {"VSHASIGMAW", "VSHASIGMAD"}) {
            boolean words = name.endsWith("W");
            b.bind(name, row -> {
                Field t = row.field("vrt");
                Field ra = row.field("vra");
                Field st = row.field("st");
                Field six = row.field("six");
                return (s, i) -> {
                    VectorRegister x = VectorRegister.ofVsr(s, 32 + ra.raw(i));
                    boolean upper = st.raw(i) != 0;
                    int select = six.raw(i);
                    VectorRegister r = new VectorRegister();
                    if (words) {
                        for (int k = 0; k < 4; k++) {
                            int v = (int) x.get(32, k);
                            boolean one = ((select >>> (3 - k)) & 1) != 0;
                            int result = upper
                                    ? (one ? Integer.rotateRight(v, 6) ^ Integer.rotateRight(v, 11) ^ Integer.rotateRight(v, 25)
                                    : Integer.rotateRight(v, 2) ^ Integer.rotateRight(v, 13) ^ Integer.rotateRight(v, 22))
                                    : (one ? Integer.rotateRight(v, 17) ^ Integer.rotateRight(v, 19) ^ (v >>> 10)
                                    : Integer.rotateRight(v, 7) ^ Integer.rotateRight(v, 18) ^ (v >>> 3));
                            r.set(32, k, result & 0xFFFF_FFFFL);
                        }
                    } else {
                        for (int k = 0; k < 2; k++) {
                            long v = x.get(64, k);
                            boolean one = ((select >>> (3 - 2 * k)) & 1) != 0;
                            long result = upper
                                    ? (one ? Long.rotateRight(v, 14) ^ Long.rotateRight(v, 18) ^ Long.rotateRight(v, 41)
                                    : Long.rotateRight(v, 28) ^ Long.rotateRight(v, 34) ^ Long.rotateRight(v, 39))
                                    : (one ? Long.rotateRight(v, 19) ^ Long.rotateRight(v, 61) ^ (v >>> 6)
                                    : Long.rotateRight(v, 1) ^ Long.rotateRight(v, 8) ^ (v >>> 7));
                            r.set(64, k, result);
                        }
                    }
                    r.toVsr(s, 32 + t.raw(i));
                };
            });
        }
    }

    /** Carry-less product of two values of {@code bits} bits (at most 32), exact in 64 bits. */
    private static long clmul(long a, long b, int bits) {
        long p = 0;
        for (int k = 0; k < bits; k++) {
            if (((b >>> k) & 1) != 0) {
                p ^= a << k;
            }
        }
        return p;
    }

    private static void bindPolynomialMultiply(SemanticsBinder b) {
        // vpmsum[bhw]: each double-width result is the XOR of the carry-less products of an element pair.
        for (String size : new String[] {"B", "H", "W"}) {
            int bits = size.equals("B") ? 8 : size.equals("H") ? 16 : 32;
            binary(b, "VPMSUM" + size, (s, x, y) -> {
                VectorRegister r = new VectorRegister();
                for (int k = 0; k < 64 / bits; k++) {
                    long p = clmul(x.get(bits, 2 * k), y.get(bits, 2 * k), bits)
                            ^ clmul(x.get(bits, 2 * k + 1), y.get(bits, 2 * k + 1), bits);
                    r.set(2 * bits, k, p);
                }
                return r;
            });
        }
        binary(b, "VPMSUMD", (s, x, y) -> {
            long[] p = clmul64(x.hi, y.hi);
            long[] q = clmul64(x.lo, y.lo);
            return new VectorRegister(p[0] ^ q[0], p[1] ^ q[1]);
        });
    }

    /** The 128-bit carry-less product of two doublewords, {high, low}. */
    private static long[] clmul64(long a, long b) {
        long hi = 0;
        long lo = 0;
        for (int k = 0; k < 64; k++) {
            if (((b >>> k) & 1) != 0) {
                lo ^= a << k;
                hi ^= k == 0 ? 0 : a >>> (64 - k);
            }
        }
        return new long[] {hi, lo};
    }
}
