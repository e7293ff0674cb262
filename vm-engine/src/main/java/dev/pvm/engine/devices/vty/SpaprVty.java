package dev.pvm.engine.devices.vty;

import dev.pvm.engine.devices.xics.InterruptLine;
import java.util.ArrayDeque;
import java.util.Optional;

/**
 * The PAPR virtual terminal ({@code spapr-vty}, {@code hvterm1}): the guest's console, driven by
 * H_PUT_TERM_CHAR and H_GET_TERM_CHAR. Output goes to a {@link ConsoleSink}; input typed by the user waits in
 * a bounded queue until the guest reads it (the oldest bytes are dropped when it is full, as a UART would).
 *
 * <p>When connected to an interrupt source, input arriving while none was waiting pulses it (QEMU's
 * spapr_vty.c vty_receive), so Linux's hvc_vio reads input on interrupt instead of polling.
 *
 * <p>The guest's vCPU thread writes and reads; any thread may {@link #feed} input.
 */
public final class SpaprVty {

    /** The first vty's {@code reg} (its terminal number) on QEMU's pseries machine. */
    public static final int DEFAULT_REG = 0x71000000;
    /** Input the guest has not read yet is capped at this many bytes. */
    public static final int INPUT_CAPACITY = 64 * 1024;

    private final int reg;
    private final ConsoleSink output;
    private final ArrayDeque<Byte> input = new ArrayDeque<>();
    private volatile InterruptLine interrupt;

    public SpaprVty(int reg, ConsoleSink output) {
        this.reg = reg;
        this.output = output;
    }

    /** The terminal number: the {@code reg} of its device-tree node. */
    public int reg() {
        return reg;
    }

    /** Connects the vty to the interrupt source it signals input on (advertised in its device-tree node). */
    public void connectInterrupt(InterruptLine line) {
        this.interrupt = line;
    }

    /** The interrupt source, when connected. */
    public Optional<InterruptLine> interrupt() {
        return Optional.ofNullable(interrupt);
    }

    /** The guest printed these bytes. */
    public void write(byte[] bytes) {
        output.write(bytes, 0, bytes.length);
    }

    /** Bytes typed by the user, for the guest to read. */
    public void feed(byte[] bytes) {
        boolean wasEmpty;
        synchronized (this) {
            wasEmpty = input.isEmpty();
            queue(bytes);
        }
        InterruptLine line = interrupt;
        if (wasEmpty && bytes.length > 0 && line != null) {
            line.pulse();
        }
    }

    private void queue(byte[] bytes) {
        for (byte b : bytes) {
            if (input.size() == INPUT_CAPACITY) {
                input.removeFirst();
            }
            input.addLast(b);
        }
    }

    /** Moves up to {@code buffer.length} waiting input bytes into {@code buffer}; returns how many. */
    public synchronized int read(byte[] buffer) {
        int n = 0;
        while (n < buffer.length && !input.isEmpty()) {
            buffer[n++] = input.removeFirst();
        }
        return n;
    }

    /** Bytes waiting for the guest. */
    public synchronized int pendingInput() {
        return input.size();
    }
}
