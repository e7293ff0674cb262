package dev.pvm.engine.devices.xics;

import dev.pvm.engine.cpu.InterruptInputs;

/**
 * One interrupt presentation controller (ICP): the per-server registers of PAPR's XICS (LoPAPR 2.1 "Interrupt
 * Presentation Layer"): XIRR = CPPR (bits 0:7) and XISR (bits 8:31), the pending interrupt's priority and the
 * MFRR that raises the server's IPI. The logic follows QEMU's hw/intc/xics.c; every method runs under the
 * {@link Xics} lock.
 */
final class Icp {

    static final int XISR_MASK = 0x00ff_ffff;
    static final int CPPR_SHIFT = 24;
    /** The least favoured priority: no interrupt pending, or masked. */
    static final int LOWEST = 0xff;

    private final int server;
    private final InterruptInputs output;
    private Ics sources;
    private int xirr;
    private int pendingPriority = LOWEST;
    private int mfrr = LOWEST;
    /** Whether the XISR came from the ICS (to be rejected back there) rather than being the IPI. */
    private boolean sourceOwned;

    Icp(int server, InterruptInputs output) {
        this.server = server;
        this.output = output;
    }

    void connect(Ics ics) {
        this.sources = ics;
    }

    int server() {
        return server;
    }

    int xirr() {
        return xirr;
    }

    int mfrr() {
        return mfrr;
    }

    int cppr() {
        return xirr >>> CPPR_SHIFT;
    }

    private int xisr() {
        return xirr & XISR_MASK;
    }

    /** Machine reset: CPPR 0 (everything masked), nothing pending, no IPI. */
    void reset() {
        xirr = 0;
        pendingPriority = LOWEST;
        mfrr = LOWEST;
        sourceOwned = false;
        output.setExternal(server, false);
    }

    /** H_CPPR: lowering the CPPR below a pending interrupt rejects it; raising it makes the ICS resend. */
    void setCppr(int cppr) {
        int old = cppr();
        xirr = (xirr & XISR_MASK) | (cppr << CPPR_SHIFT);
        if (cppr < old) {
            if (xisr() != 0 && cppr <= pendingPriority) {
                int rejected = xisr();
                xirr &= ~XISR_MASK;
                pendingPriority = LOWEST;
                output.setExternal(server, false);
                if (sourceOwned) {
                    sources.reject(rejected);
                    sourceOwned = false;
                }
            }
        } else if (xisr() == 0) {
            resend();
        }
    }

    /** H_IPI: a new MFRR; one more favoured than the CPPR presents the IPI. */
    void setMfrr(int value) {
        mfrr = value;
        if (value < cppr()) {
            checkIpi();
        }
    }

    /** H_XIRR: returns the XIRR, takes the pending interrupt (its priority becomes the CPPR) and lowers the line. */
    int accept() {
        int old = xirr;
        output.setExternal(server, false);
        xirr = pendingPriority << CPPR_SHIFT;
        pendingPriority = LOWEST;
        sourceOwned = false;
        return old;
    }

    /** H_EOI: restores the CPPR from {@code eoiXirr}, ends the source's cycle, and looks for more work. */
    void eoi(int eoiXirr) {
        xirr = (xirr & XISR_MASK) | (eoiXirr & ~XISR_MASK);
        sources.eoi(eoiXirr & XISR_MASK);
        if (xisr() == 0) {
            resend();
        }
    }

    /** The ICS presents source {@code irq}; a less favoured one than what is pending or the CPPR is rejected. */
    void present(int irq, int priority) {
        if (priority >= cppr() || (xisr() != 0 && pendingPriority <= priority)) {
            sources.reject(irq);
            return;
        }
        if (xisr() != 0 && sourceOwned) {
            sources.reject(xisr());
        }
        xirr = (xirr & ~XISR_MASK) | (irq & XISR_MASK);
        sourceOwned = true;
        pendingPriority = priority;
        output.setExternal(server, true);
    }

    private void resend() {
        if (mfrr < cppr()) {
            checkIpi();
        }
        sources.resend();
    }

    private void checkIpi() {
        if (xisr() != 0 && pendingPriority <= mfrr) {
            return;
        }
        if (xisr() != 0 && sourceOwned) {
            sources.reject(xisr());
        }
        xirr = (xirr & ~XISR_MASK) | Xics.IPI;
        pendingPriority = mfrr;
        sourceOwned = false;
        output.setExternal(server, true);
    }
}
