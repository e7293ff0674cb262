package dev.pvm.engine.cpu.mmu;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * The hashed page table of a hash-MMU partition (Book III 5.7.7): owned by the hypervisor (PAPR), so it lives in
 * off-heap memory outside guest RAM and the guest reaches it only through H_ENTER and friends. 2^shift bytes of
 * PTE groups of 8 HPTEs of 16 bytes; HPTE {@code ptex} is doublewords {@code 2*ptex} and {@code 2*ptex+1}.
 *
 * <p>HPTE doubleword 0 (B, AVPN, SW, L, H, V) and 1 (PP0, TS, key, RPN, R, C, WIMG, N, PP) are in the format a
 * PAPR guest passes to H_ENTER (ISA 2.07: B in doubleword 0), as QEMU's pseries keeps them.
 *
 * <p>Every vCPU's thread reads the table (translation) and the hcalls change it. PAPR has the hypervisor lock an
 * HPTE while it changes it (KVM's HPTE_V_HVLOCK): here the hcalls hold the {@linkplain #lock lock of the HPTE's
 * group} for their read-check-write, and the doublewords are written in the order that never shows a reader a
 * valid doubleword 0 with a doubleword 1 it was not entered with ({@link #insert}: 1 then 0; {@link #invalidate}:
 * 0 then 1). Translation takes no lock: it re-reads doubleword 0 to see that the pair it used is whole, and sets
 * R and C by compare-and-set, so an H_PROTECT in between is never undone.
 */
public final class HashPageTable implements AutoCloseable {

    public static final int HPTES_PER_GROUP = 8;
    /** Doubleword 0: segment size, abbreviated VPN, large page, secondary hash, valid. */
    public static final long V_SSIZE = 0xC000_0000_0000_0000L;
    public static final long V_AVPN = 0x3FFF_FFFF_FFFF_FF80L;
    public static final long V_LARGE = 0x4L;
    public static final long V_SECONDARY = 0x2L;
    public static final long V_VALID = 0x1L;
    /** The bits compared to find an HPTE: B, AVPN, H and V (QEMU HPTE64_V_COMPARE). */
    static final long V_COMPARE = 0xFFFF_FFFF_FFFF_FF83L;
    /** Doubleword 1. */
    public static final long R_PP0 = 0x8000_0000_0000_0000L;
    public static final long R_KEY_HI = 0x3000_0000_0000_0000L;
    public static final long R_RPN = 0x0FFF_FFFF_FFFF_F000L;
    public static final long R_KEY_LO = 0xE00L;
    public static final long R_R = 0x100L;
    public static final long R_C = 0x80L;
    public static final long R_W = 0x40L;
    public static final long R_I = 0x20L;
    public static final long R_M = 0x10L;
    public static final long R_G = 0x8L;
    public static final long R_N = 0x4L;
    public static final long R_PP = 0x3L;
    public static final long R_WIMG = 0x78L;

    private static final VarHandle DOUBLEWORD = ValueLayout.JAVA_LONG.arrayElementVarHandle();
    /** Group locks, striped: enough that vCPUs entering pages in different groups rarely share one. */
    private static final int LOCKS = 256;

    private final Object[] locks = new Object[LOCKS];
    private final Arena arena = Arena.ofShared();
    private final MemorySegment table;
    private final int shift;
    private final long groupMask;

    /** A zeroed table of 2^{@code shift} bytes. */
    public HashPageTable(int shift) {
        if (shift < 18 || shift > 46) {
            throw new IllegalArgumentException("HPT size 2^" + shift + " is outside the architected 2^18..2^46");
        }
        this.shift = shift;
        this.table = arena.allocate(1L << shift, 1L << 7);
        this.groupMask = (1L << (shift - 7)) - 1;
        for (int i = 0; i < LOCKS; i++) {
            locks[i] = new Object();
        }
    }

    /** The lock an hcall holds while it reads and changes HPTEs of {@code ptex}'s group. */
    public Object lock(long ptex) {
        return locks[(int) ((ptex / HPTES_PER_GROUP) & (LOCKS - 1))];
    }

    public int shift() {
        return shift;
    }

    /** The number of PTE groups minus one: hash values select a group through this mask. */
    public long groupMask() {
        return groupMask;
    }

    /** Whether {@code ptex}'s group lies inside the table (QEMU valid_ptex). */
    public boolean validIndex(long ptex) {
        return ((ptex & ~7L) / HPTES_PER_GROUP & ~groupMask) == 0;
    }

    public long pte0(long ptex) {
        return (long) DOUBLEWORD.getVolatile(table, 0L, 2 * ptex);
    }

    public long pte1(long ptex) {
        return (long) DOUBLEWORD.getVolatile(table, 0L, 2 * ptex + 1);
    }

    /** Writes an HPTE: doubleword 1 first, so a reader that sees the new doubleword 0 sees its doubleword 1. */
    public void insert(long ptex, long pte0, long pte1) {
        DOUBLEWORD.setVolatile(table, 0L, 2 * ptex + 1, pte1);
        DOUBLEWORD.setVolatile(table, 0L, 2 * ptex, pte0);
    }

    /**
     * Clears an HPTE: doubleword 0 (V) first, so no reader pairs the old doubleword 0 with a cleared 1.
     *
     * @return doubleword 1 as it was then, with any R and C a translation set up to that moment
     */
    public long invalidate(long ptex) {
        DOUBLEWORD.setVolatile(table, 0L, 2 * ptex, 0L);
        return (long) DOUBLEWORD.getAndSet(table, 0L, 2 * ptex + 1, 0L);
    }

    /** Replaces doubleword 1 if it still is {@code expected} (R/C recording, H_PROTECT); whether it did. */
    public boolean compareAndSetPte1(long ptex, long expected, long pte1) {
        return DOUBLEWORD.compareAndSet(table, 0L, 2 * ptex + 1, expected, pte1);
    }

    /** Zeroes the table (machine reset). */
    public void clear() {
        table.fill((byte) 0);
    }

    /**
     * Searches the PTE group {@code hash} selects for an HPTE whose B, AVPN, H and V equal {@code ptem} and
     * whose page size is one {@code segment} may hold.
     *
     * @return the HPTE index, or -1
     */
    long searchGroup(long hash, long ptem, HashPageSizes.SegmentPageSize segment) {
        long ptex = (hash & groupMask) * HPTES_PER_GROUP;
        for (int i = 0; i < HPTES_PER_GROUP; i++) {
            long v = pte0(ptex + i);
            // A page size that does not fit the segment does not match (Linux leaves such HPTEs behind when it
            // demotes a segment's page size).
            if (((v ^ ptem) & V_COMPARE) == 0 && HashPageSizes.pageShift(segment, v, pte1(ptex + i)) != 0) {
                return ptex + i;
            }
        }
        return -1;
    }

    @Override
    public void close() {
        arena.close();
    }
}
