package dev.pvm.engine.memory;

/**
 * An access touched guest physical addresses that no memory region backs. The CPU turns it into a machine
 * check for the guest; host code treats it as a bug in its own address arithmetic.
 */
public final class GuestMemoryAccessException extends RuntimeException {

    private final long address;
    private final long size;
    private final boolean write;

    public GuestMemoryAccessException(long address, long size, boolean write) {
        super(String.format("%s of %d byte%s at guest physical 0x%x: no memory there", write ? "store" : "load",
                size, size == 1 ? "" : "s", address));
        this.address = address;
        this.size = size;
        this.write = write;
    }

    /** First guest physical address of the access. */
    public long address() {
        return address;
    }

    public long size() {
        return size;
    }

    public boolean write() {
        return write;
    }
}
