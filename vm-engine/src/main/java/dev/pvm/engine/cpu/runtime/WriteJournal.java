package dev.pvm.engine.cpu.runtime;

import dev.pvm.engine.memory.GuestMemory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The bytes guest stores are about to overwrite, in store order, while recording is on: lockstep mode uses it to
 * undo the translator's stores and replay the same instructions in the interpreter on the original memory.
 */
public final class WriteJournal {

    /** One store: its real address and the bytes that were there before. */
    public record Entry(long address, byte[] before) {
    }

    private final GuestMemory memory;
    private final List<Entry> entries = new ArrayList<>();
    private boolean recording;

    public WriteJournal(GuestMemory memory) {
        this.memory = memory;
    }

    public boolean recording() {
        return recording;
    }

    public void start() {
        entries.clear();
        recording = true;
    }

    /** Stops recording and returns the stores since {@link #start()}. */
    public List<Entry> stop() {
        recording = false;
        List<Entry> out = List.copyOf(entries);
        entries.clear();
        return out;
    }

    /** Records the old contents of {@code [address, address + length)} if recording and the range is backed. */
    public void record(long address, long length) {
        if (!recording || length <= 0 || !memory.isBacked(address, length)) {
            return;
        }
        byte[] old = new byte[(int) length];
        memory.read(address, old);
        entries.add(new Entry(address, old));
    }

    /**
     * Puts back the recorded bytes, newest first, so overlapping stores end at the oldest contents. Bytes that
     * are still as recorded are left alone: a store that faulted (a read-only page of a Linux process) is recorded
     * but wrote nothing, and writing its bytes back would fault in turn.
     */
    public void undo(List<Entry> stores) {
        for (int i = stores.size() - 1; i >= 0; i--) {
            Entry e = stores.get(i);
            byte[] now = new byte[e.before().length];
            memory.read(e.address(), now);
            if (!Arrays.equals(now, e.before())) {
                memory.write(e.address(), e.before());
            }
        }
    }
}
