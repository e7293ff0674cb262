package dev.pvm.engine.cpu.mmu;

import dev.pvm.engine.memory.GuestMemory;
import java.nio.ByteOrder;

/**
 * Hand-built radix page tables in guest memory, as Linux lays them out with 64 KiB pages (Book III 6.7.10): a
 * process table, one root of 2^13 entries for a 52-bit space per PID, and levels of 9, 9 and 9 (4K) or 5 (64K)
 * bits below, each allocated from a bump pointer. Entries are big-endian.
 */
public final class RadixTables {

    public static final long VALID = 0x8000_0000_0000_0000L;
    public static final long LEAF = 0x4000_0000_0000_0000L;
    public static final long R = 0x100;
    public static final long C = 0x80;
    public static final long PRIVILEGED = 0x8;
    public static final long READ = 0x4;
    public static final long READ_WRITE = 0x2;
    public static final long EXECUTE = 0x1;

    private final GuestMemory memory;
    private final long processTable;
    private long next;

    /**
     * @param processTable where the 4 KiB process table goes (256 PIDs)
     * @param pool         where the page directories are allocated from (64 KiB aligned)
     */
    public RadixTables(GuestMemory memory, long processTable, long pool) {
        this.memory = memory;
        this.processTable = processTable;
        this.next = pool;
        memory.fill(processTable, 4096, (byte) 0);
    }

    public long processTable() {
        return processTable;
    }

    private long allocate(int bits) {
        long size = 8L << bits;
        next = (next + size - 1) & -size;
        long table = next;
        next += size;
        memory.fill(table, size, (byte) 0);
        return table;
    }

    private long entry(long address) {
        return memory.load64(address, ByteOrder.BIG_ENDIAN);
    }

    private void set(long address, long value) {
        memory.store64(address, value, ByteOrder.BIG_ENDIAN);
    }

    /** The root of {@code pid}'s tree, created on first use: RTS = 52 bits, RPDS = 13. */
    private long root(long pid) {
        long prtbe = entry(processTable + 16 * pid);
        if (prtbe != 0) {
            return prtbe & 0x0FFF_FFFF_FFFF_FF00L;
        }
        long root = allocate(13);
        int rts = 52 - 31;
        set(processTable + 16 * pid, ((long) (rts >> 3) << 61) | root | ((long) (rts & 7) << 5) | 13);
        return root;
    }

    /**
     * Maps the page of 2^{@code shift} bytes (12, 16, 21 or 30) holding {@code ea} for {@code pid} to
     * {@code real}, with leaf bits {@code flags} (EAA, R, C).
     *
     * @return the guest address of the leaf PTE
     */
    public long map(long pid, long ea, long real, int shift, long flags) {
        long table = root(pid);
        int size = 52;
        int[] levels = {13, 9, 9, shift == 16 ? 5 : 9};
        int leafLevel = switch (shift) {
            case 30 -> 1;
            case 21 -> 2;
            default -> 3;
        };
        long address = ea & 0x3FFF_FFFF_FFFF_FFFFL;
        for (int level = 0;; level++) {
            int bits = levels[level];
            long slot = table + 8 * ((address >>> (size - bits)) & ((1L << bits) - 1));
            size -= bits;
            if (level == leafLevel) {
                set(slot, VALID | LEAF | (real & ~((1L << shift) - 1)) | flags);
                return slot;
            }
            long pde = entry(slot);
            if (pde == 0) {
                int nextBits = levels[level + 1];
                pde = VALID | allocate(nextBits) | nextBits;
                set(slot, pde);
            }
            table = pde & 0x0FFF_FFFF_FFFF_FF00L;
        }
    }

    public long read(long address) {
        return entry(address);
    }

    public void write(long address, long value) {
        set(address, value);
    }
}
