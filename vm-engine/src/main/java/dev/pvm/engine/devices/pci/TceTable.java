package dev.pvm.engine.devices.pci;

import java.util.Arrays;
import java.util.OptionalLong;

/**
 * One DMA window's translation control entries, the table behind a LIOBN (LoPAPR 14.5.4.2, "Translation Control
 * Entry Access"; QEMU's SpaprTceTable). The window covers bus (IO) addresses {@code [busOffset, busOffset + size)}
 * in pages of {@code 1 << pageShift} bytes; each page has one TCE: the guest real page address in the upper bits
 * and the access it grants in the lowest two (bit 0 read, bit 1 write: Linux's TCE_PCI_READ/TCE_PCI_WRITE), zero
 * meaning no access. The guest fills it with H_PUT_TCE and friends; a device's DMA goes through
 * {@link #translate}. A machine reset clears it, as QEMU's spapr_tce_reset does.
 *
 * <p>The table is small enough to keep on the heap: QEMU's default 1 GiB window of 4 KiB pages is 262144 entries
 * (2 MiB).
 */
public final class TceTable {

    /** TCE bit granting the device read access to the page (the device reads guest memory). */
    public static final long READ = 1;
    /** TCE bit granting the device write access to the page. */
    public static final long WRITE = 2;

    private final int liobn;
    private final long busOffset;
    private final int pageShift;
    private final long[] entries;

    /**
     * @throws IllegalArgumentException for a page shift outside 12..34, a size that is not a whole number of
     *                                  pages, or a window of more than {@code Integer.MAX_VALUE} pages
     */
    public TceTable(int liobn, AddressWindow window, int pageShift) {
        if (pageShift < 12 || pageShift > 34) {
            throw new IllegalArgumentException("TCE page shift " + pageShift + " is not between 12 and 34");
        }
        long pageMask = (1L << pageShift) - 1;
        if ((window.size() & pageMask) != 0 || (window.base() & pageMask) != 0) {
            throw new IllegalArgumentException(String.format("DMA window 0x%x+0x%x is not aligned to its 0x%x-byte "
                    + "pages", window.base(), window.size(), 1L << pageShift));
        }
        long pages = window.size() >>> pageShift;
        if (pages > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(String.format("DMA window of 0x%x bytes has too many TCEs",
                    window.size()));
        }
        this.liobn = liobn;
        this.busOffset = window.base();
        this.pageShift = pageShift;
        this.entries = new long[(int) pages];
    }

    public int liobn() {
        return liobn;
    }

    public long busOffset() {
        return busOffset;
    }

    public int pageShift() {
        return pageShift;
    }

    public long pageSize() {
        return 1L << pageShift;
    }

    /** The number of TCEs (pages of the window). */
    public int size() {
        return entries.length;
    }

    /** The window size in bytes. */
    public long windowSize() {
        return (long) entries.length << pageShift;
    }

    /** The TCE index of bus address {@code ioba}, or -1 when the window does not cover it. */
    public int index(long ioba) {
        long offset = ioba - busOffset;
        if (Long.compareUnsigned(ioba, busOffset) < 0 || Long.compareUnsigned(offset, windowSize()) >= 0) {
            return -1;
        }
        return (int) (offset >>> pageShift);
    }

    public long get(int index) {
        return entries[index];
    }

    public void put(int index, long tce) {
        entries[index] = tce;
    }

    /**
     * The guest real address a device access at bus address {@code ioba} reaches, or empty when the window does
     * not cover it or its TCE does not grant the access (an IOMMU fault on real hardware).
     */
    public OptionalLong translate(long ioba, boolean write) {
        int index = index(ioba);
        if (index < 0) {
            return OptionalLong.empty();
        }
        long tce = entries[index];
        if ((tce & (write ? WRITE : READ)) == 0) {
            return OptionalLong.empty();
        }
        long pageMask = pageSize() - 1;
        return OptionalLong.of((tce & ~pageMask) | (ioba & pageMask));
    }

    /** Revokes every mapping (machine reset). */
    public void clear() {
        Arrays.fill(entries, 0);
    }
}
