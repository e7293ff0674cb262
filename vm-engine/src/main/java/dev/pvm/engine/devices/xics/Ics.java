package dev.pvm.engine.devices.xics;

/**
 * The interrupt source controller (ICS): {@link Xics#SOURCE_COUNT} sources numbered from
 * {@link Xics#SOURCE_BASE}, each with its server and priority (the XIVE entry set through RTAS ibm,set-xive),
 * the saved priority ibm,int-off/int-on swap with 0xff, and its trigger kind: level (LSI, presented again while
 * asserted and not yet EOI'd) or message (MSI, an edge that is remembered when rejected or masked and resent).
 * The logic follows QEMU's hw/intc/xics.c; every method runs under the {@link Xics} lock.
 */
final class Ics {

    private static final int ASSERTED = 0x1;
    private static final int SENT = 0x2;
    private static final int REJECTED = 0x4;
    private static final int MASKED_PENDING = 0x8;

    private final Icp[] presenters;
    private final int[] server = new int[Xics.SOURCE_COUNT];
    private final int[] priority = new int[Xics.SOURCE_COUNT];
    private final int[] savedPriority = new int[Xics.SOURCE_COUNT];
    private final int[] status = new int[Xics.SOURCE_COUNT];
    private final boolean[] lsi = new boolean[Xics.SOURCE_COUNT];
    private final boolean[] claimed = new boolean[Xics.SOURCE_COUNT];

    Ics(Icp[] presenters) {
        this.presenters = presenters;
        reset();
    }

    static boolean valid(long irq) {
        return irq >= Xics.SOURCE_BASE && irq < Xics.SOURCE_BASE + Xics.SOURCE_COUNT;
    }

    /** Machine reset: every source masked (priority 0xff) and directed at server 0, nothing pending. */
    void reset() {
        for (int i = 0; i < Xics.SOURCE_COUNT; i++) {
            server[i] = 0;
            priority[i] = Icp.LOWEST;
            savedPriority[i] = Icp.LOWEST;
            status[i] = 0;
        }
    }

    void claim(int irq, boolean level) {
        int src = irq - Xics.SOURCE_BASE;
        if (claimed[src]) {
            throw new IllegalStateException(String.format("interrupt source 0x%x is already claimed", irq));
        }
        claimed[src] = true;
        lsi[src] = level;
    }

    boolean isClaimed(int irq) {
        return claimed[irq - Xics.SOURCE_BASE];
    }

    boolean isLevel(int irq) {
        return lsi[irq - Xics.SOURCE_BASE];
    }

    int server(int irq) {
        return server[irq - Xics.SOURCE_BASE];
    }

    int priority(int irq) {
        return priority[irq - Xics.SOURCE_BASE];
    }

    int savedPriority(int irq) {
        return savedPriority[irq - Xics.SOURCE_BASE];
    }

    /** The device drives the source: a level for an LSI, a rising edge (true) for an MSI. */
    void set(int irq, boolean level) {
        int src = irq - Xics.SOURCE_BASE;
        if (lsi[src]) {
            status[src] = level ? status[src] | ASSERTED : status[src] & ~ASSERTED;
            resendLsi(src);
        } else if (level) {
            if (priority[src] == Icp.LOWEST) {
                status[src] |= MASKED_PENDING;
            } else {
                presenters[server[src]].present(irq, priority[src]);
            }
        }
    }

    /** A new XIVE entry; a masked MSI that fired meanwhile, or an asserted LSI, is presented now. */
    void writeXive(int irq, int newServer, int newPriority, int newSavedPriority) {
        int src = irq - Xics.SOURCE_BASE;
        server[src] = newServer;
        priority[src] = newPriority;
        savedPriority[src] = newSavedPriority;
        if (lsi[src]) {
            resendLsi(src);
        } else if ((status[src] & MASKED_PENDING) != 0 && newPriority != Icp.LOWEST) {
            status[src] &= ~MASKED_PENDING;
            presenters[newServer].present(irq, newPriority);
        }
    }

    /** The presenter could not take {@code irq}: an LSI will be resent while asserted, an MSI remembers it. */
    void reject(int irq) {
        if (!valid(irq)) {
            return;
        }
        int src = irq - Xics.SOURCE_BASE;
        if (lsi[src]) {
            status[src] &= ~SENT;
        } else {
            status[src] |= REJECTED;
        }
    }

    /** A presenter has room again: offer every waiting source. */
    void resend() {
        for (int src = 0; src < Xics.SOURCE_COUNT; src++) {
            if (lsi[src]) {
                resendLsi(src);
            } else if ((status[src] & REJECTED) != 0) {
                status[src] &= ~REJECTED;
                if (priority[src] != Icp.LOWEST) {
                    presenters[server[src]].present(src + Xics.SOURCE_BASE, priority[src]);
                }
            }
        }
    }

    /** The end of an interrupt's cycle: a still-asserted LSI may be presented again. */
    void eoi(int irq) {
        if (valid(irq) && lsi[irq - Xics.SOURCE_BASE]) {
            status[irq - Xics.SOURCE_BASE] &= ~SENT;
        }
    }

    private void resendLsi(int src) {
        if (priority[src] != Icp.LOWEST && (status[src] & ASSERTED) != 0 && (status[src] & SENT) == 0) {
            status[src] |= SENT;
            presenters[server[src]].present(src + Xics.SOURCE_BASE, priority[src]);
        }
    }
}
