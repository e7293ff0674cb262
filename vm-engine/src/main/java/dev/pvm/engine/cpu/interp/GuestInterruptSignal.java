package dev.pvm.engine.cpu.interp;

import dev.pvm.engine.cpu.interrupt.GuestInterrupt;

/**
 * Abandons the current instruction from inside a storage access (the only place an instruction is interrupted
 * half-way); the run loop catches it and raises {@link #interrupt()} on the vCPU. No stack trace is captured:
 * this is control flow, and guests can cause it often.
 */
public final class GuestInterruptSignal extends RuntimeException {

    private final transient GuestInterrupt interrupt;

    public GuestInterruptSignal(GuestInterrupt interrupt) {
        super(interrupt.describe(), null, false, false);
        this.interrupt = interrupt;
    }

    public GuestInterrupt interrupt() {
        return interrupt;
    }
}
