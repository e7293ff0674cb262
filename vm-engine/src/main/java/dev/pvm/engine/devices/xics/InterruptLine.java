package dev.pvm.engine.devices.xics;

/**
 * A device's handle on the XICS source it claimed: the device number the guest finds in the device tree's
 * {@code interrupts} and, for a level source, the wire the device drives; for a message source, the edge it sends.
 */
public final class InterruptLine {

    private final Xics xics;
    private final int irq;
    private final boolean level;

    InterruptLine(Xics xics, int irq, boolean level) {
        this.xics = xics;
        this.irq = irq;
        this.level = level;
    }

    /** The source number ({@code interrupts} cell 0 in the device tree). */
    public int irq() {
        return irq;
    }

    /** Whether the source is level-triggered (LSI); device-tree sense cell 1 for LSI, 0 for MSI. */
    public boolean isLevel() {
        return level;
    }

    /** Drives a level source, or (true) signals a message source. */
    public void set(boolean asserted) {
        xics.setSource(irq, asserted);
    }

    /** An edge: what QEMU's qemu_irq_pulse does (raise, then lower). */
    public void pulse() {
        xics.setSource(irq, true);
        xics.setSource(irq, false);
    }
}
