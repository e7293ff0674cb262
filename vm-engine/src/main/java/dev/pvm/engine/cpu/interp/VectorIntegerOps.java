package dev.pvm.engine.cpu.interp;

import static dev.pvm.engine.cpu.interp.VectorOperands.binary;
import static dev.pvm.engine.cpu.interp.VectorOperands.unary;

import dev.pvm.engine.cpu.CpuState;
import dev.pvm.engine.cpu.isa.Field;

/**
 * VMX integer instructions (Power ISA v3.0B Book I 6.9-6.11): modulo and saturating add/subtract (saturation sets
 * VSCR[SAT]), multiply, multiply-sum and sum-across, average, min/max, compare (record forms set CR6), rotate
 * and shift (per element and whole-register), pack/unpack, count and bit-gather instructions.
 */
final class VectorIntegerOps {

    /** VSCR[NJ] (bit 111 of the vector, word bit 15) and VSCR[SAT] (bit 127, word bit 31) (Book I 6.5). */
    static final int VSCR_NJ = 1 << 16;
    static final int VSCR_SAT = 1;
    static final int VSCR_MASK = VSCR_NJ | VSCR_SAT;

    private VectorIntegerOps() {
    }

    /** One element's result from the elements of A and B, both zero-extended to 64 bits. */
    @FunctionalInterface
    private interface ElementOp {
        long apply(CpuState s, long a, long b);
    }

    private static void elementwise(SemanticsBinder b, String name, int bits, ElementOp op) {
        binary(b, name, (s, x, y) -> {
            VectorRegister r = new VectorRegister();
            for (int k = 0; k < 128 / bits; k++) {
                r.set(bits, k, op.apply(s, x.get(bits, k), y.get(bits, k)));
            }
            return r;
        });
    }

    private static long signExtend(long v, int bits) {
        return (v << (64 - bits)) >> (64 - bits);
    }

    /** {@code v} clamped to [min, max]; clamping sets VSCR[SAT] (Book I 6.9: "saturate"). */
    static long saturate(CpuState s, long v, long min, long max) {
        if (v < min) {
            s.vscr |= VSCR_SAT;
            return min;
        }
        if (v > max) {
            s.vscr |= VSCR_SAT;
            return max;
        }
        return v;
    }

    static long saturateSigned(CpuState s, long v, int bits) {
        return saturate(s, v, -(1L << (bits - 1)), (1L << (bits - 1)) - 1);
    }

    static long saturateUnsigned(CpuState s, long v, int bits) {
        return saturate(s, v, 0, bits == 64 ? Long.MAX_VALUE : (1L << bits) - 1);
    }

    private static final String[] SIZES = {"B", "H", "W", "D"};

    private static int bits(String size) {
        return switch (size) {
            case "B" -> 8;
            case "H" -> 16;
            case "W" -> 32;
            default -> 64;
        };
    }

    static void bind(SemanticsBinder b) {
        bindAddSubtract(b);
        bindMultiply(b);
        bindMinMaxAverage(b);
        bindCompare(b);
        bindShifts(b);
        bindPack(b);
        bindCounts(b);
        bindPower8And9Extras(b);
    }

    /** Mask of bits mb..me of a {@code bits}-bit element, ISA bit numbering, wrapping when mb > me (Book I 3.3.14). */
    private static long mask(int mb, int me, int bits) {
        long all = bits == 64 ? -1L : (1L << bits) - 1;
        long fromMb = all >>> mb & all;
        long toMe = (all << (bits - 1 - me)) & all;
        return mb <= me ? fromMb & toMe : (fromMb | toMe) & all;
    }

    private static void bindPower8And9Extras(SemanticsBinder b) {
        for (String size : new String[] {"B", "H", "W"}) {
            int bits = bits(size);
            elementwise(b, "VABSDU" + size, bits, (s, x, y) -> Math.abs(x - y));
        }
        // vrlwnm/vrldnm: rotate, then AND with MASK(mb, me) taken from VRB; the -mi forms insert under the mask.
        for (String name : new String[] {"VRLWNM", "VRLDNM"}) {
            int bits = name.equals("VRLWNM") ? 32 : 64;
            elementwise(b, name, bits, (s, x, y) -> rotateMask(x, y, bits));
        }
        for (String name : new String[] {"VRLWMI", "VRLDMI"}) {
            int bits = name.equals("VRLWMI") ? 32 : 64;
            b.bind(name, row -> {
                Field t = row.field("vrt");
                Field ra = row.field("vra");
                Field rb = row.field("vrb");
                return (s, i) -> {
                    VectorRegister x = VectorRegister.ofVsr(s, 32 + ra.raw(i));
                    VectorRegister y = VectorRegister.ofVsr(s, 32 + rb.raw(i));
                    VectorRegister r = VectorRegister.ofVsr(s, 32 + t.raw(i));
                    for (int k = 0; k < 128 / bits; k++) {
                        long ctl = y.get(bits, k);
                        long m = mask(maskBegin(ctl, bits), maskEnd(ctl, bits), bits);
                        long rotated = rotate(x.get(bits, k), (int) (ctl & (bits - 1)), bits);
                        r.set(bits, k, (rotated & m) | (r.get(bits, k) & ~m));
                    }
                    r.toVsr(s, 32 + t.raw(i));
                };
            });
        }
        // vprtyb[wdq]: the parity of the least significant bits of the bytes of each element.
        for (String size : new String[] {"W", "D"}) {
            int bits = bits(size);
            elementwise1(b, "VPRTYB" + size, bits, v -> Long.bitCount(v & 0x0101_0101_0101_0101L) & 1);
        }
        unary(b, "VPRTYBQ", (s, x) -> new VectorRegister(0,
                Long.bitCount((x.hi ^ x.lo) & 0x0101_0101_0101_0101L) & 1));
        // vpermxor: byte i is A.byte[C.byte[i] high nibble] XOR B.byte[C.byte[i] low nibble].
        VectorOperands.ternary(b, "VPERMXOR", (s, x, y, c) -> {
            VectorRegister r = new VectorRegister();
            for (int k = 0; k < 16; k++) {
                int sel = c.byteAt(k);
                r.set(8, k, x.byteAt(sel >>> 4) ^ y.byteAt(sel & 15));
            }
            return r;
        });
        // Quadword add/subtract extended: the carry in is VRC bit 127; -cuq forms give the carry out.
        VectorOperands.ternary(b, "VADDEUQM", (s, x, y, c) -> addQuad(x, y.hi, y.lo, c.lo & 1, false));
        VectorOperands.ternary(b, "VADDECUQ", (s, x, y, c) -> addQuad(x, y.hi, y.lo, c.lo & 1, true));
        VectorOperands.ternary(b, "VSUBEUQM", (s, x, y, c) -> addQuad(x, ~y.hi, ~y.lo, c.lo & 1, false));
        VectorOperands.ternary(b, "VSUBECUQ", (s, x, y, c) -> addQuad(x, ~y.hi, ~y.lo, c.lo & 1, true));
        // vmhaddshs/vmhraddshs: the high half of the 32-bit product (rounded for -r-) plus C, saturated.
        for (String name : new String[] {"VMHADDSHS", "VMHRADDSHS"}) {
            long round = name.equals("VMHRADDSHS") ? 0x4000 : 0;
            VectorOperands.ternary(b, name, (s, x, y, c) -> {
                VectorRegister r = new VectorRegister();
                for (int k = 0; k < 8; k++) {
                    long p = ((x.getSigned(16, k) * y.getSigned(16, k) + round) >> 15) + c.getSigned(16, k);
                    r.set(16, k, saturateSigned(s, p, 16));
                }
                return r;
            });
        }
    }

    private static VectorRegister addQuad(VectorRegister x, long yHi, long yLo, long carryIn, boolean carryOut) {
        long lo = x.lo + yLo + carryIn;
        boolean carryLo = Long.compareUnsigned(lo, x.lo) < 0 || (carryIn == 1 && lo == x.lo);
        long hi = x.hi + yHi + (carryLo ? 1 : 0);
        boolean carry = Long.compareUnsigned(hi, x.hi) < 0 || (carryLo && hi == x.hi);
        return carryOut ? new VectorRegister(0, carry ? 1 : 0) : new VectorRegister(hi, lo);
    }

    private static long rotate(long v, int n, int bits) {
        long all = bits == 64 ? -1L : (1L << bits) - 1;
        return n == 0 ? v : ((v << n) | (v >>> (bits - n))) & all;
    }

    /** MB and ME of vrlwnm (word bits 11:15, 19:23) and vrldnm (doubleword bits 42:47, 50:55). */
    private static int maskBegin(long ctl, int bits) {
        return bits == 32 ? (int) (ctl >>> 16) & 31 : (int) (ctl >>> 16) & 63;
    }

    private static int maskEnd(long ctl, int bits) {
        return bits == 32 ? (int) (ctl >>> 8) & 31 : (int) (ctl >>> 8) & 63;
    }

    private static long rotateMask(long x, long ctl, int bits) {
        return rotate(x, (int) (ctl & (bits - 1)), bits) & mask(maskBegin(ctl, bits), maskEnd(ctl, bits), bits);
    }

    private static void bindAddSubtract(SemanticsBinder b) {
        for (String size : SIZES) {
            int bits = bits(size);
            elementwise(b, "VADDU" + size + "M", bits, (s, x, y) -> x + y);
            elementwise(b, "VSUBU" + size + "M", bits, (s, x, y) -> x - y);
            if (bits < 64) {
                elementwise(b, "VADDU" + size + "S", bits, (s, x, y) -> saturateUnsigned(s, x + y, bits));
                elementwise(b, "VSUBU" + size + "S", bits, (s, x, y) -> saturateUnsigned(s, x - y, bits));
                elementwise(b, "VADDS" + size + "S", bits,
                        (s, x, y) -> saturateSigned(s, signExtend(x, bits) + signExtend(y, bits), bits));
                elementwise(b, "VSUBS" + size + "S", bits,
                        (s, x, y) -> saturateSigned(s, signExtend(x, bits) - signExtend(y, bits), bits));
            }
        }
        // Carry out (vaddcuw) and "no borrow" (vsubcuw: 1 when A >= B unsigned) of each word (Book I 6.9.1).
        elementwise(b, "VADDCUW", 32, (s, x, y) -> (x + y) >>> 32);
        elementwise(b, "VSUBCUW", 32, (s, x, y) -> x >= y ? 1 : 0);
        binary(b, "VADDUQM", (s, x, y) -> {
            long lo = x.lo + y.lo;
            long carry = Long.compareUnsigned(lo, x.lo) < 0 ? 1 : 0;
            return new VectorRegister(x.hi + y.hi + carry, lo);
        });
        binary(b, "VSUBUQM", (s, x, y) -> {
            long lo = x.lo - y.lo;
            long borrow = Long.compareUnsigned(x.lo, y.lo) < 0 ? 1 : 0;
            return new VectorRegister(x.hi - y.hi - borrow, lo);
        });
        binary(b, "VADDCUQ", (s, x, y) -> {
            int c = Long.compareUnsigned(x.lo + y.lo, x.lo) < 0 ? 1 : 0;
            long hi = x.hi + y.hi + c;
            boolean carry = Long.compareUnsigned(hi, x.hi) < 0 || (c == 1 && hi == x.hi);
            return new VectorRegister(0, carry ? 1 : 0);
        });
        binary(b, "VSUBCUQ", (s, x, y) -> {
            int cmp = Long.compareUnsigned(x.hi, y.hi);
            boolean noBorrow = cmp > 0 || (cmp == 0 && Long.compareUnsigned(x.lo, y.lo) >= 0);
            return new VectorRegister(0, noBorrow ? 1 : 0);
        });
        // Sum across (Book I 6.9.1): vsum4* add the elements of each word of A to the word of B.
        binary(b, "VSUM4UBS", (s, x, y) -> sum4(s, x, y, 8, false));
        binary(b, "VSUM4SBS", (s, x, y) -> sum4(s, x, y, 8, true));
        binary(b, "VSUM4SHS", (s, x, y) -> sum4(s, x, y, 16, true));
        binary(b, "VSUM2SWS", (s, x, y) -> {
            VectorRegister r = new VectorRegister();
            for (int j = 0; j < 2; j++) {
                long sum = x.getSigned(32, 2 * j) + x.getSigned(32, 2 * j + 1) + y.getSigned(32, 2 * j + 1);
                r.set(32, 2 * j + 1, saturateSigned(s, sum, 32));
            }
            return r;
        });
        binary(b, "VSUMSWS", (s, x, y) -> {
            long sum = y.getSigned(32, 3);
            for (int k = 0; k < 4; k++) {
                sum += x.getSigned(32, k);
            }
            VectorRegister r = new VectorRegister();
            r.set(32, 3, saturateSigned(s, sum, 32));
            return r;
        });
    }

    private static VectorRegister sum4(CpuState s, VectorRegister x, VectorRegister y, int bits, boolean signed) {
        VectorRegister r = new VectorRegister();
        int per = 32 / bits;
        for (int j = 0; j < 4; j++) {
            long sum = signed ? y.getSigned(32, j) : y.get(32, j);
            for (int k = 0; k < per; k++) {
                sum += signed ? x.getSigned(bits, j * per + k) : x.get(bits, j * per + k);
            }
            r.set(32, j, signed ? saturateSigned(s, sum, 32) : saturateUnsigned(s, sum, 32));
        }
        return r;
    }

    private static void bindMultiply(SemanticsBinder b) {
        // vmule*/vmulo*: the even (0, 2, ...) or odd elements multiplied into double-width products.
        for (String size : new String[] {"B", "H", "W"}) {
            int bits = bits(size);
            for (boolean odd : new boolean[] {false, true}) {
                for (boolean signed : new boolean[] {false, true}) {
                    String name = "VMUL" + (odd ? "O" : "E") + (signed ? "S" : "U") + size;
                    binary(b, name, (s, x, y) -> {
                        VectorRegister r = new VectorRegister();
                        for (int k = 0; k < 64 / bits; k++) {
                            int e = 2 * k + (odd ? 1 : 0);
                            long p = signed ? x.getSigned(bits, e) * y.getSigned(bits, e) : x.get(bits, e) * y.get(bits, e);
                            r.set(2 * bits, k, p);
                        }
                        return r;
                    });
                }
            }
        }
        elementwise(b, "VMULUWM", 32, (s, x, y) -> x * y);
        VectorOperands.ternary(b, "VMLADDUHM", (s, x, y, c) -> {
            VectorRegister r = new VectorRegister();
            for (int k = 0; k < 8; k++) {
                r.set(16, k, x.get(16, k) * y.get(16, k) + c.get(16, k));
            }
            return r;
        });
        // Multiply-sum (Book I 6.9.1): each word of C plus the products of the elements of A and B in that word.
        VectorOperands.ternary(b, "VMSUMUBM", (s, x, y, c) -> msum(s, x, y, c, 8, false, false, false));
        VectorOperands.ternary(b, "VMSUMMBM", (s, x, y, c) -> msum(s, x, y, c, 8, true, false, false));
        VectorOperands.ternary(b, "VMSUMUHM", (s, x, y, c) -> msum(s, x, y, c, 16, false, false, false));
        VectorOperands.ternary(b, "VMSUMUHS", (s, x, y, c) -> msum(s, x, y, c, 16, false, false, true));
        VectorOperands.ternary(b, "VMSUMSHM", (s, x, y, c) -> msum(s, x, y, c, 16, true, true, false));
        VectorOperands.ternary(b, "VMSUMSHS", (s, x, y, c) -> msum(s, x, y, c, 16, true, true, true));
    }

    private static VectorRegister msum(CpuState s, VectorRegister x, VectorRegister y, VectorRegister c, int bits,
            boolean signedA, boolean signedB, boolean saturating) {
        VectorRegister r = new VectorRegister();
        int per = 32 / bits;
        for (int j = 0; j < 4; j++) {
            boolean signedSum = signedA && signedB;
            long sum = signedSum ? c.getSigned(32, j) : c.get(32, j);
            for (int k = 0; k < per; k++) {
                int e = j * per + k;
                long a = signedA ? x.getSigned(bits, e) : x.get(bits, e);
                long bb = signedB ? y.getSigned(bits, e) : y.get(bits, e);
                sum += a * bb;
            }
            if (saturating) {
                sum = signedSum ? saturateSigned(s, sum, 32) : saturateUnsigned(s, sum, 32);
            }
            r.set(32, j, sum);
        }
        return r;
    }

    private static void bindMinMaxAverage(SemanticsBinder b) {
        for (String size : SIZES) {
            int bits = bits(size);
            elementwise(b, "VMAXU" + size, bits, (s, x, y) -> Long.compareUnsigned(x, y) >= 0 ? x : y);
            elementwise(b, "VMINU" + size, bits, (s, x, y) -> Long.compareUnsigned(x, y) <= 0 ? x : y);
            elementwise(b, "VMAXS" + size, bits,
                    (s, x, y) -> signExtend(x, bits) >= signExtend(y, bits) ? x : y);
            elementwise(b, "VMINS" + size, bits,
                    (s, x, y) -> signExtend(x, bits) <= signExtend(y, bits) ? x : y);
            if (bits < 64) {
                elementwise(b, "VAVGU" + size, bits, (s, x, y) -> (x + y + 1) >>> 1);
                elementwise(b, "VAVGS" + size, bits, (s, x, y) -> (signExtend(x, bits) + signExtend(y, bits) + 1) >> 1);
            }
        }
    }

    private static void bindCompare(SemanticsBinder b) {
        for (String size : SIZES) {
            int bits = bits(size);
            compare(b, "VCMPEQU" + size, bits, (x, y) -> x == y);
            compare(b, "VCMPGTU" + size, bits, (x, y) -> Long.compareUnsigned(x, y) > 0);
            compare(b, "VCMPGTS" + size, bits, (x, y) -> signExtend(x, bits) > signExtend(y, bits));
            if (bits < 64) {
                compare(b, "VCMPNE" + size, bits, (x, y) -> x != y);
                compare(b, "VCMPNEZ" + size, bits, (x, y) -> x != y || x == 0 || y == 0);
            }
        }
    }

    @FunctionalInterface
    private interface Predicate {
        boolean test(long a, long b);
    }

    private static void compare(SemanticsBinder b, String name, int bits, Predicate p) {
        b.bind(name, row -> {
            Field t = row.field("vrt");
            Field ra = row.field("vra");
            Field rb = row.field("vrb");
            Field rc = row.field("rc");
            return (s, i) -> {
                VectorRegister x = VectorRegister.ofVsr(s, 32 + ra.raw(i));
                VectorRegister y = VectorRegister.ofVsr(s, 32 + rb.raw(i));
                VectorRegister r = new VectorRegister();
                for (int k = 0; k < 128 / bits; k++) {
                    r.set(bits, k, p.test(x.get(bits, k), y.get(bits, k)) ? -1L : 0);
                }
                r.toVsr(s, 32 + t.raw(i));
                if (rc.raw(i) != 0) {
                    VectorOperands.recordCr6(s, r);
                }
            };
        });
    }

    private static void bindShifts(SemanticsBinder b) {
        for (String size : SIZES) {
            int bits = bits(size);
            long mask = bits == 64 ? -1L : (1L << bits) - 1;
            elementwise(b, "VRL" + size, bits, (s, x, y) -> {
                int n = (int) (y & (bits - 1));
                return n == 0 ? x : ((x << n) | (x >>> (bits - n))) & mask;
            });
            elementwise(b, "VSL" + size, bits, (s, x, y) -> x << (y & (bits - 1)));
            elementwise(b, "VSR" + size, bits, (s, x, y) -> x >>> (y & (bits - 1)));
            elementwise(b, "VSRA" + size, bits, (s, x, y) -> signExtend(x, bits) >> (y & (bits - 1)));
        }
        // vsl/vsr: the whole register shifted by VRB bits 125:127; vslo/vsro by octets, VRB bits 121:124
        // (Book I 6.9.5; v3.0 takes the count from byte 15 only).
        binary(b, "VSL", (s, x, y) -> shiftLeft(x, (int) (y.lo & 7)));
        binary(b, "VSR", (s, x, y) -> shiftRight(x, (int) (y.lo & 7)));
        binary(b, "VSLO", (s, x, y) -> shiftLeft(x, (int) (y.lo & 0x78)));
        binary(b, "VSRO", (s, x, y) -> shiftRight(x, (int) (y.lo & 0x78)));
        // vslv/vsrv: each byte shifted by its own count, bits coming in from the neighbouring byte.
        binary(b, "VSLV", (s, x, y) -> {
            VectorRegister r = new VectorRegister();
            for (int k = 0; k < 16; k++) {
                int pair = x.byteAt(k) << 8 | (k < 15 ? x.byteAt(k + 1) : 0);
                r.set(8, k, (pair << (y.byteAt(k) & 7)) >>> 8);
            }
            return r;
        });
        binary(b, "VSRV", (s, x, y) -> {
            VectorRegister r = new VectorRegister();
            for (int k = 0; k < 16; k++) {
                int pair = (k > 0 ? x.byteAt(k - 1) : 0) << 8 | x.byteAt(k);
                r.set(8, k, pair >>> (y.byteAt(k) & 7));
            }
            return r;
        });
    }

    private static VectorRegister shiftLeft(VectorRegister x, int n) {
        if (n == 0) {
            return new VectorRegister(x.hi, x.lo);
        }
        if (n >= 64) {
            return new VectorRegister(x.lo << (n - 64), 0);
        }
        return new VectorRegister(x.hi << n | x.lo >>> (64 - n), x.lo << n);
    }

    private static VectorRegister shiftRight(VectorRegister x, int n) {
        if (n == 0) {
            return new VectorRegister(x.hi, x.lo);
        }
        if (n >= 64) {
            return new VectorRegister(0, x.hi >>> (n - 64));
        }
        return new VectorRegister(x.hi >>> n, x.lo >>> n | x.hi << (64 - n));
    }

    private static void bindPack(SemanticsBinder b) {
        // Pack (Book I 6.8.1): the elements of A then those of B, each narrowed to half its width.
        for (String size : new String[] {"H", "W", "D"}) {
            int bits = bits(size);
            int half = bits / 2;
            pack(b, "VPKU" + size + "UM", bits, (s, v) -> v);
            long max = (1L << half) - 1;
            pack(b, "VPKU" + size + "US", bits, (s, v) -> {
                if (Long.compareUnsigned(v, max) > 0) {
                    s.vscr |= VSCR_SAT;
                    return max;
                }
                return v;
            });
            pack(b, "VPKS" + size + "US", bits, (s, v) -> saturate(s, signExtend(v, bits), 0, (1L << half) - 1));
            pack(b, "VPKS" + size + "SS", bits, (s, v) -> saturateSigned(s, signExtend(v, bits), half));
        }
        for (String size : new String[] {"B", "H", "W"}) {
            int bits = bits(size);
            unpack(b, "VUPKHS" + size, bits, 0);
            unpack(b, "VUPKLS" + size, bits, 64 / bits);
        }
    }

    @FunctionalInterface
    private interface Narrow {
        long apply(CpuState s, long element);
    }

    private static void pack(SemanticsBinder b, String name, int bits, Narrow narrow) {
        binary(b, name, (s, x, y) -> {
            VectorRegister r = new VectorRegister();
            int n = 128 / bits;
            for (int k = 0; k < n; k++) {
                r.set(bits / 2, k, narrow.apply(s, x.get(bits, k)));
                r.set(bits / 2, n + k, narrow.apply(s, y.get(bits, k)));
            }
            return r;
        });
    }

    private static void unpack(SemanticsBinder b, String name, int bits, int first) {
        unary(b, name, (s, x) -> {
            VectorRegister r = new VectorRegister();
            for (int k = 0; k < 64 / bits; k++) {
                r.set(2 * bits, k, x.getSigned(bits, first + k));
            }
            return r;
        });
    }

    private static void bindCounts(SemanticsBinder b) {
        for (String size : SIZES) {
            int bits = bits(size);
            elementwise1(b, "VCLZ" + size, bits, v -> Long.numberOfLeadingZeros(v) - (64 - bits));
            elementwise1(b, "VCTZ" + size, bits, v -> v == 0 ? bits : Long.numberOfTrailingZeros(v));
            elementwise1(b, "VPOPCNT" + size, bits, Long::bitCount);
        }
        elementwise1(b, "VNEGW", 32, v -> -v);
        elementwise1(b, "VNEGD", 64, v -> -v);
        // vexts*2*: sign-extend the rightmost byte/halfword/word of each element (Book I 6.9.1).
        extendSign(b, "VEXTSB2W", 32, 8);
        extendSign(b, "VEXTSH2W", 32, 16);
        extendSign(b, "VEXTSB2D", 64, 8);
        extendSign(b, "VEXTSH2D", 64, 16);
        extendSign(b, "VEXTSW2D", 64, 32);
        // vgbbd: in each doubleword, bit j of byte k of the result is bit k of byte j of the source (Book I 6.11).
        unary(b, "VGBBD", (s, x) -> new VectorRegister(transpose8x8(x.hi), transpose8x8(x.lo)));
        // vbpermq: 16 bits gathered from VRA at the bit indices in VRB's bytes (>= 128 gives 0), into bits 48:63.
        binary(b, "VBPERMQ", (s, x, y) -> {
            long bits = 0;
            for (int k = 0; k < 16; k++) {
                int index = y.byteAt(k);
                long bit = index < 128 ? (x.byteAt(index >>> 3) >>> (7 - (index & 7))) & 1 : 0;
                bits |= bit << (15 - k);
            }
            return new VectorRegister(bits, 0);
        });
        // vclzlsbb/vctzlsbb: count of leading (trailing) bytes whose least significant bit is 0 (Book I 6.10).
        lsbCount(b, "VCLZLSBB", false);
        lsbCount(b, "VCTZLSBB", true);
        // vextractbm (Power ISA 3.1): the most significant bit of each byte, byte 0 first, into RT bits 48:63.
        b.bind("VEXTRACTBM", row -> {
            Field rt = row.field("rt");
            Field rb = row.field("vrb");
            return (s, i) -> {
                VectorRegister x = VectorRegister.ofVsr(s, 32 + rb.raw(i));
                long mask = 0;
                for (int k = 0; k < 16; k++) {
                    mask = mask << 1 | (x.byteAt(k) >>> 7);
                }
                s.gpr[rt.raw(i)] = mask;
            };
        });
    }

    private static void lsbCount(SemanticsBinder b, String name, boolean trailing) {
        b.bind(name, row -> {
            Field rt = row.field("rt");
            Field rb = row.field("vrb");
            return (s, i) -> {
                VectorRegister x = VectorRegister.ofVsr(s, 32 + rb.raw(i));
                int n = 0;
                while (n < 16 && (x.byteAt(trailing ? 15 - n : n) & 1) == 0) {
                    n++;
                }
                s.gpr[rt.raw(i)] = n;
            };
        });
    }

    private static long transpose8x8(long v) {
        long r = 0;
        for (int j = 0; j < 8; j++) {
            for (int k = 0; k < 8; k++) {
                long bit = (v >>> (63 - (8 * j + k))) & 1;
                r |= bit << (63 - (8 * k + j));
            }
        }
        return r;
    }

    private static void elementwise1(SemanticsBinder b, String name, int bits, java.util.function.LongUnaryOperator f) {
        unary(b, name, (s, x) -> {
            VectorRegister r = new VectorRegister();
            for (int k = 0; k < 128 / bits; k++) {
                r.set(bits, k, f.applyAsLong(x.get(bits, k)));
            }
            return r;
        });
    }

    private static void extendSign(SemanticsBinder b, String name, int bits, int from) {
        elementwise1(b, name, bits, v -> signExtend(v, from));
    }
}
