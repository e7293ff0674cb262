package dev.pvm.engine.cpu.mmu;

import java.util.Arrays;

/**
 * One vCPU's segment lookaside buffer (Book III 5.7.6): {@code ibm,slb-size} entries, each the ESID doubleword
 * (ESID, V) and the VSID doubleword (B, VSID, Ks, Kp, N, L, C, LP) exactly as slbmte wrote them, which is also
 * what slbmfee/slbmfev read back. The layouts are QEMU's mmu-hash64.h SLB_* (the ISA's RB/RS of slbmte).
 */
public final class Slb {

    /** ESID doubleword: the effective segment id and the valid bit. */
    public static final long ESID_MASK = 0xFFFF_FFFF_F000_0000L;
    public static final long ESID_VALID = 0x0000_0000_0800_0000L;
    /** VSID doubleword fields. */
    public static final long VSID_B = 0xC000_0000_0000_0000L;
    public static final long VSID_B_1T = 0x4000_0000_0000_0000L;
    public static final long VSID_VSID = 0x3FFF_FFFF_FFFF_F000L;
    public static final long VSID_KS = 0x800L;
    public static final long VSID_KP = 0x400L;
    public static final long VSID_N = 0x200L;
    public static final long VSID_C = 0x80L;
    static final long SEGMENT_256M = ~((1L << 28) - 1);
    static final long SEGMENT_1T = ~((1L << 40) - 1);

    private final long[] esid;
    private final long[] vsid;
    private final HashPageSizes.SegmentPageSize[] pageSizes;

    public Slb(int entries) {
        esid = new long[entries];
        vsid = new long[entries];
        pageSizes = new HashPageSizes.SegmentPageSize[entries];
    }

    public int size() {
        return esid.length;
    }

    /** Clears every entry (machine reset). */
    public void reset() {
        Arrays.fill(esid, 0);
        Arrays.fill(vsid, 0);
        Arrays.fill(pageSizes, null);
    }

    /** The index of the valid entry translating {@code ea}, or -1 (a segment interrupt). */
    public int lookup(long ea) {
        long esid256 = (ea & SEGMENT_256M) | ESID_VALID;
        long esid1t = (ea & SEGMENT_1T) | ESID_VALID;
        for (int n = 0; n < esid.length; n++) {
            long b = vsid[n] & VSID_B;
            if ((esid[n] == esid256 && b == 0) || (esid[n] == esid1t && b == VSID_B_1T)) {
                return n;
            }
        }
        return -1;
    }

    public long esid(int n) {
        return esid[n];
    }

    public long vsid(int n) {
        return vsid[n];
    }

    public HashPageSizes.SegmentPageSize pageSize(int n) {
        return pageSizes[n];
    }

    /** The effective addresses entry {@code n} maps: its ESID under the 256M or 1T mask. */
    long segmentMask(int n) {
        return (vsid[n] & VSID_B) == VSID_B_1T ? SEGMENT_1T : SEGMENT_256M;
    }

    public boolean valid(int n) {
        return (esid[n] & ESID_VALID) != 0;
    }

    /**
     * slbmte: writes entry {@code slot}. Fails (the caller raises an illegal-instruction program interrupt, as
     * QEMU's helper_store_slb) for a slot beyond the SLB, reserved ESID bits, a reserved segment size (B = 2, 3)
     * or a base page size the MMU does not have.
     */
    public boolean store(int slot, long esidWord, long vsidWord, HashPageSizes sizes) {
        if (slot < 0 || slot >= esid.length || (esidWord & ~(ESID_MASK | ESID_VALID)) != 0
                || (vsidWord & VSID_B & ~VSID_B_1T) != 0) {
            return false;
        }
        HashPageSizes.SegmentPageSize size = sizes.forSlb(vsidWord);
        if (size == null) {
            return false;
        }
        esid[slot] = esidWord;
        vsid[slot] = vsidWord;
        pageSizes[slot] = size;
        return true;
    }

    public void invalidate(int n) {
        esid[n] &= ~ESID_VALID;
    }
}
