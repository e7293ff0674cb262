package dev.pvm.engine.cpu.runtime;

import dev.pvm.engine.memory.GuestMemory;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

/**
 * Guest memory as the translator's slow paths and interpreter fallbacks see it: every store journals the old
 * bytes first (lockstep mode) and, once written, invalidates translations on the pages it wrote (after the
 * store, so that another vCPU told to drop its translations cannot translate the old words again). Loads pass
 * straight through.
 */
public final class TrackingMemory implements GuestMemory {

    private final GuestMemory memory;
    private final CodePages pages;
    private final WriteJournal journal;

    public TrackingMemory(GuestMemory memory, CodePages pages, WriteJournal journal) {
        this.memory = memory;
        this.pages = pages;
        this.journal = journal;
    }

    private void writing(long address, long length) {
        journal.record(address, length);
    }

    private void wrote(long address, long length) {
        pages.written(address, length);
    }

    @Override
    public int load8(long address) {
        return memory.load8(address);
    }

    @Override
    public int load16(long address, ByteOrder order) {
        return memory.load16(address, order);
    }

    @Override
    public int load32(long address, ByteOrder order) {
        return memory.load32(address, order);
    }

    /** Fetches keep the underlying memory's execute check (a user address space's PROT_EXEC). */
    @Override
    public int fetch32(long address, ByteOrder order) {
        return memory.fetch32(address, order);
    }

    @Override
    public long load64(long address, ByteOrder order) {
        return memory.load64(address, order);
    }

    @Override
    public void store8(long address, int value) {
        writing(address, 1);
        memory.store8(address, value);
        wrote(address, 1);
    }

    @Override
    public void store16(long address, int value, ByteOrder order) {
        writing(address, 2);
        memory.store16(address, value, order);
        wrote(address, 2);
    }

    @Override
    public void store32(long address, int value, ByteOrder order) {
        writing(address, 4);
        memory.store32(address, value, order);
        wrote(address, 4);
    }

    @Override
    public void store64(long address, long value, ByteOrder order) {
        writing(address, 8);
        memory.store64(address, value, order);
        wrote(address, 8);
    }

    @Override
    public boolean compareAndSet(long address, int size, long expected, long value, ByteOrder order) {
        writing(address, size);
        boolean stored = memory.compareAndSet(address, size, expected, value, order);
        if (stored) {
            wrote(address, size);
        }
        return stored;
    }

    @Override
    public void read(long address, byte[] destination, int offset, int length) {
        memory.read(address, destination, offset, length);
    }

    @Override
    public void write(long address, byte[] source, int offset, int length) {
        writing(address, length);
        memory.write(address, source, offset, length);
        wrote(address, length);
    }

    @Override
    public void write(long address, MemorySegment source) {
        writing(address, source.byteSize());
        memory.write(address, source);
        wrote(address, source.byteSize());
    }

    @Override
    public void fill(long address, long length, byte value) {
        writing(address, length);
        memory.fill(address, length, value);
        wrote(address, length);
    }

    @Override
    public boolean isBacked(long address, long length) {
        return memory.isBacked(address, length);
    }
}
