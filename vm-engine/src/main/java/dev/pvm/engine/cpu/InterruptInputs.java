package dev.pvm.engine.cpu;

/**
 * The interrupt inputs an interrupt controller drives on the vCPUs: the external interrupt line of each vCPU
 * (Book III 7.5.7). The machine implements it: raising a line wakes a vCPU idling in H_CEDE and makes a running
 * one look at its interrupts soon; the vCPU takes the interrupt once MSR[EE] allows it.
 */
public interface InterruptInputs {

    /**
     * Sets the level of vCPU {@code cpu}'s external interrupt input. Safe to call from any thread.
     *
     * @param cpu      the vCPU index (as in {@link CpuState#index})
     * @param asserted true while the controller presents an interrupt to that vCPU
     */
    void setExternal(int cpu, boolean asserted);
}
