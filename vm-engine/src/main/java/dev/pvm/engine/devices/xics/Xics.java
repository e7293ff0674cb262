package dev.pvm.engine.devices.xics;

import dev.pvm.engine.cpu.InterruptInputs;

/**
 * The XICS interrupt controller a pseries guest gets (LoPAPR chapter 2 / appendix "XICS"; QEMU's
 * hw/intc/xics.c and xics_spapr.c): one presentation controller (ICP) per vCPU, driven by the guest with the
 * hcall-interrupt hypercalls, and one source controller (ICS) configured through RTAS. The ICP raises and lowers
 * its vCPU's external interrupt input through {@link InterruptInputs}.
 *
 * <p>Thread-safe: vCPU threads make hypercalls and devices raise sources from any thread; one lock serialises
 * the controller as QEMU's global lock does.
 */
public final class Xics {

    /** The interrupt number of the inter-processor interrupt in the XISR (XICS_IPI). */
    public static final int IPI = 0x2;
    /** The first ICS source number (QEMU's XICS_IRQ_BASE / SPAPR_XIRQ_BASE). */
    public static final int SOURCE_BASE = 0x1000;
    /** Sources in the ICS (QEMU's SPAPR_NR_XIRQS). */
    public static final int SOURCE_COUNT = 0x1000;
    /** QEMU's fixed source numbers (hw/ppc/spapr_irq.h): EPOW and hot-plug events, VIO devices, PCI LSIs. */
    public static final int EPOW_IRQ = 0x1000;
    public static final int HOTPLUG_IRQ = 0x1001;
    public static final int VIO_IRQ_BASE = 0x1100;

    private final Icp[] presenters;
    private final Ics sources;

    /**
     * @param servers how many presenters (one per vCPU; server number = vCPU index)
     * @param output  the vCPUs' external interrupt inputs
     */
    public Xics(int servers, InterruptInputs output) {
        if (servers < 1) {
            throw new IllegalArgumentException("XICS needs at least one server, got " + servers);
        }
        presenters = new Icp[servers];
        for (int i = 0; i < servers; i++) {
            presenters[i] = new Icp(i, output);
        }
        sources = new Ics(presenters);
        for (Icp icp : presenters) {
            icp.connect(sources);
        }
    }

    /** The number of interrupt servers (vCPUs). */
    public int servers() {
        return presenters.length;
    }

    /** Machine reset: all presenters idle with CPPR 0 and their lines low, all sources masked. Claims stay. */
    public synchronized void reset() {
        sources.reset();
        for (Icp icp : presenters) {
            icp.reset();
        }
    }

    /**
     * Claims source {@code irq} for a device (QEMU's spapr_irq_claim).
     *
     * @param level true for a level-triggered (LSI) source, false for a message (MSI, edge) source
     * @throws IllegalArgumentException when {@code irq} is not an ICS source number
     * @throws IllegalStateException    when it is already claimed
     */
    public synchronized InterruptLine claim(int irq, boolean level) {
        if (!Ics.valid(irq)) {
            throw new IllegalArgumentException(String.format("0x%x is not an interrupt source number (0x%x..0x%x)",
                    irq, SOURCE_BASE, SOURCE_BASE + SOURCE_COUNT - 1));
        }
        sources.claim(irq, level);
        return new InterruptLine(this, irq, level);
    }

    /** Whether a device claimed source {@code irq}. */
    public synchronized boolean isClaimed(int irq) {
        return Ics.valid(irq) && sources.isClaimed(irq);
    }

    synchronized void setSource(int irq, boolean level) {
        sources.set(irq, level);
    }

    // Presentation layer (hcall-interrupt). Server numbers come from the guest: callers check them.

    /** Whether {@code server} names a presenter. */
    public boolean validServer(long server) {
        return server >= 0 && server < presenters.length;
    }

    /** H_CPPR on {@code server}'s presenter. */
    public synchronized void setCppr(int server, int cppr) {
        presenters[server].setCppr(cppr & 0xff);
    }

    /** H_IPI: sets {@code server}'s MFRR. */
    public synchronized void setMfrr(int server, int mfrr) {
        presenters[server].setMfrr(mfrr & 0xff);
    }

    /** H_XIRR: accepts the pending interrupt of {@code server}; returns the old XIRR. */
    public synchronized int accept(int server) {
        return presenters[server].accept();
    }

    /** H_EOI with the XIRR value the guest passes. */
    public synchronized void eoi(int server, int xirr) {
        presenters[server].eoi(xirr);
    }

    /** H_IPOLL: {@code server}'s XIRR, without accepting. */
    public synchronized int xirr(int server) {
        return presenters[server].xirr();
    }

    /** H_IPOLL: {@code server}'s MFRR. */
    public synchronized int mfrr(int server) {
        return presenters[server].mfrr();
    }

    // Source layer (RTAS ibm,set-xive, ibm,get-xive, ibm,int-on, ibm,int-off).

    /** Whether {@code irq} names an ICS source (as QEMU's ics_valid_irq: any number in the ICS range). */
    public static boolean validSource(long irq) {
        return Ics.valid(irq);
    }

    /** ibm,set-xive: server and priority; the priority is also the one ibm,int-on restores. */
    public synchronized void setXive(int irq, int server, int priority) {
        sources.writeXive(irq, server, priority, priority);
    }

    /** ibm,get-xive: {server, priority}. */
    public synchronized int[] xive(int irq) {
        return new int[] {sources.server(irq), sources.priority(irq)};
    }

    /** ibm,int-off: masks the source, remembering its priority. */
    public synchronized void mask(int irq) {
        sources.writeXive(irq, sources.server(irq), Icp.LOWEST, sources.priority(irq));
    }

    /** ibm,int-on: restores the priority ibm,int-off saved. */
    public synchronized void unmask(int irq) {
        int saved = sources.savedPriority(irq);
        sources.writeXive(irq, sources.server(irq), saved, saved);
    }
}
