package dev.pvm.engine.linuxuser;

import dev.pvm.engine.memory.HostAddressAccess;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * One byte per guest page of a {@link UserAddressSpace} (its protection and state bits), in host memory the
 * kernel zero-fills lazily.
 *
 * <p>JUSTIFICATION (not a {@code byte[]}): a 1 TiB space has 16 Mi pages of 64 KiB. A Java array that size is
 * zeroed and faulted in whole when the process starts, some 4,000 page faults and 60-110 ms of CPU before the
 * guest's first instruction; an anonymous mapping costs only the pages of the table the guest's mappings
 * touch. Translated code reads it at a constant host address ({@link #hostAddress}), one load with no bounds
 * check, after its own check that the guest address lies inside the space; {@link #get} and {@link #set} check
 * the page number themselves.
 */
final class PageTable {

    private static final boolean RAW = HostAddressAccess.ENABLED;

    private final MemorySegment bytes;
    private final long base;
    private final long pages;

    /** A table of {@code pages} zero bytes that lives until {@code owner} closes. */
    PageTable(long pages, Arena owner) {
        this.bytes = HostLibc.mapReservation(pages, owner);
        this.base = bytes.address();
        this.pages = pages;
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

    void set(long page, int value) {
        Objects.checkIndex(page, pages);
        if (RAW) {
            HostAddressAccess.putByte(base + page, (byte) value);
        } else {
            bytes.set(ValueLayout.JAVA_BYTE, page, (byte) value);
        }
    }

    /** The host address of page 0's byte (page {@code p}'s is {@code hostAddress() + p}). */
    long hostAddress() {
        return base;
    }

    /** The table as a segment, for accesses without {@link HostAddressAccess}. */
    MemorySegment segment() {
        return bytes;
    }
}
