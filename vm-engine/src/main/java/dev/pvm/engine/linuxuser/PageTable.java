package dev.pvm.engine.linuxuser;

import static dev.pvm.engine.linuxuser.UserAddressSpace.PAGE_SHIFT;
import static dev.pvm.engine.linuxuser.UserAddressSpace.PROT_READ;
import static dev.pvm.engine.linuxuser.UserAddressSpace.STORE_INLINE;

import dev.pvm.engine.memory.HostAddressAccess;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * One byte per guest page of a {@link UserAddressSpace} (its protection and state bits), and the translated
 * code's view of them: per page, a load tag and a store tag, in host memory the kernel zero-fills lazily.
 *
 * <p>A page's tag is its guest address ({@code page << PAGE_SHIFT}) while translated code may load from it
 * (PROT_READ) or store to it ({@link UserAddressSpace#STORE_INLINE}), and {@link #NO_MATCH} otherwise. Translated
 * code then checks an access of {@code size} bytes at {@code ea} with one compare, as QEMU's softmmu TLB does:
 * the address of the page holding the access's last byte, {@code (ea + size - 1) & -PAGE_SIZE}, must equal the
 * tag at index {@code (ea >>> PAGE_SHIFT) & (pages - 1)}. Equality means the last byte's page is that index (so
 * inside the space), the first byte's page is the same (an access that crosses a page, or wraps around 2^64,
 * finds the tag of a page it does not end in) and the page allows the access. An entry never written is zero,
 * page 0's tag, which a last byte in page 0 matches: from page 0 itself (index 0), or from an access in the top
 * page of the 64-bit space that wraps around (index {@code pages - 1}). Those two entries start as
 * {@link #NO_MATCH}; every entry written is a page's nonzero tag, page 0's aside, or {@link #NO_MATCH}.
 *
 * <p>JUSTIFICATION (not arrays): a 1 TiB space has 16 Mi pages of 64 KiB. A Java array of 16 Mi bytes was zeroed
 * and faulted in whole when the process started, some 4,000 page faults and 60-110 ms of CPU before the guest's
 * first instruction (and the tags are 16 times that); anonymous mappings cost only the pages of the tables the
 * guest's mappings touch.
 * Translated code reads the tags at constant host addresses ({@link #loadTags}, {@link #storeTags}) with no
 * bounds check: its index is masked to the table; {@link #get} and {@link #set} check the page number themselves.
 */
final class PageTable {

    /** The tag of a page translated code may not access directly: no access's last-byte page address. */
    private static final long NO_MATCH = -1L;

    private static final boolean RAW = HostAddressAccess.ENABLED;

    private final MemorySegment bytes;
    private final MemorySegment loadTags;
    private final MemorySegment storeTags;
    private final long base;
    private final long pages;

    /** A table of {@code pages} (a power of two) zero bytes that lives until {@code owner} closes. */
    PageTable(long pages, Arena owner) {
        if (Long.bitCount(pages) != 1) {
            throw new IllegalArgumentException("page count " + pages + " is not a power of two");
        }
        this.bytes = HostLibc.mapReservation(pages, owner);
        this.loadTags = HostLibc.mapReservation(pages * Long.BYTES, owner);
        this.storeTags = HostLibc.mapReservation(pages * Long.BYTES, owner);
        this.base = bytes.address();
        this.pages = pages;
        for (long page : new long[] {0, pages - 1}) {
            loadTags.setAtIndex(ValueLayout.JAVA_LONG, page, NO_MATCH);
            storeTags.setAtIndex(ValueLayout.JAVA_LONG, page, NO_MATCH);
        }
    }

    /** How many pages the table covers. */
    long pages() {
        return pages;
    }

    /** The byte of page {@code page}, zero-extended. */
    int get(long page) {
        Objects.checkIndex(page, pages);
        return (RAW ? HostAddressAccess.getByte(base + page) : bytes.get(ValueLayout.JAVA_BYTE, page)) & 0xff;
    }

    /** Sets page {@code page}'s byte and, from its PROT_READ and STORE_INLINE bits, its two tags. */
    void set(long page, int value) {
        Objects.checkIndex(page, pages);
        bytes.set(ValueLayout.JAVA_BYTE, page, (byte) value);
        long tag = page << PAGE_SHIFT;
        loadTags.setAtIndex(ValueLayout.JAVA_LONG, page, (value & PROT_READ) != 0 ? tag : NO_MATCH);
        storeTags.setAtIndex(ValueLayout.JAVA_LONG, page, (value & STORE_INLINE) != 0 ? tag : NO_MATCH);
    }

    /** The load tags (8 bytes per page, host order), for accesses without {@link HostAddressAccess}. */
    MemorySegment loadTags() {
        return loadTags;
    }

    /** The store tags, as {@link #loadTags}. */
    MemorySegment storeTags() {
        return storeTags;
    }
}
