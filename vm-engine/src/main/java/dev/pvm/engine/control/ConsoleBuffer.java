package dev.pvm.engine.control;

import dev.pvm.engine.devices.vty.ConsoleSink;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Everything the guest printed, addressed by byte offset from the start of the VM's life. Keeps the most
 * recent {@code capacity} bytes (older ones are dropped; offsets keep counting). Readers poll with
 * {@link #read} and are told about new bytes through {@link #watch}; {@link #close} marks the end of output.
 */
public final class ConsoleBuffer implements ConsoleSink {

    /** Bytes kept by default: far more than a Linux boot prints. */
    public static final int DEFAULT_CAPACITY = 8 * 1024 * 1024;

    /**
     * A piece of console output.
     *
     * @param offset offset of data[0] in the console's byte stream
     * @param data   the bytes
     */
    public record Chunk(long offset, byte[] data) {
    }

    private final int capacity;
    private final List<Runnable> watchers = new CopyOnWriteArrayList<>();
    private byte[] data = new byte[4096];
    private int length;
    private long start;
    private boolean closed;

    public ConsoleBuffer(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.capacity = capacity;
    }

    @Override
    public void write(byte[] bytes, int offset, int count) {
        synchronized (this) {
            if (closed) {
                return;
            }
            if (count >= capacity) {
                start += length + (count - capacity);
                System.arraycopy(bytes, offset + count - capacity, ensure(capacity), 0, capacity);
                length = capacity;
            } else {
                int overflow = length + count - capacity;
                if (overflow > 0) {
                    System.arraycopy(data, overflow, data, 0, length - overflow);
                    length -= overflow;
                    start += overflow;
                }
                System.arraycopy(bytes, offset, ensure(length + count), length, count);
                length += count;
            }
        }
        notifyWatchers();
    }

    private byte[] ensure(int size) {
        if (data.length < size) {
            data = Arrays.copyOf(data, Math.min(capacity, Math.max(size, data.length * 2)));
        }
        return data;
    }

    /**
     * Up to {@code max} bytes from {@code offset} (or from the oldest byte kept, when older ones were dropped).
     * Empty when nothing is there yet.
     */
    public synchronized Chunk read(long offset, int max) {
        long from = Math.max(offset, start);
        long end = start + length;
        if (from >= end) {
            return new Chunk(Math.min(from, end), new byte[0]);
        }
        int n = (int) Math.min(max, end - from);
        int at = (int) (from - start);
        return new Chunk(from, Arrays.copyOfRange(data, at, at + n));
    }

    /** Offset one past the last byte printed. */
    public synchronized long end() {
        return start + length;
    }

    /** Everything still kept, decoded as UTF-8 (for tests and diagnostics). */
    public synchronized String text() {
        return new String(data, 0, length, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** No more output will come (the VM ended). */
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        notifyWatchers();
    }

    public synchronized boolean closed() {
        return closed;
    }

    /** Calls {@code watcher} after each write and on close, on the writing thread; keep it short. */
    public void watch(Runnable watcher) {
        watchers.add(watcher);
    }

    public void unwatch(Runnable watcher) {
        watchers.remove(watcher);
    }

    private void notifyWatchers() {
        for (Runnable w : watchers) {
            w.run();
        }
    }
}
