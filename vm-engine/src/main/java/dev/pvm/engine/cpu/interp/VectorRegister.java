package dev.pvm.engine.cpu.interp;

import dev.pvm.engine.cpu.CpuState;

/**
 * Element access to a 128-bit vector-scalar register held as two doublewords {@code hi:lo}, with the ISA's
 * big-endian element numbering (Book I 6.3, 7.2): element 0 is the most significant, whatever MSR[LE] says.
 * Also the small quadword value the vector semantics work on, so an instruction reads its sources before it
 * writes its target (VRT may equal VRA).
 */
final class VectorRegister {

    long hi;
    long lo;

    VectorRegister() {
    }

    VectorRegister(long hi, long lo) {
        this.hi = hi;
        this.lo = lo;
    }

    static VectorRegister ofVsr(CpuState s, int n) {
        return new VectorRegister(s.vsrHi[n], s.vsrLo[n]);
    }

    void toVsr(CpuState s, int n) {
        s.vsrHi[n] = hi;
        s.vsrLo[n] = lo;
    }

    /** Element {@code i} of width {@code bits} (8, 16, 32 or 64), zero-extended. */
    static long get(long hi, long lo, int bits, int i) {
        int per = 64 / bits;
        long dw = i < per ? hi : lo;
        int k = i % per;
        long v = dw >>> (64 - bits * (k + 1));
        return bits == 64 ? v : v & ((1L << bits) - 1);
    }

    long get(int bits, int i) {
        return get(hi, lo, bits, i);
    }

    /** Element {@code i} sign-extended. */
    long getSigned(int bits, int i) {
        long v = get(hi, lo, bits, i);
        return (v << (64 - bits)) >> (64 - bits);
    }

    void set(int bits, int i, long value) {
        int per = 64 / bits;
        int k = i % per;
        int shift = 64 - bits * (k + 1);
        long mask = bits == 64 ? -1L : ((1L << bits) - 1) << shift;
        long v = (value << shift) & mask;
        if (i < per) {
            hi = (hi & ~mask) | v;
        } else {
            lo = (lo & ~mask) | v;
        }
    }

    int byteAt(int i) {
        return (int) get(hi, lo, 8, i & 15);
    }

    @Override
    public String toString() {
        return String.format("%016x%016x", hi, lo);
    }
}
